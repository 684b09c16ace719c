import {
  createTaskWorkspace,
  deleteTaskWorkspace,
  existingTaskWorkspace,
  listTaskWorkspaces,
  restoreTaskWorkspace,
  validateSlug,
} from '@factory/core';
import { parseCommandArgs, str } from '../args';
import { requireTask } from '../../surfaces/require-task';
import { UsageError, type CliContext } from '../context';
import { table } from '../format';

export const help = `factory workspace <create|path|list|restore|delete> [slug] [options]

A task's isolated workspace (a git worktree on factory/<slug>, or a jj workspace).
  create <slug>           make it from the task's base commit (nx g factory:task does this)
  path <slug>             print where the task's code is (its workspace, else the repository)
  list [--json]           tasks with a workspace
  restore <slug> <n>      make its content that of n commits ago (1: the last commit), as
                          uncommitted changes; uncommitted work is saved first
  delete <slug> [--force] remove it; refused with uncommitted or unmerged work unless --force
                          (uncommitted work is then saved under refs/factory/<slug>/deleted/;
                          the branch and its commits are always kept)`;

const parse = (cmd: string, args: string[], options: Parameters<typeof parseCommandArgs>[2]) =>
  parseCommandArgs(`workspace ${cmd}`, args, options);

function slugOf(cmd: string, value: string | undefined): string {
  if (!value) throw new UsageError(`factory workspace ${cmd}: expected a slug, e.g. factory workspace ${cmd} bd-52.1`);
  const v = validateSlug(value);
  if (!v.ok) throw new UsageError(`factory workspace ${cmd}: ${v.error}`);
  return v.value;
}

export async function run(ctx: CliContext, args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  const common = { actor: { type: 'string' as const } };
  switch (sub) {
    case 'create': {
      const { values, positionals } = parse(sub, rest, common);
      const ws = await createTaskWorkspace(ctx.root, slugOf(sub, positionals[0]), { actor: str(values.actor) });
      ctx.out(`${ws.slug}: ${ws.created ? 'created' : 'already has'} ${ws.path}${ws.branch ? ` on ${ws.branch}` : ''}\n`);
      return 0;
    }
    case 'path': {
      const { positionals } = parse(sub, rest, {});
      const slug = slugOf(sub, positionals[0]);
      requireTask(ctx.root, slug);
      // The workspace itself (for `cd`), or the repository root when the task has none here.
      ctx.out(`${existingTaskWorkspace(ctx.root, slug)?.dir ?? ctx.root}\n`);
      return 0;
    }
    case 'list': {
      const { values } = parse(sub, rest, { json: { type: 'boolean' } });
      const all = listTaskWorkspaces(ctx.root);
      if (values.json) ctx.out(`${JSON.stringify({ v: 1, workspaces: all }, null, 2)}\n`);
      else if (all.length === 0) ctx.out('no task has a workspace\n');
      else
        ctx.out(
          `${table(
            ['task', 'backend', 'path', 'here'],
            all.map((w) => [w.slug, w.backend, w.path, w.present ? 'yes' : 'no']),
          )}\n`,
        );
      return 0;
    }
    case 'restore': {
      const { values, positionals } = parse(sub, rest, common);
      const slug = slugOf(sub, positionals[0]);
      const n = Number(positionals[1]);
      if (!Number.isInteger(n) || n < 1)
        throw new UsageError(
          `factory workspace restore: expected a number of commits of at least 1, got ${JSON.stringify(positionals[1] ?? '')}`,
        );
      const r = await restoreTaskWorkspace(ctx.root, slug, n, { actor: str(values.actor) });
      ctx.out(
        `${slug}: the workspace now holds the content of ${n} commit(s) ago${r.saved ? `; your uncommitted work was saved as ${r.saved.ref}` : ''}\n`,
      );
      return 0;
    }
    case 'delete': {
      const { values, positionals } = parse(sub, rest, { ...common, force: { type: 'boolean' } });
      const slug = slugOf(sub, positionals[0]);
      const r = await deleteTaskWorkspace(ctx.root, slug, { force: Boolean(values.force), actor: str(values.actor) });
      const kept = r.branch ? ` The branch ${r.branch} keeps the task's commits.` : '';
      ctx.out(`${slug}: workspace deleted.${r.saved ? ` Uncommitted work saved as ${r.saved.ref}.` : ''}${kept}\n`);
      return 0;
    }
    default:
      throw new UsageError(
        `factory workspace: expected create, path, list, restore or delete, got ${JSON.stringify(sub ?? '')}. See factory workspace --help`,
      );
  }
}
