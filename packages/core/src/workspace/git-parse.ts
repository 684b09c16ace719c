import type { ChangedPath, ListedWorkspace, SavedAttempt, SavedKind } from './backend';

/** Pure parsers of git's machine-readable (`-z`) outputs. */

const GITLINK = '160000';

/** `git diff-tree -r -z --no-renames --raw A B`: `:<mode> <mode> <id> <id> <status>\0<path>\0`… */
export function parseRawDiff(out: string): ChangedPath[] {
  const parts = out.split('\0');
  const changes: ChangedPath[] = [];
  for (let i = 0; i + 1 < parts.length; i += 2) {
    const meta = parts[i];
    if (!meta.startsWith(':')) break;
    const [srcMode, dstMode, , , status] = meta.slice(1).split(' ');
    const kind = status.startsWith('A') ? 'added' : status.startsWith('D') ? 'deleted' : 'modified';
    changes.push(srcMode === GITLINK || dstMode === GITLINK ? { path: parts[i + 1], kind, gitlink: true } : { path: parts[i + 1], kind });
  }
  return changes;
}

/** `git status --porcelain=v1 -z --untracked-files=all --no-renames`: `XY <path>\0`… */
export function parseStatusZ(out: string): ChangedPath[] {
  const changes: ChangedPath[] = [];
  for (const entry of out.split('\0')) {
    if (entry.length < 4) continue;
    const x = entry[0];
    const y = entry[1];
    const p = entry.slice(3);
    if (x === '!') continue;
    const kind = x === '?' || x === 'A' ? 'added' : x === 'D' || y === 'D' ? 'deleted' : 'modified';
    changes.push({ path: p, kind });
  }
  return changes;
}

/** `git worktree list --porcelain -z`: the worktrees on a `factory/<slug>` branch. */
export function parseWorktreeList(out: string): ListedWorkspace[] {
  const found: ListedWorkspace[] = [];
  let cur: { dir?: string; head?: string; branch?: string } = {};
  const flush = () => {
    const m = cur.branch ? /^refs\/heads\/factory\/(.+)$/.exec(cur.branch) : null;
    if (cur.dir && m) found.push({ slug: m[1], dir: cur.dir, head: cur.head, branch: `factory/${m[1]}` });
    cur = {};
  };
  for (const field of out.split('\0')) {
    if (field === '') flush();
    else if (field.startsWith('worktree ')) cur.dir = field.slice(9);
    else if (field.startsWith('HEAD ')) cur.head = field.slice(5);
    else if (field.startsWith('branch ')) cur.branch = field.slice(7);
  }
  flush();
  return found;
}

export const FOR_EACH_REF_FORMAT = '%(refname)%00%(objectname)%00%(creatordate:iso-strict)%00%(parent)%00%(subject)%00';

/** `git for-each-ref --format=FOR_EACH_REF_FORMAT refs/factory/<slug>/`, one record per line. */
export function parseSavedRefs(slug: string, out: string): SavedAttempt[] {
  const saved: SavedAttempt[] = [];
  for (const line of out.split('\n')) {
    const [ref, commit, date, parent, subject] = line.split('\0');
    if (!ref || !commit) continue;
    const m = /^refs\/factory\/[^/]+\/(reverted|saved|deleted)\/(\d+)$/.exec(ref);
    if (!m) continue;
    saved.push({
      slug,
      kind: m[1] as SavedKind,
      n: Number(m[2]),
      ref,
      commit,
      date,
      parent: (parent ?? '').split(' ')[0],
      subject: subject ?? '',
    });
  }
  const order: SavedKind[] = ['reverted', 'saved', 'deleted'];
  return saved.sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind) || a.n - b.n);
}
