import { diffLines } from 'diff';
import {
  checkContract,
  findDisabledTests,
  isManifest,
  scanSecrets,
  type AddedLine,
  type ChangedFile,
  type CheckedContract,
  type ManifestChange,
  type SecretAllowlist,
} from '@factory/core';
import type { Edit } from './edits';
import { pathProblem } from './paths';
import type { PathOnDisk } from './symlinks';

/** What is known about the disk before any edit is applied (gathered by `facts.ts`). */
export interface EditFacts {
  /** Each edited path as it is now: its kind, its content when a file, a symlink on it. */
  current: Map<string, PathOnDisk & { content?: string }>;
  /** Each edited path's content at the task's base commit (undefined: absent there). */
  atBase: Map<string, string | undefined>;
  /** The task's change so far (base commit → working tree), Factory's own state left out. */
  existing: ChangedFile[];
}

/** One file as the accepted edits leave it. `after` undefined: deleted. */
export interface FileChange {
  path: string;
  before?: string;
  after?: string;
}

export interface Vetting {
  ok: boolean;
  /** Every reason an edit was refused; each names the edit or the file and the rule. */
  refusals: string[];
  changes: FileChange[];
  /** Lines counted against the budget once the edits are applied. */
  linesCounted: number;
}

export interface VetOptions {
  maxFileBytes: number;
  secretsAllowlist?: SecretAllowlist;
}

export const DEFAULT_MAX_FILE_BYTES = 512 * 1024;

const count = (text: string, find: string) => text.split(find).length - 1;

/**
 * Decides whether a model's edits may touch the disk. Pure: takes the edits, the facts about
 * the disk and the contract, and returns every reason to refuse (all edits are refused together,
 * so the disk is never left half-changed) or the file changes to apply. Checks, in order: the
 * path's shape (absolute, `..`, `.git`, `.factory`), symlinks on the path, what the edit needs
 * (a file to replace in, text that occurs exactly once, size, no NUL bytes), then the contract
 * over the whole resulting change (allowed and forbidden files, line budget, new dependencies),
 * and secrets and tests switched off in the added lines.
 */
export function vetEdits(edits: readonly Edit[], facts: EditFacts, contract: CheckedContract, options: VetOptions): Vetting {
  const refusals: string[] = [];
  const state = new Map<string, string | undefined>();
  edits.forEach((edit, i) => {
    const label = `edit ${i + 1} (${edit.action} ${JSON.stringify(edit.path)})`;
    const shape = pathProblem(edit.path);
    if (shape) return void refusals.push(`${label}: ${shape}`);
    const disk = facts.current.get(edit.path);
    if (!disk) return void refusals.push(`${label}: the path was not examined`);
    if (disk.symlink) return void refusals.push(`${label}: ${disk.symlink}`);
    if (disk.kind === 'directory') return void refusals.push(`${label}: the path is a directory`);
    if (disk.kind === 'other') return void refusals.push(`${label}: the path is not a regular file (or a parent is not a directory)`);
    const now = state.has(edit.path) ? state.get(edit.path) : disk.content;
    if (edit.action === 'write') {
      const bytes = Buffer.byteLength(edit.content);
      if (bytes > options.maxFileBytes)
        return void refusals.push(`${label}: the content is ${bytes} bytes, more than the ${options.maxFileBytes} allowed for one file`);
      if (edit.content.includes('\0')) return void refusals.push(`${label}: the content has a NUL byte; binary files cannot be written`);
      state.set(edit.path, edit.content);
    } else if (edit.action === 'replace') {
      if (now === undefined) return void refusals.push(`${label}: the file does not exist; use "write" to create it`);
      const n = count(now, edit.find);
      if (n !== 1) return void refusals.push(`${label}: the text to find occurs ${n} times in the file, expected exactly once`);
      const next = now.replace(edit.find, () => edit.replace);
      if (Buffer.byteLength(next) > options.maxFileBytes)
        return void refusals.push(`${label}: the file would grow past ${options.maxFileBytes} bytes`);
      if (edit.replace.includes('\0')) return void refusals.push(`${label}: the replacement has a NUL byte`);
      state.set(edit.path, next);
    } else {
      if (now === undefined) return void refusals.push(`${label}: the file does not exist, so it cannot be deleted`);
      state.set(edit.path, undefined);
    }
  });

  const changes: FileChange[] = [];
  for (const [p, after] of state) {
    const before = facts.current.get(p)?.content;
    if (after !== before) changes.push({ path: p, before, after });
  }
  if (changes.length === 0 && refusals.length === 0) refusals.push('the edits change nothing');
  const contractCheck = checkResultingChange(changes, facts, contract);
  const added = addedByEdits(changes);
  refusals.push(...contractCheck.refusals, ...secretRefusals(added, options.secretsAllowlist), ...disabledTestRefusals(added));
  return { ok: refusals.length === 0, refusals, changes, linesCounted: contractCheck.linesCounted };
}

