import { lstatSync, readlinkSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { FactoryError } from '../domain/errors';
import { validateSlug } from '../domain/slug';

export const FACTORY_DIR = '.factory';

/** Where everything of one task lives, relative to the workspace (repository) root. */
export interface TaskPaths {
  slug: string;
  /** `.factory/<slug>` (relative, forward slashes): the Nx project root. */
  dir: string;
  task: string;
  contract: string;
  status: string;
  spec: string;
  results: string;
  audit: string;
  flags: string;
  metrics: string;
  /** Rollout state: strategy, steps, current percentage, history. */
  rollout: string;
  lock: string;
}

/** The task's files, relative to the root. Throws on a slug that is not valid (no traversal). */
export function taskPaths(slug: string): TaskPaths {
  const v = validateSlug(slug);
  if (!v.ok) throw new FactoryError('SLUG', v.error, { field: 'slug' });
  const dir = `${FACTORY_DIR}/${slug}`;
  return {
    slug,
    dir,
    task: `${dir}/task.yaml`,
    contract: `${dir}/contract.yaml`,
    status: `${dir}/status.yaml`,
    spec: `${dir}/spec.md`,
    results: `${dir}/results`,
    audit: `${dir}/audit.jsonl`,
    flags: `${dir}/feature-flags.json`,
    metrics: `${dir}/metrics.yaml`,
    rollout: `${dir}/rollout.yaml`,
    lock: `${dir}/.lock`,
  };
}

export const GLOBAL_FILES = {
  config: `${FACTORY_DIR}/config.yaml`,
  contract: `${FACTORY_DIR}/contract.yaml`,
  auditLog: `${FACTORY_DIR}/audit.log`,
} as const;

/** The stage's result and log files inside the task's results directory. */
export function stageResultFiles(slug: string, stage: string): { json: string; log: string } {
  const { results } = taskPaths(slug);
  return { json: `${results}/stage-${stage}.json`, log: `${results}/stage-${stage}.log` };
}

/** Resolves a repository-relative path and checks it stays inside the root. */
export function insideRoot(root: string, relative: string): string {
  const abs = path.resolve(root, relative);
  const rel = path.relative(root, abs);
  if (rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel)) {
    throw new FactoryError('PATH', `expected a path inside ${root}, got ${JSON.stringify(relative)}`);
  }
  return abs;
}

const isInside = (root: string, abs: string) => {
  const rel = path.relative(root, abs);
  return !(rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel));
};

/**
 * The symlink on the way from `root` to `relative` (the path itself included) that leads out of
 * the root, as `link → target` (the link relative to the root, the target as the link says);
 * undefined when every part stays inside, or the path does not exist.
 */
export function symlinkEscape(root: string, relative: string): string | undefined {
  let realRoot: string;
  try {
    realRoot = realpathSync(root);
  } catch {
    return undefined;
  }
  let at = root;
  for (const part of path
    .normalize(relative)
    .split(path.sep)
    .filter((p) => p && p !== '.')) {
    at = path.join(at, part);
    let link: boolean;
    try {
      link = lstatSync(at).isSymbolicLink();
    } catch {
      return undefined; // Not there: the caller says so.
    }
    if (!link) continue;
    let real: string;
    try {
      real = realpathSync(at);
    } catch {
      real = path.resolve(path.dirname(at), readlinkSync(at)); // A dangling link: where it points.
    }
    if (!isInside(realRoot, real)) return `${path.relative(root, at).split(path.sep).join('/')} → ${readlinkSync(at)}`;
  }
  return undefined;
}

/**
 * insideRoot, and no symlink on the way leads out of the root: a path a contract names
 * (working_directory, report_file) is refused with the link and its target named.
 */
export function realInsideRoot(root: string, relative: string, field: string): string {
  const abs = insideRoot(root, relative);
  const escape = symlinkEscape(root, relative);
  if (escape) {
    throw new FactoryError(
      'PATH',
      `${field}: expected a path inside the repository, got ${JSON.stringify(relative)}, which leads out of it through the symlink ${escape}`,
    );
  }
  return abs;
}
