export { runGit, checkGit, formatGitCommand, type GitOptions, type GitResult } from './git';
export { findRepoRoot, detectLanguage, type RepoRoot } from './root';
export { resolveBase, currentCommit, isClean } from './commits';
export { changedFiles } from './changes';
export { fileDiff, fileAtBase } from './diff';
export { addedLines, type AddedLine } from './added-lines';
