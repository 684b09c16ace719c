import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { FactoryError } from '../../domain/errors';
import type { TaskStatus } from '../../domain/task';
import {
  BD,
  bdCloseArgs,
  bdLinkWorkspaceArgs,
  bdShowArgs,
  bdSyncStatusArgs,
  parseBdChangedIds,
  parseBdShowJson,
  requireBeadsId,
} from './cli';
import { defaultBeadsExec, type BeadsExec, type BeadsExecResult } from './exec';
import { findBeadsIssue, parseBeadsJsonl } from './jsonl';
import { parentOf, type BeadsIssue } from './record';
import { isBdAvailable } from './which';

export interface BeadsClientOptions {
  /** Where bd runs: it finds the `.beads/` database from here. */
  cwd: string;
  /** The `issues.jsonl` export read (never written) when bd is absent; relative to `cwd`. */
  jsonlPath: string;
  /** Runs bd. Default: execa with an argument array ({@link defaultBeadsExec}). */
  exec?: BeadsExec;
  /** Whether bd can be run. Default: look for `bd` on the PATH of `env`, once per client. */
  bdAvailable?: boolean | (() => Promise<boolean>);
  env?: Record<string, string | undefined>;
}

/** What Factory needs from a Beads issue to start a task. */
export interface BeadsTaskInfo {
  id: string;
  title: string;
  description: string;
  acceptanceCriteria?: string;
  status: string;
  parent?: string;
  /** `bd` when bd answered; `jsonl` when read from the export because bd is absent. */
  source: 'bd' | 'jsonl';
  issue: BeadsIssue;
}

/** The outcome of a change: made by bd, or skipped (bd absent) with the reason. */
export type BeadsSyncResult = { synced: true; args: string[] } | { synced: false; reason: string };

export interface BeadsClient {
  bdAvailable(): Promise<boolean>;
  show(id: string): Promise<BeadsTaskInfo>;
  /** Brings the issue to the Beads status of a Factory task status (see TASK_STATUS_TO_BEADS). */
  syncStatus(id: string, taskStatus: TaskStatus, reason?: string): Promise<BeadsSyncResult>;
  close(id: string, reason: string): Promise<BeadsSyncResult>;
  /** Appends "Factory workspace: <path>" to the issue's notes. */
  linkWorkspace(id: string, workspacePath: string): Promise<BeadsSyncResult>;
}

/** A bd command that failed, or exited 0 without doing what was asked. */
export class BeadsCommandError extends FactoryError {
  readonly args: readonly string[];
  readonly exitCode: number | null;
  readonly stderr: string;

  constructor(code: string, message: string, result: { args: readonly string[] } & BeadsExecResult) {
    super(code, message);
    this.name = 'BeadsCommandError';
    this.args = result.args;
    this.exitCode = result.exitCode;
    this.stderr = result.stderr;
  }
}

/** `bd update bd-1 "--append-notes=a b"`, for messages. */
export function formatBdCommand(args: readonly string[]): string {
  return [BD, ...args].map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : JSON.stringify(a))).join(' ');
}

function said(stderr: string): string {
  const text = stderr.trim();
  if (text === '') return '';
  return ` (bd said: ${JSON.stringify(text.length > 500 ? `${text.slice(0, 497)}...` : text)})`;
}

/** What a task takes from a Beads issue; a deleted (tombstone) issue is an error. */
export function beadsTaskInfo(issue: BeadsIssue, source: 'bd' | 'jsonl'): BeadsTaskInfo {
  if (issue.status === 'tombstone') {
    throw new FactoryError('BEADS_NOT_FOUND', `Beads issue "${issue.id}" was deleted (status "tombstone")`);
  }
  return {
    id: issue.id,
    title: issue.title,
    description: issue.description ?? '',
    ...(issue.acceptance_criteria ? { acceptanceCriteria: issue.acceptance_criteria } : {}),
    status: issue.status,
    ...(parentOf(issue) ? { parent: parentOf(issue) } : {}),
    source,
    issue,
  };
}

