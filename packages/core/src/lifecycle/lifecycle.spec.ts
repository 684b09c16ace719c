import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { TASK_STATUSES } from '../domain/task';
import { setTaskStatus } from './status';
import { TRANSITIONS, checkTransition } from './transitions';

describe('checkTransition', () => {
  it('allows the forward path of the seed', () => {
    const path = [
      'created',
      'ready',
      'in_progress',
      'ready_for_review',
      'review_approved',
      'deploying',
      'deployed_to_staging',
      'deployed_to_production',
      'done',
    ] as const;
    for (let i = 1; i < path.length; i++) expect(checkTransition(path[i - 1], path[i]).ok).toBe(true);
  });

  it('names both states and the legal next ones for an illegal transition', () => {
    expect(checkTransition('created', 'deploying')).toEqual({
      ok: false,
      error: 'a task cannot go from created to deploying; from created it can go to ready, in_progress, failed',
    });
    expect(checkTransition('done', 'in_progress')).toEqual({
      ok: false,
      error: 'a task cannot go from done to in_progress; from done it can go to nothing (it is finished)',
    });
  });

  it('only names known states', () => {
    for (const [from, tos] of Object.entries(TRANSITIONS)) {
      expect(TASK_STATUSES).toContain(from);
      for (const to of tos) expect(TASK_STATUSES).toContain(to);
    }
  });
});

describe('setTaskStatus', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), 'factory-life-'));
    mkdirSync(path.join(root, '.factory/bd-1'), { recursive: true });
    writeFileSync(path.join(root, '.factory/bd-1/task.yaml'), 'slug: bd-1\ntitle: t\ncreated_at: 2026-01-01T00:00:00.000Z\n');
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('writes status.yaml and records the change in the audit trail', async () => {
    const now = new Date('2026-02-01T00:00:00.000Z');
    expect(await setTaskStatus(root, 'bd-1', 'in_progress', { actor: 'ann', now })).toEqual({ from: 'created', to: 'in_progress' });
    const status = parse(readFileSync(path.join(root, '.factory/bd-1/status.yaml'), 'utf8'));
    expect(status).toEqual({ status: 'in_progress', updated_at: now.toISOString(), started_at: now.toISOString() });
    const audit = readFileSync(path.join(root, '.factory/bd-1/audit.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(audit).toEqual([
      expect.objectContaining({
        action: 'status_changed',
        outcome: 'in_progress',
        actor: 'ann',
        details: { from: 'created', to: 'in_progress' },
      }),
    ]);
  });

  it('refuses an illegal transition and leaves the files as they were', async () => {
    await expect(setTaskStatus(root, 'bd-1', 'done', { actor: 'ann' })).rejects.toThrow('bd-1: a task cannot go from created to done');
    expect(() => readFileSync(path.join(root, '.factory/bd-1/status.yaml'))).toThrow(/ENOENT/);
  });

  it('keeps the reason of a failure', async () => {
    await setTaskStatus(root, 'bd-1', 'failed', { actor: 'ann', reason: 'unit-test failed' });
    expect(parse(readFileSync(path.join(root, '.factory/bd-1/status.yaml'), 'utf8')).reason).toBe('unit-test failed');
  });
});
