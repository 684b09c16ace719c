import { listTcrAttempts, restoreTcrAttempt, runTcrCycle, TCR_EXIT_CODES, validateSlug, watchTcr, type SavedKind } from '@factory/core';
import { parseCommandArgs, str } from '../args';
import { UsageError, type CliContext } from '../context';
import { table } from '../format';

export const help = `factory tcr <run|list|restore> <slug> [options]

Test-Code-Revert in a task's workspace.
  run <slug>            run the test stages; pass: commit "<slug>: ..." (Factory-Task trailer);
                        fail: save the attempt as refs/factory/<slug>/reverted/<n>, then revert
      --variant relaxed|strict   relaxed (default) keeps test files on a revert; strict reverts all
      --stages a,b      test stages (default: tcr.stages in .factory/config.yaml, else unit-test)
      --message <text>  the commit summary after "<slug>: "
      --watch           run a cycle whenever the workspace changes (debounced); Ctrl-C stops
      --max-attempts N  with --watch: stop after N cycles in a row without a commit
      --wait <seconds>  wait when the task is busy with another run (default: fail at once)
  list <slug> [--json]  the task's reverted attempts (and work set aside), with their files
  restore <slug> <n>    bring reverted attempt n back, byte for byte; the current work is saved
                        first (refs/factory/<slug>/saved/<n>). --kind saved|deleted for others.

Exit codes of run: 0 committed (or nothing to commit), 1 tests failed and reverted,
2 build failed (nothing reverted), 3 configuration error, 4 VCS error, 5 task busy,
6 gave up after --max-attempts. Through Nx: nx run <slug>:tcr (success or failure only).`;

function slugOf(cmd: string, value: string | undefined): string {
  if (!value) throw new UsageError(`factory tcr ${cmd}: expected a slug, e.g. factory tcr ${cmd} bd-52.1`);
  const v = validateSlug(value);
  if (!v.ok) throw new UsageError(`factory tcr ${cmd}: ${v.error}`);
  return v.value;
}

const parse = (cmd: string, args: string[], options: Parameters<typeof parseCommandArgs>[2]) =>
  parseCommandArgs(`tcr ${cmd}`, args, options);

const num = (cmd: string, name: string, v: unknown): number | undefined => {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0)
    throw new UsageError(`factory tcr ${cmd}: --${name}: expected a number of at least 0, got ${JSON.stringify(v)}`);
  return n;
};

async function runCmd(ctx: CliContext, args: string[]): Promise<number> {
  const { values, positionals } = parse('run', args, {
    variant: { type: 'string' },
    stages: { type: 'string' },
    message: { type: 'string' },
    watch: { type: 'boolean' },
    'max-attempts': { type: 'string' },
    'debounce-ms': { type: 'string' },
    wait: { type: 'string' },
    actor: { type: 'string' },
  });
  const slug = slugOf('run', positionals[0]);
  const variant = str(values.variant);
  if (variant !== undefined && variant !== 'relaxed' && variant !== 'strict') {
    throw new UsageError(`factory tcr run: --variant: expected relaxed or strict, got ${JSON.stringify(variant)}`);
  }
  const ac = new AbortController();
  const stop = () => ac.abort();
  process.once('SIGINT', stop);
  try {
    const req = {
      root: ctx.root,
      slug,
      variant: variant as 'relaxed' | 'strict' | undefined,
      stages: str(values.stages)
        ?.split(',')
        .map((s) => s.trim())
        .filter(Boolean),
      message: str(values.message),
      actor: str(values.actor),
      waitMs: (num('run', 'wait', values.wait) ?? 0) * 1000,
      out: ctx.out,
      signal: ac.signal,
    };
    const o = values.watch
      ? await watchTcr({
          ...req,
          maxAttempts: num('run', 'max-attempts', values['max-attempts']),
          debounceMs: num('run', 'debounce-ms', values['debounce-ms']),
        })
      : await runTcrCycle(req);
    return TCR_EXIT_CODES[o.result];
  } finally {
    process.removeListener('SIGINT', stop);
  }
}

const KINDS = ['reverted', 'saved', 'deleted'];

async function listCmd(ctx: CliContext, args: string[]): Promise<number> {
  const { values, positionals } = parse('list', args, { json: { type: 'boolean' }, kind: { type: 'string' } });
  const slug = slugOf('list', positionals[0]);
  const kind = str(values.kind);
  if (kind !== undefined && !KINDS.includes(kind))
    throw new UsageError(`factory tcr list: --kind: expected one of ${KINDS.join(', ')}, got ${JSON.stringify(kind)}`);
  const attempts = await listTcrAttempts(ctx.root, slug, { kind: kind as SavedKind | undefined });
  if (values.json) {
    ctx.out(`${JSON.stringify({ v: 1, slug, attempts }, null, 2)}\n`);
    return 0;
  }
  if (attempts.length === 0) {
    ctx.out(`${slug}: no saved attempts\n`);
    return 0;
  }
  const rows = attempts.map((a) => [
    `${a.kind} ${a.n}`,
    a.date.replace('T', ' ').slice(0, 19),
    a.commit.slice(0, 12),
    String(a.files.length),
    a.subject,
  ]);
  ctx.out(`${table(['attempt', 'saved', 'commit', 'files', 'subject'], rows)}\n\nBring one back with: factory tcr restore ${slug} <n>\n`);
  return 0;
}

async function restoreCmd(ctx: CliContext, args: string[]): Promise<number> {
  const { values, positionals } = parse('restore', args, { kind: { type: 'string' }, actor: { type: 'string' }, wait: { type: 'string' } });
  const slug = slugOf('restore', positionals[0]);
  const n = Number(positionals[1]);
  if (!Number.isInteger(n) || n < 1)
    throw new UsageError(
      `factory tcr restore: expected the attempt's number (see factory tcr list ${slug}), got ${JSON.stringify(positionals[1] ?? '')}`,
    );
  const kind = str(values.kind) ?? 'reverted';
  if (!KINDS.includes(kind))
    throw new UsageError(`factory tcr restore: --kind: expected one of ${KINDS.join(', ')}, got ${JSON.stringify(kind)}`);
  const r = await restoreTcrAttempt(
    ctx.root,
    slug,
    { n, kind: kind as SavedKind },
    { actor: str(values.actor), waitMs: (num('restore', 'wait', values.wait) ?? 0) * 1000 },
  );
  const aside = r.setAside ? ` Your previous work was saved first as ${r.setAside.ref}.` : '';
  ctx.out(`${slug}: restored ${r.restored.ref} (${r.files.length} file(s)) into the workspace.${aside}\n`);
  return 0;
}

export async function run(ctx: CliContext, args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'run') return runCmd(ctx, rest);
  if (sub === 'list') return listCmd(ctx, rest);
  if (sub === 'restore') return restoreCmd(ctx, rest);
  throw new UsageError(`factory tcr: expected run, list or restore, got ${JSON.stringify(sub ?? '')}. See factory tcr --help`);
}