export function createBeadsClient(options: BeadsClientOptions): BeadsClient {
  const exec = options.exec ?? defaultBeadsExec;
  const jsonlFile = path.resolve(options.cwd, options.jsonlPath);
  let availability: Promise<boolean> | undefined;

  const bdAvailable = (): Promise<boolean> => {
    const given = options.bdAvailable;
    availability ??= typeof given === 'boolean' ? Promise.resolve(given) : given ? given() : isBdAvailable(options.env ?? process.env);
    return availability;
  };

  const run = async (args: string[]) => {
    const result = await exec(BD, args, { cwd: options.cwd });
    if (result.exitCode !== 0) {
      const how = result.exitCode === null ? 'could not run' : `exit ${result.exitCode}`;
      throw new BeadsCommandError('BEADS_COMMAND_FAILED', `${formatBdCommand(args)} failed (${how})${said(result.stderr)}`, {
        args,
        ...result,
      });
    }
    return result;
  };

  const change = async (args: string[], id: string): Promise<BeadsSyncResult> => {
    if (!(await bdAvailable())) {
      return {
        synced: false,
        reason: `bd is not on PATH, so Beads issue "${id}" was left as it is (would run: ${formatBdCommand(args)}); the JSONL export is read-only`,
      };
    }
    const result = await run(args);
    const changed = parseBdChangedIds(result.stdout, formatBdCommand(args));
    if (!changed.ok) throw new BeadsCommandError('BEADS_BAD_OUTPUT', changed.error, { args, ...result });
    if (changed.value.length === 0) {
      throw new BeadsCommandError(
        'BEADS_NOT_UPDATED',
        `${formatBdCommand(args)} changed nothing${said(result.stderr)}; check that "${id}" exists and is not pinned or blocked`,
        { args, ...result },
      );
    }
    return { synced: true, args };
  };

  const showWithBd = async (id: string): Promise<BeadsTaskInfo> => {
    const args = bdShowArgs(id);
    const result = await run(args);
    const parsed = parseBdShowJson(result.stdout, id);
    if (!parsed.ok) throw new BeadsCommandError('BEADS_BAD_OUTPUT', parsed.error, { args, ...result });
    if (parsed.value === undefined) {
      throw new BeadsCommandError(
        'BEADS_NOT_FOUND',
        `Beads issue "${id}" not found: ${formatBdCommand(args)} printed no issue${said(result.stderr)}`,
        {
          args,
          ...result,
        },
      );
    }
    return beadsTaskInfo(parsed.value, 'bd');
  };

  const showFromJsonl = async (id: string): Promise<BeadsTaskInfo> => {
    let text: string;
    try {
      text = await readFile(jsonlFile, 'utf8');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') {
        throw new FactoryError(
          'BEADS_JSONL_MISSING',
          `Cannot read Beads issue "${id}": bd is not on PATH and the Beads export ${jsonlFile} does not exist; install bd (https://github.com/steveyegge/beads) or point jsonlPath at an issues.jsonl export`,
          { file: jsonlFile, cause: e },
        );
      }
      throw new FactoryError('BEADS_JSONL_UNREADABLE', `Cannot read the Beads export ${jsonlFile}: ${(e as Error).message}`, {
        file: jsonlFile,
        cause: e,
      });
    }
    const found = findBeadsIssue(parseBeadsJsonl(text, jsonlFile), id, jsonlFile);
    if (!found.ok) throw new FactoryError('BEADS_NOT_FOUND', found.error, { file: jsonlFile });
    return beadsTaskInfo(found.value, 'jsonl');
  };

  return {
    bdAvailable,
    async show(id) {
      requireBeadsId(id);
      return (await bdAvailable()) ? showWithBd(id) : showFromJsonl(id);
    },
    // async, so invalid arguments reject the promise rather than throw at the call.
    syncStatus: async (id, taskStatus, reason) => change(bdSyncStatusArgs(id, taskStatus, reason), id),
    close: async (id, reason) => change(bdCloseArgs(id, reason), id),
    linkWorkspace: async (id, workspacePath) => change(bdLinkWorkspaceArgs(id, workspacePath), id),
  };
}
