/**
 * The environment git runs with: C locale (stable messages), never a prompt or a pager, no
 * optional index lock (parallel readers), and none of the variables a git hook sets that would
 * point git at another repository than `cwd`. No imports: the light bundles use it too.
 */
export function gitEnv(extra: Record<string, string> = {}): Record<string, string | undefined> {
  return {
    GIT_DIR: undefined,
    GIT_WORK_TREE: undefined,
    GIT_INDEX_FILE: undefined,
    GIT_PREFIX: undefined,
    LC_ALL: 'C',
    GIT_TERMINAL_PROMPT: '0',
    GIT_PAGER: 'cat',
    PAGER: 'cat',
    GIT_OPTIONAL_LOCKS: '0',
    ...extra,
  };
}
