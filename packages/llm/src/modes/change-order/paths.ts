/**
 * The shape of a path a model may edit, checked before anything else (pure: no disk access).
 * A path must be relative to the code root, canonical (no `.` or empty segments), with forward
 * slashes, and must not climb out (`..`), be absolute, or touch `.git` or `.factory`.
 */
export const MAX_PATH_LENGTH = 1024;

const WINDOWS_ABSOLUTE = /^[A-Za-z]:/;
// eslint-disable-next-line no-control-regex -- control characters are what it looks for
const CONTROL = /[\u0000-\u001f\u007f]/;
const PROTECTED_SEGMENTS = new Set(['.git', '.factory']);

/** Undefined when `p` is an acceptable path; otherwise why it is not. */
export function pathProblem(p: string): string | undefined {
  if (p.length > MAX_PATH_LENGTH) return `the path is ${p.length} characters long, more than ${MAX_PATH_LENGTH}`;
  if (CONTROL.test(p)) return 'the path contains a control character';
  if (p.startsWith('/') || p.startsWith('~') || WINDOWS_ABSOLUTE.test(p))
    return 'the path is absolute; paths must be relative to the repository root';
  if (p.includes('\\')) return 'the path contains a backslash; use forward slashes';
  const segments = p.split('/');
  if (segments.includes('..')) return 'the path climbs out with ".." (path traversal)';
  if (segments.some((s) => s === '' || s === '.')) return 'the path is not canonical (empty or "." segments); write it as a/b/c';
  const guarded = segments.find((s) => PROTECTED_SEGMENTS.has(s));
  if (guarded === '.factory') return "the path is inside .factory/, Factory's own state, which no change order may touch";
  if (guarded === '.git') return "the path is inside .git/, the repository's own data";
  return undefined;
}
