import path from 'node:path';
import type { ChangedFile, ManifestChange } from '../../gates/changes';
import { checkContract, type ContractCheck, type Violation } from '../../gates/contract-check';
import { isManifest } from '../../gates/dependencies';
import { ALLOW_SKIP_MARKER, findDisabledTests, holdsTests } from '../../gates/disabled-tests';
import { addedLines } from '../../repo/added-lines';
import { changedFilesAt } from '../../repo/changes';
import { fileAtBase } from '../../repo/diff';
import { readTextIfExists } from '../../store/atomic';
import { GLOBAL_FILES, symlinkEscape, taskPaths } from '../../store/paths';
import type { BuiltinStageHandler, BuiltinStageOutcome } from '../builtin-stage';
import { earlyChangesFor } from '../early-changes';
import { loadTaskContract, openTaskDiff, taskChanges, taskPath, type TaskDiff } from './task-diff';
import { plural } from '../../domain/plural';

/** Each changed dependency manifest's text at the base commit and now. */
async function readManifests(diff: TaskDiff, codeRoot: string, changes: readonly ChangedFile[]): Promise<ManifestChange[]> {
  const out: ManifestChange[] = [];
  const inRepo = (p: string) => (diff.prefix === '' ? p : `${diff.prefix}/${p}`);
  for (const c of changes) {
    if (!isManifest(c.path) && !(c.oldPath && isManifest(c.oldPath))) continue;
    const before = c.status === 'added' ? undefined : await fileAtBase(diff.gitRoot, diff.base.sha, inRepo(c.oldPath ?? c.path));
    const after = c.status === 'deleted' ? undefined : readTextIfExists(path.join(codeRoot, c.path));
    out.push({ path: c.path, before, after });
  }
  return out;
}

/** The task's added lines that switch a test off, as `tests_disabled` violations (no diff is read when no test file changed). */
async function disabledTests(diff: TaskDiff, changes: readonly ChangedFile[]): Promise<Violation[]> {
  const inRepo = (p: string) => (diff.prefix === '' ? p : `${diff.prefix}/${p}`);
  const paths = changes.filter((c) => c.status !== 'deleted' && holdsTests(c.path)).map((c) => inRepo(c.path));
  if (paths.length === 0) return [];
  const lines = [];
  for (const l of await addedLines(diff.gitRoot, diff.base.sha, { resolved: true, paths })) {
    const file = taskPath(diff, l.file);
    if (file !== undefined) lines.push({ ...l, file });
  }
  return findDisabledTests(lines).map((d) => ({
    rule: 'tests_disabled',
    file: d.file,
    line: d.line,
    message: `${d.file}:${d.line}: tests_disabled: the change switches a test off (${d.marker}), and a test that does not run proves nothing; remove it, or put ${ALLOW_SKIP_MARKER} in a comment on the line if the test is meant to be off`,
  }));
}

function report(check: ContractCheck, max: number): string {
  const m = check.metrics;
  const lines = [
    `${plural(m.files_changed, 'file')} changed (+${m.lines_added} -${m.lines_removed} lines)`,
    `line budget: ${m.lines_counted} of max_lines_changed ${max} counted; ${m.lines_excluded} in lockfiles and generated files not counted`,
    `dependencies added: ${m.dependencies_added.length ? m.dependencies_added.join(', ') : 'none'}`,
  ];
  if (check.violations.length)
    lines.push(`${plural(check.violations.length, 'violation')}:`, ...check.violations.map((v) => `  ${v.message}`));
  if (check.warnings.length) lines.push('warnings:', ...check.warnings.map((w) => `  ${w}`));
  return `${lines.join('\n')}\n`;
}

/**
 * The `contract` stage: checks every file the task changed since its base commit (committed,
 * staged, unstaged and untracked; `.factory/` excluded) against the contract's allowed and
 * forbidden globs, the line budget (lockfiles and generated files not counted) and, unless
 * `new_dependencies_allowed`, the dependency manifests.
 */
export const contractStage: BuiltinStageHandler = async (run): Promise<BuiltinStageOutcome> => {
  const slug = run.invocation.slug;
  const diff = await openTaskDiff(run.root, run.codeRoot, slug, run.prepared?.changes);
  // git diffs (the slow part on a large change) while the contract is read and validated; the
  // runner usually started it before this code was even loaded.
  const changed =
    (await earlyChangesFor(run.prepared?.changes, diff.gitRoot, diff.base.sha))?.changes ?? changedFilesAt(diff.gitRoot, diff.base.sha);
  changed.catch(() => undefined);
  const { contract } = loadTaskContract(run.root, slug, run.prepared?.contract);
  run.log(
    `contract: ${taskPaths(slug).contract} (over ${GLOBAL_FILES.contract}); changes since ${diff.base.sha.slice(0, 12)} (${diff.base.source}); .factory/ not counted\n`,
  );
  const changes = taskChanges(diff, await changed);
  const manifests = await readManifests(diff, run.codeRoot, changes);
  const check = checkContract(contract, changes, manifests);
  check.violations.push(...(await disabledTests(diff, changes)));
  // A link the task added or changed that leads out of the repository lets a stage read what is outside (tsc compiles through it).
  for (const c of changes) {
    const escape = c.status === 'deleted' ? undefined : symlinkEscape(run.codeRoot, c.path);
    if (escape) {
      check.violations.push({
        rule: 'allowed_files',
        file: c.path,
        message: `${c.path}: allowed_files: expected a file inside the repository, found a symlink leading out of it (${escape})`,
      });
    }
  }
  run.log(report(check, contract.max_lines_changed));
  const m = check.metrics;
  const metrics = {
    files_changed: m.files_changed,
    lines_added: m.lines_added,
    lines_removed: m.lines_removed,
    lines_counted: m.lines_counted,
    lines_excluded: m.lines_excluded,
    max_lines_changed: contract.max_lines_changed,
    dependencies_added: m.dependencies_added.join(', '),
    violations: check.violations.length,
  };
  const findings = check.violations.map((v) => ({
    rule: v.rule,
    ...(v.file ? { file: v.file } : {}),
    ...(v.line ? { line: v.line } : {}),
    message: v.message,
  }));
  const first = check.violations[0];
  const more = check.violations.length - 1;
  const summary = first
    ? `${first.message}${more > 0 ? ` (and ${plural(more, 'more violation')}; see the log)` : ''}`
    : `the contract holds: ${plural(m.files_changed, 'file')} changed, ${m.lines_counted} of ${contract.max_lines_changed} lines, ${
        m.dependencies_added.length ? `dependencies added (allowed): ${m.dependencies_added.join(', ')}` : 'no new dependencies'
      }`;
  return { ok: !first, summary, metrics, findings, warnings: check.warnings };
};
