/**
 * Where a task's code is: the repository root until the task has an isolated workspace.
 */
export function taskCodeRoot(root: string, _slug: string): string {
  return root;
}
