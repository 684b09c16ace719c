import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DOCUMENT_LIMIT_BYTES, readDocumentIfExists, writeFileAtomicSync } from './atomic';

describe('readDocumentIfExists', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'factory-doc-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, content: string | Buffer) => {
    writeFileSync(path.join(dir, name), content);
    return path.join(dir, name);
  };

  it('reads UTF-8 text (a byte-order mark dropped); undefined when there is no file', () => {
    expect(readDocumentIfExists(file('a.yaml', '\ufeffcafé: 1\n'), 'a.yaml')).toBe('café: 1\n');
    expect(readDocumentIfExists(path.join(dir, 'none.yaml'), 'none.yaml')).toBeUndefined();
  });

  it('refuses a file over the limit before reading it, naming the file, the limit and the size', () => {
    const big = file('big.yaml', Buffer.alloc(50 * 1024 * 1024, 0x61));
    expect(() => readDocumentIfExists(big, '.factory/x/contract.yaml')).toThrow(
      '.factory/x/contract.yaml: (document): expected at most 256 KiB, found 50.0 MiB',
    );
    expect(readDocumentIfExists(file('edge.yaml', 'a'.repeat(DOCUMENT_LIMIT_BYTES)), 'edge.yaml')).toHaveLength(DOCUMENT_LIMIT_BYTES);
  });

  it('refuses bytes that are not UTF-8, naming the line', () => {
    expect(() => readDocumentIfExists(file('l.yaml', Buffer.from('a: 1\nb: caf\xe9\n', 'latin1')), 'l.yaml')).toThrow(
      'l.yaml: line 2: expected UTF-8 text, found bytes that are not UTF-8 (save the file as UTF-8)',
    );
  });

  it('refuses a directory or a named pipe in place of the file, without waiting on the pipe', () => {
    mkdirSync(path.join(dir, 'd.yaml'));
    expect(() => readDocumentIfExists(path.join(dir, 'd.yaml'), 'd.yaml')).toThrow(/^d\.yaml: \(document\): expected a file, found/);
    execFileSync('mkfifo', [path.join(dir, 'p.yaml')]);
    expect(() => readDocumentIfExists(path.join(dir, 'p.yaml'), 'p.yaml')).toThrow(
      'p.yaml: (document): expected a file, found something else',
    );
  });
});

describe('writeFileAtomicSync', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'factory-write-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the whole content and leaves no temporary file', () => {
    const file = path.join(dir, 'sub', 'rollout.yaml');
    writeFileAtomicSync(file, 'a: 1\n');
    writeFileAtomicSync(file, 'a: 2\n', { durable: false });
    expect(readFileSync(file, 'utf8')).toBe('a: 2\n');
    expect(readdirSync(path.dirname(file))).toEqual(['rollout.yaml']);
  });

  it('removes its temporary file when the write fails', () => {
    mkdirSync(path.join(dir, 'taken'));
    mkdirSync(path.join(dir, 'taken', 'x'));
    expect(() => writeFileAtomicSync(path.join(dir, 'taken'), 'a')).toThrow();
    expect(readdirSync(dir)).toEqual(['taken']);
  });

  it("removes what a writer killed mid-write left behind, and keeps a live writer's", () => {
    // A process that has exited: its pid is free (or reused by a process that is not writing here).
    const dead = Number(execFileSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }));
    writeFileSync(path.join(dir, `.rollout.yaml.tmp-${dead}-0a0b0c0d`), 'half');
    writeFileSync(path.join(dir, `.rollout.yaml.tmp-${process.ppid}-01020304`), 'in flight');
    writeFileAtomicSync(path.join(dir, 'rollout.yaml'), 'a: 1\n');
    expect(readdirSync(dir).sort()).toEqual([`.rollout.yaml.tmp-${process.ppid}-01020304`, 'rollout.yaml']);
  });
});
