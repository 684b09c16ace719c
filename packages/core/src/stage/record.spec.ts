import { jest } from '@jest/globals';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { readActivity } from '../audit/activity';
import { readTaskAudit } from '../audit/read';
import { loadTask } from '../store/load';
import { makeTaskRepo, testEvidenceIo, type TaskRepo } from '../testing/task-repo';
import { loadContract } from '../store/load';
import { stageInvocation, requiredStages } from './invocation';
import { completePipeline, type EvidenceIo } from './record';
import { runTaskStage } from './run-task-stage';

// Real git, real processes: slow on a loaded machine.
jest.setTimeout(60_000);

describe('the stage runner records evidence', () => {
  let repo: TaskRepo;
  let out: string;
  const stage = (name: string, evidence: EvidenceIo = testEvidenceIo('dev@example.com')) => {
    const contract = loadContract(repo.root, 'bd-1').value as NonNullable<ReturnType<typeof loadContract>['value']>;
    return runTaskStage({
      root: repo.root,
      invocation: stageInvocation(contract, 'bd-1', name) as NonNullable<ReturnType<typeof stageInvocation>>,
      contract,
      codeRoot: (root) => root,
      out: (t) => (out += t),
      err: (t) => (out += t),
      evidence,
    });
  };
  const pipeline = () =>
    completePipeline(repo.root, 'bd-1', requiredStages(loadContract(repo.root, 'bd-1').value!), testEvidenceIo('dev@example.com'));
  beforeEach(() => {
    repo = makeTaskRepo('bd-1', [
      { name: 'compile', command: 'true' },
      { name: 'check', command: 'true' },
    ]);
    out = '';
  });
  afterEach(() => repo.cleanup());

  it('records the judged tree and stage_completed in the local activity log, writing no tracked file; the status follows the results', async () => {
    const tracked = repo.git('status', '--porcelain');
    expect(await stage('compile')).toBe(0);
    const result = JSON.parse(readFileSync(path.join(repo.root, '.factory/bd-1/results/stage-compile.json'), 'utf8'));
    expect(result.code_tree).toMatch(/^[0-9a-f]{40}$/);
    expect(loadTask(repo.root, 'bd-1').value?.status).toBe('in_progress');
    expect(await pipeline()).toEqual(['check']);
    expect(await stage('check')).toBe(0);
    expect(await pipeline()).toEqual([]);
    expect(loadTask(repo.root, 'bd-1').value?.status).toBe('ready_for_review');
    expect(readTaskAudit(repo.root, 'bd-1')).toEqual([]);
    expect(readActivity(repo.root, 'bd-1').map((e) => `${e.action}:${e.outcome}:${e.actor}`)).toEqual([
      'stage_completed:success:dev@example.com',
      'stage_completed:success:dev@example.com',
    ]);
    expect(repo.git('status', '--porcelain', '--ignored=no', '--', ':!.factory/bd-1/activity.jsonl')).toBe(tracked);
  });

  it('keeps the result and the exit code when the audit trail cannot be written', async () => {
    const io = testEvidenceIo();
    const code = await stage('compile', { ...io, actor: async () => Promise.reject(new Error('no actor')) });
    expect(code).toBe(0);
    expect(out).toContain('the stage result is saved, but the audit trail or status could not be updated: no actor');
  });
});
