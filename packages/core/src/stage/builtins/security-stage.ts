import { GENERIC_RULE, PRIVATE_KEY_RULE, TOKEN_RULES } from '../../gates/secret-rules';
import { scanSecrets, type SecretFinding } from '../../gates/secrets';
import { addedLines, type AddedLine } from '../../repo/added-lines';
import { taskPaths } from '../../store/paths';
import type { BuiltinStageHandler, BuiltinStageOutcome } from '../builtin-stage';
import { loadTaskContract, openTaskDiff, taskPath } from './task-diff';
import { plural } from '../../domain/plural';

const DESCRIPTIONS = new Map<string, string>([
  [PRIVATE_KEY_RULE.id, PRIVATE_KEY_RULE.description],
  ...TOKEN_RULES.map((r) => [r.id, r.description] as [string, string]),
  [GENERIC_RULE.id, GENERIC_RULE.description],
]);

/**
 * Why no dependency audit runs: each ecosystem's audit (npm audit, govulncheck, cargo audit,
 * pip-audit) asks an advisory database on the network, which a gate meant to run anywhere
 * (and in this project's CI, with only the npm registry reachable) cannot rely on.
 */
export const DEPENDENCY_AUDIT_NOTE =
  'dependency audit: not run; the audits of npm, Go, Cargo and pip all need an advisory database on the network. ' +
  'Add a stage with your own command to run one (e.g. `cargo audit --no-fetch` against a local advisory-db).';

/** One finding as a line: where, which rule, a masked preview and the fingerprint; never the value. */
export function describeSecret(f: SecretFinding): string {
  return `${f.file}:${f.line}:${f.column}: ${f.rule}: ${DESCRIPTIONS.get(f.rule) ?? 'a secret'} is added (${f.preview}, fingerprint ${f.fingerprint})`;
}

/**
 * The `security` stage: scans every line the task added since its base commit (committed,
 * staged, unstaged and untracked files; `.factory/` excluded) for secrets. Findings name the
 * file, line and rule with a masked preview and a fingerprint; the secret itself is never
 * written or printed. False positives: a `factory:allow-secret` comment on the line, or the
 * contract's `secrets_allowlist` (fingerprints, paths, rules).
 */
export const securityStage: BuiltinStageHandler = async (run): Promise<BuiltinStageOutcome> => {
  const slug = run.invocation.slug;
  const { contract } = loadTaskContract(run.root, slug, run.prepared?.contract);
  const diff = await openTaskDiff(run.root, run.codeRoot, slug, run.prepared?.changes);
  const lines: AddedLine[] = [];
  for (const l of await addedLines(diff.gitRoot, diff.base.sha, { resolved: true })) {
    const file = taskPath(diff, l.file);
    if (file !== undefined) lines.push({ ...l, file });
  }
  const files = new Set(lines.map((l) => l.file)).size;
  run.log(
    `secrets: scanned ${plural(lines.length, 'added line')} in ${plural(files, 'file')} since ${diff.base.sha.slice(0, 12)} (${diff.base.source}); .factory/ not scanned\n`,
  );
  const findings = scanSecrets(lines, { allowlist: contract.secrets_allowlist });
  for (const f of findings) run.log(`  ${describeSecret(f)}\n`);
  run.log(`${DEPENDENCY_AUDIT_NOTE}\n`);
  const metrics = { lines_scanned: lines.length, files_scanned: files, secrets_found: findings.length };
  if (findings.length === 0)
    return { ok: true, summary: `no secrets in ${plural(lines.length, 'added line')} of ${plural(files, 'file')}`, metrics, findings: [] };
  const more = findings.length - 1;
  const allow = `if it is not a secret, add its fingerprint to secrets_allowlist in ${taskPaths(slug).contract}`;
  return {
    ok: false,
    summary: `${describeSecret(findings[0])}${more > 0 ? ` (and ${more} more; see the log)` : ''}; the value is not shown. Remove it, or ${allow}`,
    metrics,
    findings: findings.map((f) => ({ rule: f.rule, file: f.file, line: f.line, column: f.column, message: describeSecret(f) })),
  };
};
