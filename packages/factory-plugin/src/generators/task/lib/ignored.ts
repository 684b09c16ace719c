import { execFileSync } from 'node:child_process';

/**
 * The .gitignore rule that ignores `file` in the repository at `root` (`.gitignore:4:/*`), or
 * undefined when git does not ignore it or there is no repository to ask. Nx leaves git-ignored
 * files out of its graph, so a task whose files are ignored is no project (npm/ini's
 * template-oss writes a `.gitignore` of `/*` with exceptions).
 */
export function ignoringRule(root: string, file: string): string | undefined {
  try {
    const out = execFileSync('git', ['check-ignore', '-v', '--no-index', '--', file], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const rule = out.split('\t')[0].trim();
    // A negated rule (`!/.factory/`) that matches is git saying the file is kept.
    return rule === '' || /:\d+:!/.test(rule) ? undefined : rule;
  } catch {
    return undefined; // exit 1: not ignored; 128: no repository
  }
}