/** Lines added and removed between two versions of a file. */
function lineCounts(before: string | undefined, after: string | undefined): { added: number; removed: number } {
  let added = 0;
  let removed = 0;
  for (const part of diffLines(before ?? '', after ?? '')) {
    if (part.added) added += part.count ?? 0;
    else if (part.removed) removed += part.count ?? 0;
  }
  return { added, removed };
}

function checkResultingChange(
  changes: FileChange[],
  facts: EditFacts,
  contract: CheckedContract,
): { refusals: string[]; linesCounted: number } {
  const touched = new Set(changes.map((c) => c.path));
  const merged: ChangedFile[] = facts.existing.filter((f) => !touched.has(f.path));
  const manifests: ManifestChange[] = [];
  for (const c of changes) {
    const base = facts.atBase.get(c.path);
    if (base === c.after) continue; // back to what it was at base: no longer part of the change
    const { added, removed } = lineCounts(base, c.after);
    const status = base === undefined ? 'added' : c.after === undefined ? 'deleted' : 'modified';
    merged.push({ path: c.path, status, added, removed, binary: false });
    if (isManifest(c.path)) manifests.push({ path: c.path, before: base, after: c.after });
  }
  const before = checkContract(contract, facts.existing, []);
  const after = checkContract(contract, merged, manifests);
  const refusals: string[] = [];
  for (const v of after.violations) {
    if (v.rule === 'max_lines_changed') {
      if (after.metrics.lines_counted > before.metrics.lines_counted) refusals.push(`contract: ${v.message}`);
    } else if (v.file !== undefined && touched.has(v.file)) refusals.push(`contract: ${v.message}`);
  }
  return { refusals, linesCounted: after.metrics.lines_counted };
}

/** The lines the edits add, numbered as in the files they leave. */
function addedByEdits(changes: FileChange[]): AddedLine[] {
  const lines: AddedLine[] = [];
  for (const c of changes) {
    if (c.after === undefined) continue;
    let line = 1;
    for (const part of diffLines(c.before ?? '', c.after)) {
      if (part.removed) continue;
      const texts = part.value.split('\n');
      if (texts[texts.length - 1] === '') texts.pop();
      if (part.added) texts.forEach((text, k) => lines.push({ file: c.path, line: line + k, text }));
      line += texts.length;
    }
  }
  return lines;
}

/** Secrets (keys, tokens) in the lines the edits add: a model must never write one into the code. */
function secretRefusals(added: AddedLine[], allowlist?: SecretAllowlist): string[] {
  return scanSecrets(added, { allowlist }).map(
    (f) => `secrets: ${f.file}:${f.line}: adds what looks like a secret (${f.rule}, ${f.preview}); secrets never go into code`,
  );
}

/** Tests the edits switch off (`it.skip`, `t.Skip`, `#[ignore]`): a model makes tests pass, never silent. */
function disabledTestRefusals(added: AddedLine[]): string[] {
  return findDisabledTests(added).map(
    (d) => `tests_disabled: ${d.file}:${d.line}: switches a test off (${d.marker}); make the test pass instead of switching it off`,
  );
}
