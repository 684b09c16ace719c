import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { appendAuditEvent, appendToChain } from './append';
import { GENESIS_HASH, hashEvent, type AuditEvent } from './event';

const lines = (file: string): AuditEvent[] =>
  readFileSync(file, 'utf8')
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l) as AuditEvent);
const input = (n: number) => ({ task: 'bd-1', actor: 'ann@example.com', action: 'stage_completed', outcome: 'success', details: { n } });

describe('appendToChain', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'factory-audit-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('links each event to the one before by its hash, from the genesis hash', async () => {
    const file = path.join(dir, 'audit.jsonl');
    for (let i = 0; i < 3; i++) await appendToChain(file, input(i));
    const ev = lines(file);
    expect(ev.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(ev[0].prev).toBe(GENESIS_HASH);
    expect(ev[1].prev).toBe(ev[0].hash);
    expect(ev[2].prev).toBe(ev[1].hash);
    for (const e of ev) {
      const { hash, ...body } = e;
      expect(hashEvent(body)).toBe(hash);
    }
  });

  it('keeps one unbroken chain when many appends race', async () => {
    const file = path.join(dir, 'audit.jsonl');
    await Promise.all(Array.from({ length: 20 }, (_, i) => appendToChain(file, input(i))));
    const ev = lines(file);
    expect(ev.map((e) => e.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    for (let i = 1; i < ev.length; i++) expect(ev[i].prev).toBe(ev[i - 1].hash);
  });

  it('cuts off a torn last line, keeps its bytes in <file>.torn, and chains on from the last whole event', async () => {
    const file = path.join(dir, 'audit.jsonl');
    const first = await appendToChain(file, input(1));
    appendFileSync(file, '{"v":1,"seq":2,"ts":"2026-');
    const next = await appendToChain(file, input(2));
    expect(next.seq).toBe(2);
    expect(next.prev).toBe(first.hash);
    expect(lines(file)).toHaveLength(2);
    expect(readFileSync(`${file}.torn`, 'utf8')).toBe('{"v":1,"seq":2,"ts":"2026-');
  });

  it('treats a file that is one torn line as empty (its bytes kept)', async () => {
    const file = path.join(dir, 'audit.jsonl');
    writeFileSync(file, '{"v":1,"se');
    const e = await appendToChain(file, input(1));
    expect(e.seq).toBe(1);
    expect(readFileSync(`${file}.torn`, 'utf8')).toBe('{"v":1,"se');
  });

  it('refuses to append after a last line that is not an audit event', async () => {
    const file = path.join(dir, 'audit.jsonl');
    writeFileSync(file, '{"hello":1}\n');
    await expect(appendToChain(file, input(1))).rejects.toThrow(/audit\.jsonl: the last event is not a valid audit event/);
  });
});

describe('appendAuditEvent', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'factory-audit-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("writes a task's event to its audit.jsonl and to the workspace-wide audit.log", async () => {
    await appendAuditEvent(dir, input(1));
    await appendAuditEvent(dir, { task: null, actor: 'ann', action: 'config_changed', outcome: 'success' });
    expect(lines(path.join(dir, '.factory/bd-1/audit.jsonl')).map((e) => e.action)).toEqual(['stage_completed']);
    expect(lines(path.join(dir, '.factory/audit.log')).map((e) => [e.task, e.action])).toEqual([
      ['bd-1', 'stage_completed'],
      [null, 'config_changed'],
    ]);
  });

  it('rejects a task slug that would leave .factory/', async () => {
    await expect(appendAuditEvent(dir, { ...input(1), task: '../x' })).rejects.toThrow(/slug/);
  });
});
