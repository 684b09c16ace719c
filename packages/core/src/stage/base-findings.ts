import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { linesUnder, type BaseFinding } from '../findings/base-match';
import type { FindingFormat } from '../findings/finding';
import { parseFindings } from '../findings/parse';
import { resolveFindings } from '../findings/paths';
import { runShellCommand, type ProcessTag } from '../process/run';
import { extractErrorSummary } from '../process/summary';
import { runGit } from '../repo/git';
import { linkInstalled } from '../workspace/installed-deps';
import { privateTempDirectory } from './scratch';

export interface BaseLint {
  /** The root of the git working tree the stage judged. */
  codeRoot: string;
  /** The task's base commit id. */
  base: string;
  /** Where the tool ran, inside `codeRoot`. */
  cwd: string;
  command: string;
  format: FindingFormat;
  /** The environment the tool ran with. */
  env: Record<string, string | undefined>;
  /** What of that environment the task chose (contract and stage `env`): part of the cache key. */
  chosenEnv: Record<string, string>;
  timeoutMs: number;
  redact: (text: string) => string;
  signal?: AbortSignal;
  tag?: ProcessTag;
}

export type BaseFindings = { findings: BaseFinding[] } | { error: string };

/** Folders of installed dependencies, not in git, that a tool needs beside the code. */
const INSTALLED = ['node_modules', '.venv', 'venv'];

/** `a/b/c` → `['', 'a', 'a/b']`: the directories above a repository-relative directory. */
function ancestors(rel: string): string[] {
  const parts = rel === '' ? [] : rel.split('/');
  return parts.map((_, i) => parts.slice(0, i).join('/'));
}

/**
 * The findings the stage's tool reports on the task's base commit, for telling the findings the
 * task's change brought from those that were already there. The base's files are written to a
 * private temporary directory from git's objects (a temporary index: the repository, its index
 * and its worktrees are not touched): everything under the directory the tool runs in, and the
 * files (not folders) of each directory above it, where configurations live. Installed
 * dependencies (`node_modules`, a virtualenv) are linked from the working tree. The tool runs
 * there with the stage's command and environment. Its answer depends only on the base commit,
 * the command and the task's chosen environment, so it is kept (in the user's private temporary
 * directory) and reused by later runs.
 */
export async function baseFindings(req: BaseLint): Promise<BaseFindings> {
  const rel = path.relative(req.codeRoot, req.cwd).split(path.sep).join('/');
  if (rel.startsWith('..') || path.isAbsolute(rel)) return { error: `the tool ran outside the repository (${req.cwd})` };
  const privateDir = privateTempDirectory();
  const key = createHash('sha256')
    .update(
      JSON.stringify({
        v: 1,
        root: realpathSync(req.codeRoot),
        base: req.base,
        rel,
        command: req.command,
        format: req.format,
        env: Object.entries(req.chosenEnv).sort(([a], [b]) => a.localeCompare(b)),
      }),
    )
    .digest('hex')
    .slice(0, 32);
  const kept = privateDir ? path.join(privateDir, `base-findings-${key}.json`) : undefined;
  if (kept && existsSync(kept)) {
    try {
      const findings = JSON.parse(readFileSync(kept, 'utf8')) as BaseFinding[];
      if (Array.isArray(findings)) {
        const now = new Date();
        utimesSync(kept, now, now); // in use: kept from pruning
        return { findings };
      }
    } catch {
      // Unreadable: look again.
    }
  }
  const work = mkdtempSync(path.join(privateDir ?? tmpdir(), 'factory-base-'));
  try {
    const tree = path.join(work, 'tree');
    const index = path.join(work, 'index');
    const listed = await runGit(['ls-tree', '-r', '-z', '--full-tree', req.base], { cwd: req.codeRoot });
    const above = new Set(ancestors(rel));
    const files: string[] = [];
    for (const entry of listed.stdout.split('\0')) {
      const tab = entry.indexOf('\t');
      if (tab < 0 || entry.split(' ')[1] !== 'blob') continue;
      const file = entry.slice(tab + 1);
      const dir = path.posix.dirname(file) === '.' ? '' : path.posix.dirname(file);
      if (rel === '' || file.startsWith(`${rel}/`) || above.has(dir)) files.push(file);
    }
    const env = { GIT_INDEX_FILE: index };
    await runGit(['read-tree', req.base], { cwd: req.codeRoot, env });
    mkdirSync(tree);
    await runGit(['checkout-index', '-z', '--stdin', `--prefix=${tree}/`], { cwd: req.codeRoot, env, input: files.join('\0') });
    // The tool's folder must be the base's own (not a link the base made, out of the tree).
    const realTree = realpathSync(tree);
    const realCwd = realPath(path.join(tree, rel));
    if (realCwd === undefined || (realCwd !== realTree && !realCwd.startsWith(`${realTree}${path.sep}`)))
      return { error: `${rel || '.'} is not a folder of the base commit` };
    const cwd = path.join(tree, rel);
    linkInstalled(
      req.codeRoot,
      tree,
      [rel, ...above].flatMap((dir) => INSTALLED.map((name) => (dir === '' ? name : `${dir}/${name}`))),
    );
    const scratch = path.join(work, 'tmp');
    mkdirSync(scratch);
    const run = await runShellCommand(req.command, {
      cwd,
      env: { ...req.env, FACTORY_CODE_ROOT: tree, FACTORY_TMP: scratch },
      timeoutMs: req.timeoutMs,
      signal: req.signal,
      tag: req.tag,
    });
    if (run.spawnError || run.timedOut || run.aborted) {
      return { error: run.timedOut ? 'the tool timed out on the base commit' : 'the tool did not run on the base commit' };
    }
    const output = req.redact(run.output);
    const findings = resolveFindings(parseFindings(output, req.format), { cwd, root: tree });
    if (findings.length === 0 && run.exitCode !== 0) {
      return { error: `the tool failed on the base commit: ${extractErrorSummary(output).split('\n')[0]}` };
    }
    const lineOf = linesUnder(tree);
    const withText: BaseFinding[] = findings.map((f) => (f.line === undefined ? f : { ...f, text: lineOf(f.file, f.line) }));
    if (kept) {
      const part = `${kept}.${process.pid}`;
      writeFileSync(part, JSON.stringify(withText), { mode: 0o600 });
      renameSync(part, kept);
      pruneKept(path.dirname(kept), Date.now());
    }
    return { findings: withText };
  } catch (e) {
    return { error: `the base commit could not be written out: ${(e as Error).message.split('\n')[0]}` };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** A base's findings not used for a week are removed (each task's base changes as work lands). */
const KEPT_FOR_MS = 7 * 24 * 3600 * 1000;

export function pruneKept(dir: string, now: number): void {
  for (const name of readdirSync(dir)) {
    if (!name.startsWith('base-findings-')) continue;
    const file = path.join(dir, name);
    try {
      if (now - statSync(file).mtimeMs > KEPT_FOR_MS) rmSync(file, { force: true });
    } catch {
      // Gone already, or another run's: nothing to keep tidy.
    }
  }
}

function realPath(p: string): string | undefined {
  try {
    return realpathSync(p);
  } catch {
    return undefined;
  }
}
