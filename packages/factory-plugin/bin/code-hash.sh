# The `runtime` cache input of Factory's stage targets: prints what core's judgedCodeKey
# (code-hash/cache-input.ts) computes, with plain git, so that hashing a task costs a shell and a
# few git commands rather than a Node start (see docs/benchmarks.md). A test keeps the two equal.
#   sh code-hash.sh <workspace|tree> <slug> <backend|-> <workspace path|-> <base commit|->
# workspace: `main` while the stages judge the main tree (no workspace here, or one without work
#            beyond its base), else `git:<tree id>` of the workspace.
# tree:      the tree id of the judged code (workspace with work, else the main tree).
# The tree leaves out .factory/ and takes untracked, not ignored files; it is taken in a copy of
# git's index. When git fails it prints a value that differs on every run (never a stale hit).
mode=$1 slug=$2 backend=$3 ws=$4 base=$5
case $0 in */*) here=${0%/*} ;; *) here=. ;; esac
unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE GIT_PREFIX
export LC_ALL=C GIT_OPTIONAL_LOCKS=0
unhashed() { echo "unhashed $$ $(date +%s%N) $1"; exit 0; }

judged=.
if [ "$ws" != - ] && { [ -e "$ws/.git" ] || [ -d "$ws/.jj" ]; }; then
  [ "$backend" = jj ] && exec node "$here/../dist/runner/stage-runner.cjs" code-hash "$mode" "$slug"
  st=$(git -C "$ws" status --porcelain=v2 --branch --untracked-files=normal 2>/dev/null) || st='# error'
  head=$(printf '%s\n' "$st" | sed -n 's/^# branch\.oid //p')
  if [ "$base" = - ] || [ -z "$head" ]; then judged=$ws
  else
    case $head in "$base"*) printf '%s\n' "$st" | grep -qv '^#' && judged=$ws ;; *) judged=$ws ;; esac
  fi
fi
if [ "$mode" = workspace ] && [ "$judged" = . ]; then echo main; exit 0; fi
# Refreshes the index's file times, as `git status` does (no content changes; skipped while another
# git holds the index lock): in a fresh clone every later git of the run would otherwise read every
# file again (see docs/benchmarks.md, "racily clean").
git -C "$judged" update-index -q --refresh >/dev/null 2>&1

i=$(mktemp) || unhashed mktemp
idx=$(git -C "$judged" rev-parse --path-format=absolute --git-path index 2>/dev/null) || { rm -f "$i"; unhashed rev-parse; }
cp -p "$idx" "$i" 2>/dev/null || rm -f "$i"
tree=$(GIT_INDEX_FILE=$i git -C "$judged" add -A -- :/ &&
  GIT_INDEX_FILE=$i git -C "$judged" rm -r -q --cached --ignore-unmatch -- ':(top,literal).factory' &&
  GIT_INDEX_FILE=$i git -C "$judged" write-tree) || tree=
rm -f "$i"
[ -n "$tree" ] || unhashed git
if [ "$mode" = workspace ]; then echo "git:$tree"; else echo "$tree"; fi
