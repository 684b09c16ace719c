import { validateSlug, verifyAuditTrails, writeAuditCheckpoint } from '@factory/core';
import { parseCommandArgs } from '../args';
import { UsageError, type CliContext } from '../context';

export const help = `factory audit verify [<slug> ...] [--json]
factory audit checkpoint

verify: checks .factory/audit.log and every task's .factory/<slug>/audit.jsonl, across
rotated files: each hash chain (an edited, removed or reordered event); each task trail
against the workspace log, which holds a copy of every task event with its hash (a trail
deleted, emptied, cut short, or rewritten and re-hashed from any event); each trail against
the head its signed approval summary recorded; and every chain against the signed checkpoint
.factory/audit-checkpoint.intoto.json when there is one. Names what is wrong and exits 1.
--json prints { version: 1, ok, chains: [{ file, files, ok, events, head, problem, warnings }],
checkpoint? }.

checkpoint: signs the head of every chain with your key (factory keys init) into
.factory/audit-checkpoint.intoto.json; commit it. Removing the newest events from both a task
trail and the workspace log is then detected too. Refuses when the trail does not verify.`;

async function checkpoint(ctx: CliContext): Promise<number> {
  const r = await writeAuditCheckpoint(ctx.root, { env: ctx.env });
  ctx.out(
    `Signed ${r.heads.length} chain head${r.heads.length === 1 ? '' : 's'} with key ${r.keyid.slice(0, 16)} into ${r.file}; commit it.\n`,
  );
  return 0;
}

export async function run(ctx: CliContext, args: string[]): Promise<number> {
  const [verb, ...rest] = args;
  if (verb === 'checkpoint') {
    const { positionals } = parseCommandArgs('audit checkpoint', rest, {});
    if (positionals.length) throw new UsageError(`factory audit checkpoint: expected no arguments, got ${positionals.join(' ')}`);
    return checkpoint(ctx);
  }
  if (verb !== 'verify') throw new UsageError('factory audit: expected "verify" or "checkpoint", e.g. factory audit verify');
  const { values, positionals: slugs } = parseCommandArgs('audit verify', rest, { json: { type: 'boolean' } });
  for (const s of slugs) {
    const v = validateSlug(s);
    if (!v.ok) throw new UsageError(`factory audit verify: ${v.error}`);
  }
  const report = verifyAuditTrails(ctx.root, slugs.length ? slugs : undefined);
  if (values.json) {
    ctx.out(`${JSON.stringify(report, null, 2)}\n`);
    return report.ok ? 0 : 1;
  }
  for (const c of report.chains) {
    if (c.ok)
      ctx.out(
        `ok    ${c.file}  ${c.events} event${c.events === 1 ? '' : 's'}${c.files.length > 1 ? ` in ${c.files.length} files` : ''}${c.head ? `, head ${c.head.seq} ${c.head.hash.slice(0, 16)}` : ''}\n`,
      );
    else ctx.out(`FAIL  ${c.file}  ${c.problem?.kind}: ${c.problem?.message}\n`);
    for (const w of c.warnings) ctx.out(`      warning: ${w}\n`);
  }
  if (report.checkpoint) ctx.out(`${report.checkpoint.ok ? 'ok  ' : 'FAIL'}  checkpoint: ${report.checkpoint.message}\n`);
  if (!report.chains.length) ctx.out('No audit trail yet.\n');
  if (!report.ok) ctx.err('factory audit verify: the audit trail has been tampered with or damaged (see FAIL above)\n');
  return report.ok ? 0 : 1;
}
