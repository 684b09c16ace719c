import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  bundlePolicy,
  exportEvidence,
  FactoryError,
  loadEvidencePolicy,
  parseEvidenceBundle,
  resolveKeyId,
  validateSlug,
  verifyEvidenceBundle,
  type BundleReport,
  type BundleSection,
} from '@factory/core';
import { parseCommandArgs, str } from '../args';
import { UsageError, type CliContext } from '../context';

export const help = `factory evidence <export|verify> [options]

  export <slug> [--out <file>]
        writes the task's evidence bundle: each stage's signed attestation and the approval's
        verification summary (each a Sigstore bundle around the DSSE envelope), the task's
        audit trail and its copies in the workspace log, the audit checkpoint, and the public
        keys that signed them. Default file: <slug>.evidence.json here; --out - prints it.
  verify <bundle file> [--task <slug>] [--trust <key id>[,<key id>]] [--json]
        checks a bundle offline and says, stage by stage, what holds: the signature (by a
        trusted key), the statement, the subjects (the approved code and contract), the
        verdict, the audit anchor; the approval; the audit chain. Trusted are the keys the
        workspace it runs in trusts (.factory/config.yaml) and those given with --trust; never
        the bundle's own. --task: refuse a bundle of another task. Exits 1 when anything does
        not hold. Works outside a workspace too.

Each attestation in a bundle is a Sigstore bundle: @sigstore/verify (or any Sigstore
verifier that takes a public key) checks it with the key from .factory/keys/.`;

/** This command may run outside an Nx workspace (verify takes a file). */
export const anywhere = true;

async function exportCmd(ctx: CliContext, args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('evidence export', args, { out: { type: 'string' } });
  if (positionals[0] === undefined) throw new UsageError('factory evidence export: expected a slug, e.g. factory evidence export bd-52.1');
  const slug = validateSlug(positionals[0]);
  if (!slug.ok) throw new UsageError(`factory evidence export: ${slug.error}`);
  if (!existsSync(path.join(ctx.root, '.factory')))
    throw new UsageError(`factory evidence export: ${ctx.root} is not a Factory workspace (no .factory/ folder)`);
  const bundle = exportEvidence(ctx.root, slug.value);
  const text = `${JSON.stringify(bundle, null, 2)}\n`;
  const out = str(values.out) ?? `${slug.value}.evidence.json`;
  if (out === '-') {
    ctx.out(text);
    return 0;
  }
  writeFileSync(path.resolve(out), text);
  ctx.out(
    `Wrote ${out}: ${bundle.attestations.length} stage attestation${bundle.attestations.length === 1 ? '' : 's'}, ${bundle.approval ? 'the approval summary' : 'no approval'}, ${bundle.audit.trail.length} audit events, ${bundle.keys.length} public key${bundle.keys.length === 1 ? '' : 's'}.\n`,
  );
  return 0;
}

function printSection(ctx: CliContext, title: string, s: BundleSection): void {
  ctx.out(`${title.padEnd(22)}${s.ok ? 'holds' : 'DOES NOT HOLD'}\n`);
  for (const c of s.checks) ctx.out(`  ${c.ok ? 'ok  ' : 'FAIL'}  ${c.check.padEnd(20)}${c.detail}\n`);
}

function print(ctx: CliContext, r: BundleReport, file: string): void {
  ctx.out(`Evidence of ${r.task} (${file}, exported ${r.exported_at})\n`);
  for (const s of r.stages) printSection(ctx, `stage ${s.name}`, s);
  if (r.approval) printSection(ctx, 'approval', r.approval);
  else ctx.out('approval              none in the bundle (the task was not approved)\n');
  printSection(ctx, 'audit', r.audit);
  if (!r.stages.length && !r.approval) ctx.out('The bundle holds no attestation: nothing vouches for this task.\n');
  ctx.out(r.ok ? 'The evidence holds.\n' : 'The evidence does NOT hold (see FAIL above).\n');
}

async function verifyCmd(ctx: CliContext, args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('evidence verify', args, {
    task: { type: 'string' },
    trust: { type: 'string', multiple: true },
    json: { type: 'boolean' },
  });
  const file = positionals[0];
  if (!file) throw new UsageError('factory evidence verify: expected a bundle file, e.g. factory evidence verify bd-52.1.evidence.json');
  const task = str(values.task);
  if (task !== undefined && !validateSlug(task).ok)
    throw new UsageError(`factory evidence verify: --task: ${(validateSlug(task) as { error: string }).error}`);
  let text: string;
  try {
    text = readFileSync(path.resolve(file), 'utf8');
  } catch (e) {
    throw new FactoryError(
      'EVIDENCE_BUNDLE',
      `${file}: cannot read the bundle (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
      { file },
    );
  }
  const bundle = parseEvidenceBundle(text, file);
  const inWorkspace = existsSync(path.join(ctx.root, '.factory'));
  const base = inWorkspace ? loadEvidencePolicy(ctx.root) : undefined;
  const trust = ((values.trust as string[] | undefined) ?? [])
    .flatMap((t) => t.split(','))
    .map((t) => t.trim())
    .filter(Boolean);
  const known = [...(base?.keys.keys() ?? []), ...bundle.keys.map((k) => k.keyid)];
  const ids = trust.map((t) => {
    const r = resolveKeyId(t, known);
    if ('error' in r)
      throw new UsageError(
        `factory evidence verify: --trust: ${r.error.replace('is listed in .factory/keys/ (see factory keys list)', 'is in the bundle or the workspace')}`,
      );
    return r.keyid;
  });
  if (!base && !ids.length)
    ctx.err(
      'factory evidence verify: no key is trusted (outside a workspace, name the keys you trust with --trust <key id>); signatures will not hold\n',
    );
  const report = verifyEvidenceBundle(bundle, bundlePolicy(bundle, base, ids), { expectTask: task });
  if (values.json) ctx.out(`${JSON.stringify(report, null, 2)}\n`);
  else print(ctx, report, file);
  return report.ok ? 0 : 1;
}

export async function run(ctx: CliContext, args: string[]): Promise<number> {
  const [verb, ...rest] = args;
  if (verb === 'export') return exportCmd(ctx, rest);
  if (verb === 'verify') return verifyCmd(ctx, rest);
  throw new UsageError(
    `factory evidence: expected export or verify, got ${verb === undefined ? 'nothing' : JSON.stringify(verb)}; see factory evidence --help`,
  );
}
