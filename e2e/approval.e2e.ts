import { createSocket, type Socket } from 'node:dgram';
import { jest } from '@jest/globals';
import { FlagdCore } from '@openfeature/flagd-core';
import { parse, stringify } from 'yaml';
import { newWorkspace, type TestWorkspace } from './utils/workspace';

jest.setTimeout(900_000);

const quiet = { debug() {}, info() {}, warn() {}, error() {} };
const PIPELINE = [
  { name: 'compile', description: 'compile', command: 'npx tsc -p packages/app --noEmit', timeout_seconds: 120, required_success: true },
  {
    name: 'check',
    description: 'check',
    command: 'grep -q greet packages/app/src/index.ts',
    timeout_seconds: 60,
    required_success: true,
    needs: ['compile'],
  },
  // The built-in LLM review, last; without a provider it is advisory and says so on the record.
  { name: 'review', needs: ['check'] },
];

/** The share (percent) of 10,000 targeting keys the real flagd evaluator serves the change. */
function share(ws: TestWorkspace, slug: string): number {
  const core = new FlagdCore();
  core.setConfigurations(ws.read(`.factory/${slug}/feature-flags.json`));
  let on = 0;
  for (let i = 0; i < 10_000; i++) if (core.resolveBooleanEvaluation(slug, false, { targetingKey: `user-${i}` }, quiet).value) on++;
  return on / 100;
}

