import { appendFileSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { appendAuditEvent } from '../audit/append';
import { verifyChain } from '../audit/verify';
import { taskChain } from './task-chain';

describe('taskChain', () => {
  let root: string;
  const file = () => path.join(root, '.factory/t-1/audit.jsonl');
  beforeEach(async () => {
    root = mkdtempSync(path.join(tmpdir(), 'factory-task-chain-'));
    for (let i = 1; i <= 3; i++)
      await appendAuditEvent(root, {
        task: 't-1',
        actor: 'ann@example.com',
        action: 'stage_completed',
        outcome: 'success',
        details: { i },
      });
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('verifies the chain as verifyChain does, with paths relative to the root', () => {
    const c = taskChain(root, 't-1');
    expect(c.report).toEqual(verifyChain(file(), (f) => path.relative(root, f)));
    expect(c.report).toMatchObject({ ok: true, events: 3, files: ['.factory/t-1/audit.jsonl'] });
  });

  it('keeps a report while the files are the bytes it verified', () => {
    const kept = JSON.parse(JSON.stringify(taskChain(root, 't-1')));
    expect(taskChain(root, 't-1', kept)).toBe(kept);
  });

  it('verifies again an edited event, whatever the kept report says', () => {
    const kept = taskChain(root, 't-1');
    const text = readFileSync(file(), 'utf8');
    // Same length and the same times: only the bytes tell.
    writeFileSync(file(), text.replace('"i":2', '"i":7'));
    expect(taskChain(root, 't-1', kept).report).toMatchObject({ ok: false, problem: { kind: 'edited', line: 2 } });
  });

  it('verifies again after an append, a torn line or a rotated file', async () => {
    let kept = taskChain(root, 't-1');
    await appendAuditEvent(root, { task: 't-1', actor: 'ann@example.com', action: 'approval_requested', outcome: 'pending' });
    expect(taskChain(root, 't-1', kept).report.events).toBe(4);
    kept = taskChain(root, 't-1');
    appendFileSync(file(), '{"v":1,');
    expect(taskChain(root, 't-1', kept).report.warnings).toEqual([expect.stringContaining('incomplete last line')]);
    kept = taskChain(root, 't-1');
    renameSync(file(), `${file()}.1`);
    expect(taskChain(root, 't-1', kept).report.files).toEqual(['.factory/t-1/audit.jsonl.1', '.factory/t-1/audit.jsonl']);
  });
});
