import { validateSlug, verifyAuditTrails } from '@factory/core';
import { UsageError, type CliContext } from '../context';

export const help = `factory audit verify [<slug> ...] [--json]

Verifies the hash chains of the audit trail: .factory/audit.log and every task's
.factory/<slug>/audit.jsonl, across rotated files. Names the first edited, removed or
reordered event of each broken chain and exits 1. Prints each chain's head (last seq and
hash): keep it somewhere else to detect a later removal of the newest events.
--json prints { version: 1, ok, chains: [{ file, files, ok, events, head, problem, warnings }] }.`;

export async function run(ctx: CliContext, args: string[]): Promise<number> {
  const [verb, ...rest] = args;
  if (verb !== 'verify') throw new UsageError('factory audit: expected "verify", e.g. factory audit verify');
  const slugs = rest.filter((a) => !a.startsWith('-'));
  for (const s of slugs) {
    const v = validateSlug(s);
    if (!v.ok) throw new UsageError(`factory audit verify: ${v.error}`);
  }
  const report = verifyAuditTrails(ctx.root, slugs.length ? slugs : undefined);
  if (rest.includes('--json')) {
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
  if (!report.chains.length) ctx.out('No audit trail yet.\n');
  if (!report.ok) ctx.err('factory audit verify: the audit trail has been tampered with or damaged (see FAIL above)\n');
  return report.ok ? 0 : 1;
}
