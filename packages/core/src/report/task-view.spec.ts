import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { appendAuditEvent } from '../audit/append';
import { listTasks } from './task-list';
import { makeTaskRepo, type TaskRepo } from '../testing/task-repo';
import { recordedTaskView } from './recorded-view';
import { completeTaskView, taskView, workspaceView, workspaceViewOf } from './task-view';

const STAGES = [
  { name: 'build', command: 'echo built' },
  { name: 'test', command: 'echo "2 passed"', needs: ['build'] },
  { name: 'lint', command: 'echo "src/a.ts:1 unused" && exit 3', required_success: false },
];

describe('taskView', () => {
  let repo: TaskRepo;
  const results = (stage: string) => path.join(repo.root, `.factory/t-1/results/stage-${stage}.json`);
  beforeAll(async () => {
    repo = makeTaskRepo('t-1', STAGES);
    repo.write(
      '.factory/t-1/task.yaml',
      `${readFileSync(path.join(repo.root, '.factory/t-1/task.yaml'), 'utf8')}base_commit: ${repo.git('rev-parse', 'HEAD').trim()}\n`,
    );
    repo.write('packages/app/src/extra.ts', 'export const a = 1;\nexport const b = 2;\n');
    repo.write('README.md', 'outside the allowed files\n');
    await repo.runPipeline();
  });
  afterAll(() => repo.cleanup());

  it('shows each stage with its verdict, cause, times and log', async () => {
    const v = await taskView(repo.root, 't-1');
    expect(v.stages.map((s) => [s.name, s.verdict])).toEqual([
      ['build', 'pass'],
      ['test', 'pass'],
      ['lint', 'advisory'],
    ]);
    const lint = v.stages.find((s) => s.name === 'lint');
    expect(lint?.summary).toContain('src/a.ts:1 unused');
    expect(lint?.log_file).toBe('.factory/t-1/results/stage-lint.log');
    expect(lint?.log_tail).toContain('src/a.ts:1 unused');
    expect(v.timeline?.bars.map((b) => b.name).sort()).toEqual(['build', 'lint', 'test']);
    expect(v.problems).toEqual([]);
  });

  it('shows the lifecycle, and the audit trail verified', async () => {
    const v = await taskView(repo.root, 't-1');
    expect(v.status).toBe('ready_for_review');
    expect(v.lifecycle.steps.find((s) => s.state === 'current')?.status).toBe('ready_for_review');
    expect(v.audit.ok).toBe(true);
    // The tracked trail's events; the history may also hold a local activity log's.
    expect(v.audit.events).toBe(v.history.filter((e) => !(e as { source?: string }).source).length);
    expect(v.history.length).toBeGreaterThanOrEqual(STAGES.length);
  });

  it('marks each changed file allowed or not by the contract', async () => {
    const v = await taskView(repo.root, 't-1');
    expect(v.contract?.files?.map((f) => [f.path, f.allowed])).toEqual([
      ['README.md', false],
      ['packages/app/src/extra.ts', true],
    ]);
    expect(v.contract?.lines).toMatchObject({ counted: 3, max: 500 });
  });

  it('reads a cache hit, test counts and an attestation when a result carries them', async () => {
    const r = JSON.parse(readFileSync(results('test'), 'utf8'));
    writeFileSync(
      results('test'),
      JSON.stringify({ ...r, cached: true, tests: { passed: 2, failed: 0, skipped: 1 }, attestation: { verified: true } }),
    );
    repo.write(
      '.factory/t-1/results/stage-test.intoto.json',
      JSON.stringify({ payloadType: 'application/vnd.in-toto+json', payload: 'e30=', signatures: [{ keyid: 'k1', sig: 'AA==' }] }),
    );
    repo.write('.factory/t-1/results/stage-build.intoto.json', '{ not json');
    const v = await taskView(repo.root, 't-1');
    const test = v.stages.find((s) => s.name === 'test');
    expect(test).toMatchObject({ cached: true, tests: { passed: 2, failed: 0, skipped: 1 } });
    expect(test?.attestation).toMatchObject({ file: '.factory/t-1/results/stage-test.intoto.json', keyids: ['k1'], verified: true });
    expect(v.timeline?.bars.find((b) => b.name === 'test')?.cached).toBe(true);
    expect(v.problems.join('\n')).toContain('.factory/t-1/results/stage-build.intoto.json: (document): expected JSON');
    writeFileSync(results('test'), JSON.stringify(r));
  });

  it('reads the test counts a test stage records in its metrics', async () => {
    const r = JSON.parse(readFileSync(results('test'), 'utf8'));
    const metrics = { tests_passed: 4, tests_failed: 1, tests_errors: 1, tests_skipped: 2, coverage_percent: 90 };
    writeFileSync(results('test'), JSON.stringify({ ...r, metrics }));
    const v = await taskView(repo.root, 't-1');
    expect(v.stages.find((s) => s.name === 'test')?.tests).toEqual({ passed: 4, failed: 2, skipped: 2 });
    writeFileSync(results('test'), JSON.stringify({ ...r, metrics: { coverage_percent: 90 } }));
    expect((await taskView(repo.root, 't-1')).stages.find((s) => s.name === 'test')?.tests).toBeUndefined();
    writeFileSync(results('test'), JSON.stringify(r));
  });

  it('shows LLM usage from metrics.yaml and the llm_call events', async () => {
    repo.write(
      '.factory/t-1/metrics.yaml',
      'llm:\n  review: { runs: 1, calls: 1, input_tokens: 1200, output_tokens: 300, latency_ms: 900, cost_usd: 0.0123 }\n  total: { runs: 1, calls: 1, input_tokens: 1200, output_tokens: 300, latency_ms: 900, cost_usd: 0.0123 }\n',
    );
    await appendAuditEvent(repo.root, {
      task: 't-1',
      actor: 'a',
      action: 'llm_call',
      outcome: 'ok',
      details: {
        mode: 'review',
        provider: 'anthropic',
        model: 'claude-haiku-4-5',
        input_tokens: 1200,
        output_tokens: 300,
        latency_ms: 900,
      },
    });
    const v = await taskView(repo.root, 't-1');
    expect(v.llm?.modes).toEqual([
      { mode: 'review', runs: 1, calls: 1, input_tokens: 1200, output_tokens: 300, latency_ms: 900, cost_usd: 0.0123 },
    ]);
    expect(v.llm?.total?.input_tokens).toBe(1200);
    expect(v.llm?.calls.at(-1)).toMatchObject({ mode: 'review', model: 'anthropic/claude-haiku-4-5', latency_ms: 900 });
  });

  it('renders what it can of a corrupt result file and names the file', async () => {
    const good = readFileSync(results('build'), 'utf8');
    writeFileSync(results('build'), '{"stage_name": "build", "status": ');
    const v = await taskView(repo.root, 't-1');
    expect(v.stages.find((s) => s.name === 'build')?.status).toBe('not_run');
    expect(v.stages.find((s) => s.name === 'test')?.status).toBe('success');
    expect(v.problems.join('\n')).toMatch(/\.factory\/t-1\/results\/stage-build\.json: \(document\): expected JSON/);
    writeFileSync(results('build'), good);
  });

  it('says which audit event was edited', async () => {
    await appendAuditEvent(repo.root, { task: 't-1', actor: 'ann@example.com', action: 'approval_requested', outcome: 'pending' });
    const file = path.join(repo.root, '.factory/t-1/audit.jsonl');
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text.replace('"outcome":"pending"', '"outcome":"approved"'));
    const v = await taskView(repo.root, 't-1');
    expect(v.audit.ok).toBe(false);
    expect(v.audit.problem?.kind).toBe('edited');
    expect(v.audit.problem?.file).toBe('.factory/t-1/audit.jsonl');
    writeFileSync(file, text);
  });

  it('renders a task whose contract is invalid, listing the problem', async () => {
    const file = path.join(repo.root, '.factory/t-1/contract.yaml');
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, 'language: cobol\n');
    const v = await taskView(repo.root, 't-1');
    expect(v.title).toBe('Task t-1');
    expect(v.stages).toEqual([]);
    expect(v.contract).toBeUndefined();
    expect(v.problems.join('\n')).toContain('.factory/t-1/contract.yaml: language');
    writeFileSync(file, text);
  });
});

