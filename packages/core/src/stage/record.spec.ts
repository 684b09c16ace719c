import { jest } from '@jest/globals';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { readActivity } from '../audit/activity';
import { readTaskAudit } from '../audit/read';
import { loadTask } from '../store/load';
import { makeTaskRepo, testEvidenceIo, type TaskRepo } from '../testing/task-repo';
import { loadContract } from '../store/load';
import { stageInvocation, requiredStages } from './invocation';
import { completePipeline, mayNameBeadsIssue, type EvidenceIo } from './record';
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

  it('loads the Beads sync (and asks for the actor) on green only when task.yaml can name a Beads issue', async () => {
    const calls: string[] = [];
    const io: EvidenceIo = {
      actor: async () => (calls.push('actor'), 'dev@example.com'),
      lifecycle: async () => (calls.push('lifecycle'), { afterGreenPipeline: async () => void calls.push('sync') }),
    };
    const required = requiredStages(loadContract(repo.root, 'bd-1').value!);
    expect(await stage('compile')).toBe(0);
    expect(await stage('check')).toBe(0);
    const task = path.join(repo.root, '.factory/bd-1/task.yaml');
    const plain = readFileSync(task, 'utf8');
    expect(await completePipeline(repo.root, 'bd-1', required, io)).toEqual([]);
    expect(calls).toEqual([]);
    for (const text of [`${plain}beads_id: bd-au0.7\n`, `${plain.replace(/^slug:/m, '"\\x62eads_id": bd-9\nslug:')}`]) {
      writeFileSync(task, text);
      calls.length = 0;
      expect(await completePipeline(repo.root, 'bd-1', required, io)).toEqual([]);
      expect(calls).toEqual(['lifecycle', 'actor', 'sync']);
    }
  });
});

describe('mayNameBeadsIssue', () => {
  it('is false for a task without task.yaml and true for one that cannot be read as a file', () => {
    const repo = makeTaskRepo('bd-2', [{ name: 'compile', command: 'true' }]);
    try {
      expect(mayNameBeadsIssue(repo.root, 'bd-404')).toBe(false);
      expect(mayNameBeadsIssue(repo.root, 'bd-2')).toBe(false);
      // a directory where task.yaml should be (EISDIR): left to the sync, which reports it
      mkdirSync(path.join(repo.root, '.factory/bd-3/task.yaml'), { recursive: true });
      expect(mayNameBeadsIssue(repo.root, 'bd-3')).toBe(true);
    } finally {
      repo.cleanup();
    }
  });
});
