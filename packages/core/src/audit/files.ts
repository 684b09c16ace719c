import { closeSync, openSync, readdirSync, readSync, fstatSync } from 'node:fs';
import path from 'node:path';

/**
 * Rotated audit files are `<file>.<n>`, n counting up from 1: the higher, the newer. The live
 * file has no number. Rotation renames the live file to the next number (one atomic rename),
 * so a crash never leaves two files with one name or a gap in the middle of the chain.
 */
export function rotatedFiles(file: string): { n: number; file: string }[] {
  const dir = path.dirname(file);
  const base = path.basename(file);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const out: { n: number; file: string }[] = [];
  for (const name of names) {
    if (!name.startsWith(`${base}.`)) continue;
    const rest = name.slice(base.length + 1);
    if (/^[1-9][0-9]{0,8}$/.test(rest)) out.push({ n: Number(rest), file: path.join(dir, name) });
  }
  return out.sort((a, b) => a.n - b.n);
}

/** Every file of a chain, oldest first: the rotated ones, then the live one. */
export function chainFiles(file: string): string[] {
  return [...rotatedFiles(file).map((r) => r.file), file];
}

const CHUNK = 64 * 1024;

/** The last complete (newline-terminated), non-empty line of a file, or undefined. Reads backwards in chunks. */
export function lastCompleteLine(file: string): string | undefined {
  return findLastLine(file, () => true);
}

/**
 * The last complete line of a file for which `match` holds, reading backwards in chunks (only
 * as far as needed); undefined when none does.
 */
export function findLastLine(file: string, match: (line: string) => boolean): string | undefined {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return undefined;
  }
  try {
    let pos = fstatSync(fd).size;
    // Bytes after the last newline seen so far belong to a line whose start is further back.
    let carry = Buffer.alloc(0);
    let complete = false; // whether `carry` ends at a newline (the file's own tail may be torn)
    while (pos > 0) {
      const from = Math.max(0, pos - CHUNK);
      const chunk = Buffer.alloc(pos - from);
      readSync(fd, chunk, 0, chunk.length, from);
      pos = from;
      let buf = Buffer.concat([chunk, carry]);
      let end = buf.length;
      for (let i = buf.lastIndexOf(0x0a, end - 1); i >= 0; i = i > 0 ? buf.lastIndexOf(0x0a, i - 1) : -1) {
        if (complete) {
          const line = buf.subarray(i + 1, end).toString('utf8');
          if (line && match(line)) return line;
        }
        complete = true;
        end = i;
      }
      buf = buf.subarray(0, end);
      carry = buf;
    }
    if (complete && carry.length) {
      const line = carry.toString('utf8');
      if (match(line)) return line;
    }
    return undefined;
  } finally {
    closeSync(fd);
  }
}
