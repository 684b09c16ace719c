# Prints a hash of the content of the git worktree at "$1": every file, tracked and untracked,
# not ignored. Factory's stage targets use it as an Nx `runtime` cache input (see
# src/inference/workspace-input.ts). `git add -A` goes into a copy of the worktree's index (its
# mtime kept, so git rechecks only files changed since the index was written), then
# `git write-tree` prints the tree. `none` when the worktree is not there (a CI clone has the
# task's record, not its workspace); when git fails, a value that differs on every run, so it
# can never produce a stale cache hit.
d=$1
if [ -e "$d/.git" ]; then
  i=$(mktemp) && { cp -p "$(git -C "$d" rev-parse --path-format=absolute --git-path index)" "$i" 2>/dev/null || rm -f "$i"; } &&
    GIT_INDEX_FILE="$i" git -C "$d" add -A && GIT_INDEX_FILE="$i" git -C "$d" write-tree || echo "unhashed $$"
  rm -f "$i"
else
  echo none
fi
