import { jest } from '@jest/globals';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { appendAuditEvent, appendToChain, AUDIT_MAX_BYTES } from './append';
import { chainEvent, hashEvent, eventBody, GENESIS_HASH } from './chain';
import type { AuditEvent } from './event';
import { rotatedFiles } from './files';
import { verifyChain } from './verify';
import { verifyAuditTrails } from './verify-all';

// Real git, real processes: slow on a loaded machine.
jest.setTimeout(60_000);

const input = (n: number) => ({ task: 'bd-1', actor: 'ann@example.com', action: 'stage_completed', outcome: 'success', details: { n } });
const readLines = (f: string) => readFileSync(f, 'utf8').trimEnd().split('\n');
const writeLines = (f: string, lines: string[]) => writeFileSync(f, `${lines.join('\n')}\n`);

describe('verifyChain', () => {
  let dir: string;
  let file: string;
  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'factory-verify-'));
    file = path.join(dir, 'audit.jsonl');
    for (let i = 1; i <= 5; i++) await appendToChain(file, input(i));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('passes an untouched chain and reports its head', () => {
    const r = verifyChain(file);
    const last = JSON.parse(readLines(file)[4]) as AuditEvent;
    expect(r).toMatchObject({ ok: true, events: 5, head: { seq: 5, hash: last.hash }, warnings: [] });
  });

  it('names an edited event', () => {
    const lines = readLines(file);
    lines[2] = lines[2].replace('ann@example.com', 'mallory@example.com');
    writeLines(file, lines);
    expect(verifyChain(file).problem).toEqual({
      kind: 'edited',
      file,
      line: 3,
      seq: 3,
      message: `${file}:3: event 3 (stage_completed) was edited: its content no longer matches its hash`,
    });
  });

  it('names an event that was edited and re-hashed, through the next event', () => {
    const lines = readLines(file);
    const e = JSON.parse(lines[1]) as AuditEvent;
    const forged = { ...eventBody(e), outcome: 'forged' };
    lines[1] = JSON.stringify({ ...forged, hash: hashEvent(forged) });
    writeLines(file, lines);
    expect(verifyChain(file).problem).toMatchObject({ kind: 'edited', line: 2, seq: 2 });
  });

  it('names a removed event', () => {
    const lines = readLines(file);
    lines.splice(2, 1);
    writeLines(file, lines);
    expect(verifyChain(file).problem).toMatchObject({
      kind: 'removed',
      line: 3,
      seq: 4,
      message: expect.stringContaining('event 3 is missing between event 2 and event 4'),
    });
  });

  it('names the removal of the first event', () => {
    writeLines(file, readLines(file).slice(1));
    expect(verifyChain(file).problem).toMatchObject({ kind: 'removed', line: 1, seq: 2 });
  });

  it('names reordered events', () => {
    const lines = readLines(file);
    [lines[1], lines[3]] = [lines[3], lines[1]];
    writeLines(file, lines);
    expect(verifyChain(file).problem).toMatchObject({
      kind: 'reordered',
      line: 2,
      seq: 4,
      message: expect.stringContaining(`event 2 is at ${file}:4`),
    });
  });

  it('names a line that is not an event', () => {
    const lines = readLines(file);
    lines[0] = '{"hello": 1}';
    writeLines(file, lines);
    expect(verifyChain(file).problem).toMatchObject({ kind: 'malformed', line: 1 });
  });

  it('warns about, but passes, a torn last line left by a crash mid-write', () => {
    appendFileSync(file, '{"v":1,"seq":6,"ts":"20');
    const r = verifyChain(file);
    expect(r.ok).toBe(true);
    expect(r.warnings).toEqual([`${file}:6: incomplete last line (a crash mid-write); the next append sets it aside in audit.jsonl.torn`]);
  });
});

