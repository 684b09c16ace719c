import { jest } from '@jest/globals';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { readTaskAudit } from '../audit/read';
import { loadTask } from '../store/load';
import { makeTaskRepo, testEvidenceIo, type TaskRepo } from '../testing/task-repo';
import { parseContract } from './inferred-contract';
import { stageRunnerMain } from './runner-main';

// Real git, real processes: slow on a loaded machine.
jest.setTimeout(60_000);

describe('the stage runner records evidence', () => {
  let repo: TaskRepo;
  let out: string;
  // The runner reads the stage from the task's contract (no cache here: it parses it).
  const main = (...args: string[]) =>
    stageRunnerMain({
      cwd: repo.root,
      args,
      parser: async () => ({ parseContract }),
      env: {},
      out: (t) => (out += t),
      err: (t) => (out += t),
      codeRoot: (root) => root,
      evidence: testEvidenceIo('dev@example.com'),
    });
  beforeEach(() => {
    repo = makeTaskRepo('bd-1', [{ name: 'compile', command: 'true' }]);
    out = '';
  });
  afterEach(() => repo.cleanup());

  it('fingerprints the allowed files, records stage_completed, starts the task; the pipeline target makes it ready for review', async () => {
    expect(await main('stage', 'bd-1', 'compile')).toBe(0);
    const result = JSON.parse(readFileSync(path.join(repo.root, '.factory/bd-1/results/stage-compile.json'), 'utf8'));
    expect(result.code_fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(loadTask(repo.root, 'bd-1').value?.status).toBe('in_progress');
    expect(await main('pipeline', 'bd-1')).toBe(0);
    expect(out).toContain('factory › bd-1: pipeline green; the task is ready for review (approve with: nx run bd-1:approve)');
    expect(loadTask(repo.root, 'bd-1').value?.status).toBe('ready_for_review');
    expect(readTaskAudit(repo.root, 'bd-1').map((e) => `${e.action}:${e.outcome}:${e.actor}`)).toEqual([
      'stage_completed:success:dev@example.com',
      'status_changed:in_progress:dev@example.com',
      'status_changed:ready_for_review:dev@example.com',
    ]);
  });

  it('fails the pipeline target when a required stage has no passing result', async () => {
    expect(await main('pipeline', 'bd-1')).toBe(1);
    expect(out).toContain('the pipeline is not green: compile has no passing result; run nx run bd-1:pipeline');
  });

  it('keeps the result and the exit code when the audit trail cannot be written', async () => {
    const io = testEvidenceIo();
    const code = await stageRunnerMain({
      cwd: repo.root,
      args: ['stage', 'bd-1', 'compile'],
      parser: async () => ({ parseContract }),
      env: {},
      out: (t) => (out += t),
      err: (t) => (out += t),
      codeRoot: (root) => root,
      evidence: { ...io, actor: async () => Promise.reject(new Error('no actor')) },
    });
    expect(code).toBe(0);
    expect(out).toContain('the stage result is saved, but the audit trail or status could not be updated: no actor');
  });
});
