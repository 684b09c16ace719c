# The judged code of a task, with plain git: a shell and a few git commands cost less than a Node
# start, and less than the same git commands started from the stage runner's larger process
# (see docs/benchmarks.md).
#   sh code-hash.sh <workspace|tree> <slug> <backend|-> <workspace path|-> <base commit|->
#   sh code-hash.sh stage <slug> <backend|-> <workspace path|-> <base commit|-> <scratch directory>
# workspace: `main` while the stages judge the main tree (no workspace here, or one without work
#            beyond its base), else `git:<tree id>` of the workspace. The `runtime` cache input of
#            Factory's stage targets: what core's judgedCodeKey (code-hash/cache-input.ts) computes.
# tree:      the tree id of the judged code (workspace with work, else the main tree).
# stage:     what the stage runner needs as a stage starts, a line each: `root <dir>` (where the
#            judged code is: the workspace path, or `.`), `actor <git's user.email here, maybe
#            empty>` and `tree <id>` of the judged code, as core's codeTreeId computes it (no line
#            when git fails). The index copy is made in the scratch directory, or is there already
#            as `main` for the main tree, .factory left out (the runner made it, and removes both).
# The tree leaves out .factory/ and takes untracked, not ignored files; it is taken in a copy of
# git's index. Tests keep the three equal to core's. For `workspace` and `tree`, when git fails
# it prints a value that differs on every run (never a stale hit).
mode=$1
case $0 in */*) here=${0%/*} ;; *) here=. ;; esac
unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE GIT_PREFIX
export LC_ALL=C GIT_OPTIONAL_LOCKS=0 GIT_TERMINAL_PROMPT=0
unhashed() {
  [ "$mode" = stage ] || echo "unhashed $$ $(date +%s%N) $1"
  exit 0
}

slug=$2 backend=$3 ws=$4 base=$5 nl='
'
if [ "$mode" = stage ]; then
  { a=$(git config --get user.email 2>/dev/null); echo "actor $a"; } &
fi
judged=.
if [ "$ws" != - ] && { [ -e "$ws/.git" ] || [ -d "$ws/.jj" ]; }; then
  if [ "$backend" = jj ]; then
    [ "$mode" = stage ] || exec node "$here/../dist/runner/stage-runner.cjs" code-hash "$mode" "$slug"
    judged=$ws
  else
    st=$(git -C "$ws" status --porcelain=v2 --branch --untracked-files=normal 2>/dev/null) || st='# error'
    head=
    case $st in *"# branch.oid "*) head=${st#*"# branch.oid "}; head=${head%%"$nl"*} ;; esac
    if [ "$base" = - ] || [ -z "$head" ]; then judged=$ws
    else
      # work: commits beyond the base, or a line of the status that is not a header
      case $head in "$base"*) case "$nl$st" in *"$nl"[!#]*) judged=$ws ;; esac ;; *) judged=$ws ;; esac
    fi
  fi
fi
prepared=
if [ "$mode" = stage ]; then
  echo "root $judged"
  if [ "$judged" = . ] && [ -f "$6/main" ]; then i=$6/main prepared=1; else i=$6/index; fi
else
  if [ "$mode" = workspace ] && [ "$judged" = . ]; then echo main; exit 0; fi
  # Refreshes the index's file times, as `git status` does (no content changes; skipped while
  # another git holds the index lock): in a fresh clone every later git of the run would
  # otherwise read every file again (see docs/benchmarks.md, "racily clean").
  git -C "$judged" update-index -q --refresh >/dev/null 2>&1
  i=$(mktemp) || unhashed mktemp
fi

if [ -z "$prepared" ]; then
  # git's index, found without a git process where .git says it plainly
  idx=
  if [ -d "$judged/.git" ]; then idx=$judged/.git/index
  elif [ -f "$judged/.git" ] && IFS= read -r g <"$judged/.git"; then
    case $g in 'gitdir: '/*) idx=${g#gitdir: }/index ;; esac
  fi
  [ -n "$idx" ] || idx=$(git -C "$judged" rev-parse --path-format=absolute --git-path index 2>/dev/null) || { rm -f "$i"; unhashed rev-parse; }
  # -p: git trusts a file's cached stat only when the file was not changed at or after the index was written
  cp -p "$idx" "$i" 2>/dev/null || rm -f "$i"
fi
tree=$(GIT_INDEX_FILE=$i git -C "$judged" add -A -- :/ ':(exclude,top,literal).factory' &&
  { [ -n "$prepared" ] || GIT_INDEX_FILE=$i git -C "$judged" rm -r -q --cached --ignore-unmatch -- ':(top,literal).factory'; } &&
  GIT_INDEX_FILE=$i git -C "$judged" write-tree) || tree=
[ "$mode" = stage ] || rm -f "$i"
[ -n "$tree" ] || unhashed git
case $mode in
  workspace) echo "git:$tree" ;;
  stage) echo "tree $tree"; wait ;;
  *) echo "$tree" ;;
esac