describe('rotation', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'factory-rotate-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('rotates at maxBytes, keeps `keep` files in all, and the chain still verifies', async () => {
    const file = path.join(dir, 'audit.log');
    for (let i = 0; i < 120; i++) await appendToChain(file, input(i), { maxBytes: 3000, keep: 5 });
    const rotated = rotatedFiles(file);
    expect(rotated).toHaveLength(4);
    expect(rotated[0].n).toBeGreaterThan(1);
    const r = verifyChain(file);
    expect(r).toMatchObject({ ok: true });
    expect(r.files).toHaveLength(5);
    // Each rotated file ends with the rotation event that names what it dropped.
    const last = JSON.parse(readLines(rotated[3].file).at(-1) as string) as AuditEvent;
    expect(last).toMatchObject({ action: 'audit_rotated', details: { rotated_to: path.basename(rotated[3].file) } });
  });

  it('detects a deleted rotated file, and an edited event in one', async () => {
    const file = path.join(dir, 'audit.log');
    for (let i = 0; i < 120; i++) await appendToChain(file, input(i), { maxBytes: 3000, keep: 5 });
    const rotated = rotatedFiles(file);
    const middle = rotated[1].file;
    const saved = readFileSync(middle, 'utf8');
    unlinkSync(middle);
    expect(verifyChain(file).problem).toMatchObject({ kind: 'removed', file: rotated[2].file, line: 1 });
    writeFileSync(middle, saved.replace('"n":', '"m":'));
    expect(verifyChain(file).problem).toMatchObject({ kind: 'edited', file: middle, line: 1 });
  });

  it('detects removal of the oldest kept file or of its first event', async () => {
    const file = path.join(dir, 'audit.log');
    for (let i = 0; i < 120; i++) await appendToChain(file, input(i), { maxBytes: 3000, keep: 5 });
    const oldest = rotatedFiles(file)[0].file;
    const lines = readLines(oldest);
    writeLines(oldest, lines.slice(1));
    expect(verifyChain(file).problem).toMatchObject({ kind: 'removed', file: oldest, line: 1 });
    unlinkSync(oldest);
    expect(verifyChain(file).problem).toMatchObject({ kind: 'removed' });
  });

  it('finishes a rotation a crash interrupted after its rotation event was written', async () => {
    const file = path.join(dir, 'audit.log');
    for (let i = 0; i < 3; i++) await appendToChain(file, input(i));
    const last = JSON.parse(readLines(file).at(-1) as string) as AuditEvent;
    const rotation = chainEvent(
      { task: null, actor: 'factory', action: 'audit_rotated', outcome: 'success', details: { rotated_to: 'audit.log.1', dropped: [] } },
      last,
      new Date(),
    );
    appendFileSync(file, `${JSON.stringify(rotation)}\n`);
    const next = await appendToChain(file, input(9));
    expect(next).toMatchObject({ seq: 5, prev: rotation.hash });
    expect(readLines(path.join(dir, 'audit.log.1'))).toHaveLength(4);
    expect(readLines(file)).toHaveLength(1);
    expect(verifyChain(file).ok).toBe(true);
  });

  it('rotates the real 10 MB file, keeping 5 files, and the chain verifies across them', async () => {
    const file = path.join(dir, 'audit.log');
    const pad = 'x'.repeat(900);
    let last: AuditEvent | undefined;
    // Fill the live file to just under 10 MB with valid chained events (fast, in memory), then
    // append through appendToChain, which must rotate. Six times: the oldest files are dropped.
    for (let round = 0; round < 6; round++) {
      const lines: string[] = [];
      let size = existsSync(file) ? readFileSync(file).length : 0;
      for (;;) {
        const e = chainEvent({ ...input(0), details: { pad } }, last, new Date());
        const line = `${JSON.stringify(e)}\n`;
        if (size + line.length > AUDIT_MAX_BYTES - 200) break;
        lines.push(line);
        size += line.length;
        last = e;
      }
      appendFileSync(file, lines.join(''));
      last = await appendToChain(file, { ...input(round), details: { pad } });
    }
    expect(rotatedFiles(file).map((r) => r.n)).toEqual([3, 4, 5, 6]);
    for (const r of rotatedFiles(file)) expect(readFileSync(r.file).length).toBeLessThanOrEqual(AUDIT_MAX_BYTES + 2000);
    const report = verifyChain(file);
    expect(report).toMatchObject({ ok: true, files: [`${file}.3`, `${file}.4`, `${file}.5`, `${file}.6`, file] });
    expect(report.head?.seq).toBe(last?.seq);
    const first = JSON.parse(readLines(`${file}.3`)[0]) as AuditEvent;
    expect(first.prev).not.toBe(GENESIS_HASH);
  }, 120_000);
});

describe('verifyAuditTrails', () => {
  it('verifies the workspace log and every task trail, paths relative to the root', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'factory-verify-all-'));
    try {
      await appendAuditEvent(root, input(1));
      await appendAuditEvent(root, { ...input(2), task: 'bd-2' });
      const ok = verifyAuditTrails(root);
      expect(ok.ok).toBe(true);
      expect(ok.chains.map((c) => [c.file, c.events])).toEqual([
        ['.factory/audit.log', 2],
        ['.factory/bd-1/audit.jsonl', 1],
        ['.factory/bd-2/audit.jsonl', 1],
      ]);
      const f = path.join(root, '.factory/bd-2/audit.jsonl');
      writeFileSync(f, readFileSync(f, 'utf8').replace('success', 'failure'));
      const bad = verifyAuditTrails(root);
      expect(bad.ok).toBe(false);
      expect(bad.chains[2].problem?.message).toBe(
        '.factory/bd-2/audit.jsonl:1: event 1 (stage_completed) was edited: its content no longer matches its hash',
      );
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
