/**
 * `runGit` under the name the workspace backends use; it runs on node's own `spawn` (see
 * repo/git.ts for why).
 */
export { runGit as gitRun } from '../repo/git';