describe('completeTaskView', () => {
  let repo: TaskRepo;
  const now = () => new Date('2026-06-01T12:00:00.000Z');
  beforeAll(async () => {
    repo = makeTaskRepo('t-2', STAGES);
    await repo.runPipeline();
    // Something of everything the view shows, and a problem of each kind.
    repo.write('.factory/t-2/results/stage-build.intoto.json', '{ not json');
    repo.write(
      '.factory/t-2/metrics.yaml',
      'llm:\n  review: { runs: 1, calls: 1, input_tokens: 1200, output_tokens: 300, latency_ms: 900, cost_usd: 0.0123 }\n  triage: { runs: many }\n',
    );
    repo.write(
      '.factory/t-2/rollout.yaml',
      [
        'version: 1',
        'flag_key: t-2',
        'strategy: gradual',
        'steps: [10, 50, 100]',
        'percent: 10',
        'phase: active',
        'approved_by: ann@example.com',
        'approved_at: 2026-05-01T00:00:00.000Z',
        'updated_at: 2026-05-01T00:00:00.000Z',
        'history:',
        '  - { at: 2026-05-01T00:00:00.000Z, by: ann@example.com, action: approved, from: 0, to: 10 }',
        '',
      ].join('\n'),
    );
  });
  afterAll(() => repo.cleanup());

  it('makes the same view from a recorded view kept as JSON as taskView makes from the files', async () => {
    const kept = JSON.parse(JSON.stringify(recordedTaskView(repo.root, 't-2')));
    const v = await taskView(repo.root, 't-2', now);
    expect(await completeTaskView(repo.root, 't-2', kept, now)).toEqual(v);
    expect(v.rollout_chart?.span_ms).toBe((31 * 24 + 12) * 3_600_000);
    expect(v.llm?.modes.map((m) => m.mode)).toEqual(['review']);
    expect(v.problems).toEqual([
      'no base_commit in task.yaml, so lines changed are unknown',
      expect.stringContaining('.factory/t-2/results/stage-build.intoto.json: (document): expected JSON'),
      '.factory/t-2/metrics.yaml: llm.triage: expected runs, calls, input_tokens, output_tokens, latency_ms (numbers)',
    ]);
  });

  it('reads the log tails (without colour codes) and the audit chain again, not from what was kept', async () => {
    const kept = recordedTaskView(repo.root, 't-2');
    const log = path.join(repo.root, '.factory/t-2/results/stage-lint.log');
    const text = readFileSync(log, 'utf8');
    writeFileSync(log, `${text}\u001b[32mone more\u001b[39m line\n`);
    await appendAuditEvent(repo.root, { task: 't-2', actor: 'ann@example.com', action: 'approval_requested', outcome: 'pending' });
    const v = await completeTaskView(repo.root, 't-2', kept, now);
    expect(v.stages.find((s) => s.name === 'lint')?.log_tail).toMatch(/one more line$/);
    expect(v.audit.events).toBe((await taskView(repo.root, 't-2', now)).audit.events);
    writeFileSync(log, text);
  });
});

describe('workspaceViewOf', () => {
  it("lists each task as factory list does, from the task's recorded view", async () => {
    const repo = makeTaskRepo('w-2', [{ name: 'build', command: 'true' }]);
    try {
      repo.write('.factory/w-2/rollout.yaml', 'version: 2\n');
      const w = await workspaceViewOf(repo.root, (slug) => recordedTaskView(repo.root, slug));
      expect(w.tasks).toEqual(listTasks(repo.root));
      expect(w.tasks[0].problems.join('\n')).toContain('.factory/w-2/rollout.yaml');
    } finally {
      repo.cleanup();
    }
  });
});

describe('workspaceView', () => {
  it('lists every task with its full view', async () => {
    const repo = makeTaskRepo('w-1', [{ name: 'build', command: 'true' }]);
    try {
      const w = await workspaceView(repo.root);
      expect(w.tasks.map((t) => t.slug)).toEqual(['w-1']);
      expect(w.views[0].stages.map((s) => s.status)).toEqual(['not_run']);
      expect(w.views[0].timeline).toBeUndefined();
    } finally {
      repo.cleanup();
    }
  });
});
