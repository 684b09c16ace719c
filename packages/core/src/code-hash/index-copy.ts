import { createHash } from 'node:crypto';
import { copyFileSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync, type BigIntStats } from 'node:fs';

/**
 * Copies git's index to `to` for a private `GIT_INDEX_FILE`, keeping its modification time (made
 * 1 ms earlier). git trusts an entry's cached stat only when the file was not modified at or
 * after the index was written ("racy git"); a plain copy would carry a newer mtime and make a
 * file changed just after the last index write, with the same size, look unchanged.
 * Without an index (a repository with no commit yet) the copy is absent: git starts empty.
 */
export function copyIndex(from: string, to: string): void {
  const st = statSync(from, { throwIfNoEntry: false, bigint: true });
  if (!st) {
    rmSync(to, { force: true });
    return;
  }
  copyFileSync(from, to);
  keepTime(to, st);
}

function keepTime(file: string, st: BigIntStats): void {
  const mtime = Number(st.mtimeNs / 1000n) / 1e6 - 0.001;
  utimesSync(file, mtime, mtime);
}

/**
 * `copyIndex`, leaving out the entries of the top-level directories `dirs` (and files of those
 * names), as `git rm -r --cached -- :(top,literal)<dir>…` would, without starting git. The cache
 * tree is kept but for the root and `dirs`, which it marks as changed; other extensions are
 * dropped (their offsets and caches no longer hold). Returns false, writing nothing, for an
 * index it does not read (version 4, a split or sparse index, an unknown required extension,
 * a checksum that does not match): the caller then asks git.
 */
export function copyIndexWithout(from: string, to: string, dirs: readonly string[]): boolean {
  const st = statSync(from, { throwIfNoEntry: false, bigint: true });
  if (!st) {
    rmSync(to, { force: true });
    return true;
  }
  const data = readFileSync(from);
  const filtered = withoutDirs(data, dirs);
  if (!filtered) return false;
  if (filtered === data) copyFileSync(from, to);
  else writeFileSync(to, filtered);
  keepTime(to, st);
  return true;
}

/** The index `data` without the entries of `dirs` (itself when it has none), or undefined when it is not an index read here. */
function withoutDirs(data: Buffer, dirs: readonly string[]): Buffer | undefined {
  if (data.length < 12 + 20 || data.toString('latin1', 0, 4) !== 'DIRC') return undefined;
  const version = data.readUInt32BE(4);
  if (version !== 2 && version !== 3) return undefined;
  const hash = checksumAlgorithm(data);
  if (!hash) return undefined;
  const { algorithm, size: oidSize } = hash;
  const end = data.length - oidSize;
  const count = data.readUInt32BE(8);
  const kept: Buffer[] = [];
  let keptCount = 0;
  let at = 12;
  for (let n = 0; n < count; n++) {
    const flagsAt = at + 40 + oidSize;
    if (flagsAt + 2 > end) return undefined;
    const flags = data.readUInt16BE(flagsAt);
    const extended = (flags & 0x4000) !== 0;
    if (extended && version < 3) return undefined;
    const nameAt = flagsAt + 2 + (extended ? 2 : 0);
    const nul = data.indexOf(0, nameAt);
    if (nul < 0 || nul >= end) return undefined;
    // Entries are padded with 1 to 8 NULs to a multiple of 8 bytes.
    const next = at + ((nameAt - at + (nul - nameAt) + 8) & ~7);
    if (next > end) return undefined;
    const path = data.toString('utf8', nameAt, nul);
    if (!dirs.some((dir) => path === dir || path.startsWith(`${dir}/`))) {
      kept.push(data.subarray(at, next));
      keptCount++;
    }
    at = next;
  }
  const extensions: Buffer[] = [];
  while (at < end) {
    if (at + 8 > end) return undefined;
    const signature = data.toString('latin1', at, at + 4);
    const size = data.readUInt32BE(at + 4);
    if (at + 8 + size > end) return undefined;
    // An extension whose signature starts with a capital letter is optional, else git needs it (a split or sparse index).
    if (!/^[A-Z]/.test(signature)) return undefined;
    if (signature === 'TREE' && keptCount < count) {
      const tree = cacheTreeWithout(data.subarray(at + 8, at + 8 + size), dirs, oidSize);
      if (!tree) return undefined;
      const header = Buffer.alloc(8);
      header.write('TREE', 0, 'latin1');
      header.writeUInt32BE(tree.length, 4);
      extensions.push(header, tree);
    }
    at += 8 + size;
  }
  if (keptCount === count) return data;
  const header = Buffer.from(data.subarray(0, 12));
  header.writeUInt32BE(keptCount, 8);
  const body = Buffer.concat([header, ...kept, ...extensions]);
  return Buffer.concat([body, createHash(algorithm).update(body).digest()]);
}

/** The index's object format, told by which hash its trailing checksum is (sha1 or sha256). */
function checksumAlgorithm(data: Buffer): { algorithm: string; size: number } | undefined {
  for (const [algorithm, size] of [
    ['sha1', 20],
    ['sha256', 32],
  ] as const) {
    if (data.length < 12 + size) continue;
    const sum = createHash(algorithm)
      .update(data.subarray(0, data.length - size))
      .digest();
    if (sum.equals(data.subarray(data.length - size))) return { algorithm, size };
  }
  return undefined;
}

interface CacheTreeNode {
  name: string;
  entries: number;
  oid?: Buffer;
  children: CacheTreeNode[];
}

/**
 * The cache tree (`TREE`: per directory, pre-order, `name NUL entries SP subtrees LF [oid]`) with
 * `dirs` removed and the root marked invalid (entries -1, no oid), so git computes it again.
 */
function cacheTreeWithout(data: Buffer, dirs: readonly string[], oidSize: number): Buffer | undefined {
  let at = 0;
  const read = (): CacheTreeNode | undefined => {
    const nul = data.indexOf(0, at);
    const lf = nul < 0 ? -1 : data.indexOf(10, nul);
    if (nul < 0 || lf < 0) return undefined;
    const m = /^(-?\d+) (\d+)$/.exec(data.toString('latin1', nul + 1, lf));
    if (!m) return undefined;
    const node: CacheTreeNode = { name: data.toString('utf8', at, nul), entries: Number(m[1]), children: [] };
    at = lf + 1;
    if (node.entries >= 0) {
      if (at + oidSize > data.length) return undefined;
      node.oid = data.subarray(at, at + oidSize);
      at += oidSize;
    }
    for (let i = 0, n = Number(m[2]); i < n; i++) {
      const child = read();
      if (!child) return undefined;
      node.children.push(child);
    }
    return node;
  };
  const root = read();
  if (!root || at !== data.length) return undefined;
  root.entries = -1;
  root.oid = undefined;
  root.children = root.children.filter((c) => !dirs.includes(c.name));
  const out: Buffer[] = [];
  const write = (node: CacheTreeNode) => {
    out.push(Buffer.from(`${node.name}\0${node.entries} ${node.children.length}\n`, 'utf8'));
    if (node.entries >= 0 && node.oid) out.push(node.oid);
    node.children.forEach(write);
  };
  write(root);
  return Buffer.concat(out);
}