describe('approval and rollout: from a green pipeline to production, on the record', () => {
  let ws: TestWorkspace;
  let udp: Socket;
  const statsd: string[] = [];
  // The status as Factory says it: recorded decisions, else what the stage results say.
  const status = async (slug: string) => JSON.parse((await ws.factory(['show', slug, '--json'])).out).status as string;
  const health = (slug: string, error_rate: number, latency_ms: number) =>
    ws.write(`health/${slug}.json`, JSON.stringify({ error_rate, latency_ms }));
  const newTask = async (slug: string) => {
    // No workspace: this story edits the task's code in the repository itself (workspaces: tcr.e2e.ts).
    expect((await ws.nx(['g', 'factory:task', slug, '--no-interactive', '--allowed-files=packages/app/**', '--skip-workspace'])).code).toBe(
      0,
    );
    const file = `.factory/${slug}/contract.yaml`;
    // The commands name paths from the root: without working_directory they would run in packages/app.
    ws.write(file, stringify({ ...parse(ws.read(file)), working_directory: '.', pipeline: PIPELINE }));
  };

  beforeAll(async () => {
    udp = createSocket('udp4');
    udp.on('message', (m) => statsd.push(...m.toString().split('\n')));
    await new Promise<void>((r) => udp.bind(0, '127.0.0.1', r));
    ws = await newWorkspace();
    ws.write(
      '.factory/config.yaml',
      `${ws.read('.factory/config.yaml')}rollout:
  health:
    command: cat health/$FACTORY_SLUG.json
    max_error_rate: 0.01
    max_latency_ms: 300
  metrics:
    prometheus_file: metrics/factory.prom
    statsd: { host: 127.0.0.1, port: ${udp.address().port}, prefix: acme }
`,
    );
    ws.write('.gitignore', `${ws.read('.gitignore')}health/\nmetrics/\n`);
    await newTask('bd-95.1');
    await newTask('bd-95.2');
    await ws.git(['add', '-A']);
    await ws.git(['commit', '-qm', 'two tasks']);
  });
  afterAll(() => {
    udp?.close();
    ws?.cleanup();
  });

  it('refuses approval under CI, saying approval is manual', async () => {
    const r = await ws.nx(['run', 'bd-95.1:approve', '--yes', '--actor', 'ann@example.com'], { CI: 'true' });
    expect(r.code).not.toBe(0);
    expect(r.out).toContain('this runs in CI (CI=true): approval is for a person, never for an automated run');
    expect(r.out).toContain('Approval is manual only: a person approves from their own terminal, outside CI.');
  });

  it('refuses approval before the pipeline ran, saying to run it', async () => {
    const r = await ws.nx(['run', 'bd-95.1:approve', '--yes', '--actor', 'ann@example.com']);
    expect(r.code).not.toBe(0);
    expect(r.out).toContain('stage-compile has no result');
    expect(r.out).toContain('Run the pipeline on the current code: nx run bd-95.1:pipeline');
  });

  it('refuses approval with a required stage failed, quoting its root cause', async () => {
    const good = ws.read('packages/app/src/index.ts');
    ws.write('packages/app/src/index.ts', 'export function greet(name: string): number {\n  return `hello ${name}`;\n}\n');
    expect((await ws.nx(['run', 'bd-95.1:pipeline'])).code).not.toBe(0);
    expect(await status('bd-95.1')).toBe('failed');
    const r = await ws.nx(['run', 'bd-95.1:approve', '--yes', '--actor', 'ann@example.com']);
    expect(r.code).not.toBe(0);
    expect(r.out).toMatch(/stage-compile failed: .*error TS2322/);
    expect(r.out).toContain('Fix what failed (see the stage logs under .factory/bd-95.1/results/), then run: nx run bd-95.1:pipeline');
    ws.write('packages/app/src/index.ts', good);
  });

  it('runs the pipeline green: the task is ready for review', async () => {
    const r = await ws.nx(['run', 'bd-95.1:pipeline']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('pipeline green; the task is ready for review');
    expect(await status('bd-95.1')).toBe('ready_for_review');
  });

  it("refuses approval after an edit to the task's code since the last green run", async () => {
    const good = ws.read('packages/app/src/index.ts');
    ws.write('packages/app/src/index.ts', `${good}export const extra = 1;\n`);
    const r = await ws.nx(['run', 'bd-95.1:approve', '--yes', '--actor', 'ann@example.com']);
    expect(r.code).not.toBe(0);
    expect(r.out).toContain("but the task's code has changed since (stale evidence)");
    expect(r.out).toContain('Run the pipeline on the current code: nx run bd-95.1:pipeline');
    ws.write('packages/app/src/index.ts', good);
  });

  it('approves with gradual (1 %) and advances on healthy checks to 100 %: deployed to production', async () => {
    const approve = await ws.nx(['run', 'bd-95.1:approve', '--yes', '--actor', 'ann@example.com', '--strategy', 'gradual']);
    expect(approve.code).toBe(0);
    expect(approve.out).toContain('bd-95.1 approved by ann@example.com; bd-95.1: serving 1% (gradual)');
    expect(await status('bd-95.1')).toBe('deployed_to_staging');
    expect(Math.abs(share(ws, 'bd-95.1') - 1)).toBeLessThanOrEqual(1.5);
    health('bd-95.1', 0.001, 120);
    for (const [p, s] of [
      [10, 'deployed_to_staging'],
      [50, 'deployed_to_staging'],
      [100, 'deployed_to_production'],
    ] as const) {
      const r = await ws.nx(['run', 'bd-95.1:rollout', '--actor', 'ops@example.com']);
      expect(r.code).toBe(0);
      expect(r.out).toContain(`% → ${p}% (healthy: error rate 0.001`);
      expect(await status('bd-95.1')).toBe(s);
      expect(Math.abs(share(ws, 'bd-95.1') - p)).toBeLessThanOrEqual(1.5);
    }
    expect(ws.read('metrics/factory.prom')).toContain('factory_rollout_percent{task="bd-95.1"} 100');
    // StatsD names use "." as the hierarchy separator, so the slug's dots become "_".
    expect(statsd).toContain('acme.rollout.percent.bd-95_1:100|g');
  });

  it('rolls the second task back on an unhealthy check: status reverted, flag at 0 %', async () => {
    expect((await ws.nx(['run', 'bd-95.2:pipeline'])).code).toBe(0);
    expect((await ws.nx(['run', 'bd-95.2:approve', '--yes', '--actor', 'ann@example.com', '--strategy', 'gradual'])).code).toBe(0);
    health('bd-95.2', 0.25, 900);
    const r = await ws.nx(['run', 'bd-95.2:rollout', '--actor', 'ops@example.com']);
    expect(r.code).not.toBe(0);
    expect(r.out).toContain(
      'rolled back from 1% to 0% (health check failed at 1%: unhealthy: error rate 0.25 is above the limit 0.01; latency 900 ms is above the limit 300 ms)',
    );
    expect(await status('bd-95.2')).toBe('reverted');
    expect(share(ws, 'bd-95.2')).toBe(0);
  });

  it('factory show and the audit trail tell the whole story, in order', async () => {
    const show = await ws.factory(['show', 'bd-95.1', '--json']);
    expect(show.code).toBe(0);
    const d = JSON.parse(show.out);
    expect(d).toMatchObject({
      status: 'deployed_to_production',
      approvals: [{ actor: 'ann@example.com', strategy: 'gradual' }],
      rollout: { percent: 100, phase: 'complete', strategy: 'gradual' },
    });
    expect(d.lines_changed).toEqual(expect.objectContaining({ files: expect.any(Number) }));
    const story = (d.history as { action: string; outcome: string }[])
      .filter((e) => e.action !== 'stage_completed')
      .map((e) => `${e.action}:${e.outcome}`);
    // Decisions (the committed audit trail) and what ran (the local activity log), in order; the
    // status before approval follows from the stage results, so no status_changed until a decision.
    expect(story).toEqual([
      'task_created:success',
      'approval_refused:ci',
      'approval_refused:not_run',
      // Without an llm: section the review stage waits for no other stage, so it ran (and was
      // skipped, advisory, on the record) in the red pipeline as well as in the green one.
      'review:skipped',
      'approval_refused:failed',
      'review:skipped',
      'approval_refused:stale',
      'approval_requested:pending',
      'status_changed:review_approved',
      'approved_by_human:approved',
      'status_changed:deploying',
      'deployment_started:success',
      'status_changed:deployed_to_staging',
      'deployment_step:advanced',
      'deployment_step:advanced',
      'deployment_step:advanced',
      'status_changed:deployed_to_production',
      'deployment_completed:success',
    ]);
    const text = await ws.factory(['show', 'bd-95.1']);
    expect(text.out).toContain('approved:  by ann@example.com');
    expect(text.out).toContain('rollout:   100% (gradual 1 → 10 → 50 → 100%, complete)');
    const list = JSON.parse((await ws.factory(['list', '--json'])).out);
    expect(list.tasks.map((t: { slug: string; status: string }) => [t.slug, t.status])).toEqual([
      ['bd-95.1', 'deployed_to_production'],
      ['bd-95.2', 'reverted'],
    ]);
    const verify = await ws.factory(['audit', 'verify']);
    expect(verify.code).toBe(0);
    expect(verify.out).toMatch(/^ok {4}\.factory\/audit\.log/m);
  });

  it('audit verify names an edited event and fails', async () => {
    const file = '.factory/bd-95.2/audit.jsonl';
    const lines = ws.read(file).trimEnd().split('\n');
    lines[1] = lines[1].replace('"outcome":"', '"outcome":"x');
    ws.write(file, `${lines.join('\n')}\n`);
    const r = await ws.factory(['audit', 'verify', '--json']);
    expect(r.code).toBe(1);
    const chain = JSON.parse(r.out).chains.find((c: { file: string }) => c.file === file);
    expect(chain.problem).toMatchObject({ kind: 'edited', line: 2, seq: 2 });
  });

  it('closes the task at 100 %: done', async () => {
    const r = await ws.factory(['close', 'bd-95.1', '--actor', 'ann@example.com']);
    expect(r.code).toBe(0);
    expect(await status('bd-95.1')).toBe('done');
  });
});
