import {
  closeSync,
  constants,
  fstatSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import path from 'node:path';

/** The file's text, or undefined when it does not exist. Other errors (permissions) throw. */
export function readTextIfExists(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/**
 * The most a Factory document (contract, task, config, status, rollout) may hold. Real ones are a
 * few kilobytes; the limit keeps a file nobody wrote by hand (60,000 keys, 50 MB) from stalling
 * the project graph, which parses every contract.
 */
export const DOCUMENT_LIMIT_BYTES = 256 * 1024;

const units = (n: number) => (n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MiB` : `${Math.ceil(n / 1024)} KiB`);

/**
 * A Factory document's text, or undefined when it does not exist. Refused before it is parsed,
 * with an error naming the file (`shown`) and what was wrong: more than `limit` bytes (checked
 * before reading), bytes that are not UTF-8, not a regular file. Other errors (permissions) throw.
 */
export function readDocumentIfExists(file: string, shown: string, limit = DOCUMENT_LIMIT_BYTES): string | undefined {
  let fd: number;
  try {
    // Non-blocking: a named pipe in a document's place is refused below instead of waiting for a writer.
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    if ((e as NodeJS.ErrnoException).code === 'EISDIR') {
      throw new Error(`${shown}: (document): expected a file, found a directory`, { cause: e });
    }
    throw e;
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new Error(`${shown}: (document): expected a file, found something else (a directory, a device or a pipe)`);
    if (stat.size > limit) {
      throw new Error(
        `${shown}: (document): expected at most ${units(limit)}, found ${units(stat.size)}; a Factory file is a few kilobytes written by a person, so this one was not read`,
      );
    }
    return decodeUtf8(readFileSync(fd), shown);
  } finally {
    closeSync(fd);
  }
}

/** Bytes as UTF-8 text; bytes that are not UTF-8 are an error naming the file and the line. */
export function decodeUtf8(bytes: Buffer, shown: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const lossy = bytes.toString('utf8');
    const at = lossy.indexOf('\uFFFD');
    const line = lossy.slice(0, Math.max(at, 0)).split('\n').length;
    throw new Error(`${shown}: line ${line}: expected UTF-8 text, found bytes that are not UTF-8 (save the file as UTF-8)`);
  }
}

/**
 * Writes a file atomically: a hidden temporary file beside it (`.<name>.tmp-<pid>-<random>`),
 * fsync, rename. A crash leaves either the old or the new content, never a half-written file,
 * and the temporary file never outlives the write: it is removed when the write fails, and one
 * left by a process that was killed mid-write (SIGKILL runs no cleanup) is removed by the next
 * write of the same file. `durable: false` skips the fsync, for state that means nothing after
 * a machine crash (a run lock: its holders are gone with the machine).
 */
export function writeFileAtomicSync(file: string, content: string, opts: { durable?: boolean } = {}): void {
  const dir = path.dirname(file);
  const base = path.basename(file);
  mkdirSync(dir, { recursive: true });
  sweepStaleTemps(dir, base);
  const temp = path.join(
    dir,
    `${tempPrefix(base)}${process.pid}-${process.getBuiltinModule('node:crypto').randomBytes(4).toString('hex')}`,
  );
  let renamed = false;
  try {
    const fd = openSync(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o644);
    try {
      writeSync(fd, content, null, 'utf8');
      if (opts.durable ?? true) fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, file);
    renamed = true;
  } finally {
    if (!renamed) rmSync(temp, { force: true });
  }
}

const tempPrefix = (base: string) => `.${base}.tmp-`;

/** Removes temporary files of `base` whose writer process is gone. */
function sweepStaleTemps(dir: string, base: string): void {
  const prefix = tempPrefix(base);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number(name.slice(prefix.length).split('-')[0]);
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && !alive(pid)) rmSync(path.join(dir, name), { force: true });
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function toJson(data: unknown): string {
  return `${JSON.stringify(data, null, 2)}\n`;
}
