import { jest } from '@jest/globals';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { FlagdCore } from '@openfeature/flagd-core';
import { parse } from 'yaml';
import { approveTask } from '../approval/approve';
import { readTaskAudit } from '../audit/read';
import { verifyAuditTrails } from '../audit/verify-all';
import { loadTask } from '../store/load';
import { makeTaskRepo, NO_SIGNING_KEY_ENV, type TaskRepo } from '../testing/task-repo';
import { parseRolloutConfig } from './config';
import { loadRolloutConfig } from './load-config';
import { advanceRollout } from './rollout';

// Real git, real processes: slow on a loaded machine.
jest.setTimeout(60_000);

const quiet = { debug() {}, info() {}, warn() {}, error() {} };
const CONFIG = `rollout:
  strategies: { gradual: [1, 10, 50, 100], canary: [5] }
  health:
    command: cat "health-$FACTORY_SLUG.json"
    max_error_rate: 0.01
    max_latency_ms: 300
`;

describe('advanceRollout', () => {
  let repo: TaskRepo;
  const setHealth = (error_rate: number, latency_ms: number) =>
    writeFileSync(path.join(repo.root, 'health-bd-1.json'), JSON.stringify({ error_rate, latency_ms }));
  const ctx = () => ({ root: repo.root, slug: 'bd-1', actor: 'ops@example.com', config: loadRolloutConfig(repo.root) });
  const share = () => {
    const core = new FlagdCore();
    core.setConfigurations(readFileSync(path.join(repo.root, '.factory/bd-1/feature-flags.json'), 'utf8'));
    let on = 0;
    for (let i = 0; i < 10_000; i++) if (core.resolveBooleanEvaluation('bd-1', false, { targetingKey: `u${i}` }, quiet).value) on++;
    return on / 100;
  };
  beforeEach(async () => {
    repo = makeTaskRepo('bd-1', [{ name: 'compile', command: 'true' }], { config: CONFIG });
    await repo.runPipeline();
  });
  afterEach(() => repo.cleanup());

  it('takes gradual through 1 → 10 → 50 → 100 % on healthy checks; the flag serves each share (10,000 keys, ±1.5)', async () => {
    await approveTask(repo.root, 'bd-1', { strategy: 'gradual', actor: 'ann@example.com', yes: true, env: NO_SIGNING_KEY_ENV });
    expect(Math.abs(share() - 1)).toBeLessThanOrEqual(1.5);
    setHealth(0.001, 120);
    for (const [p, status] of [
      [10, 'deployed_to_staging'],
      [50, 'deployed_to_staging'],
      [100, 'deployed_to_production'],
    ] as const) {
      const out = await advanceRollout(ctx());
      expect(out).toMatchObject({
        ok: true,
        action: 'advanced',
        percent: p,
        status,
        health: { healthy: true, error_rate: 0.001, latency_ms: 120 },
      });
      expect(Math.abs(share() - p)).toBeLessThanOrEqual(1.5);
    }
    expect(loadTask(repo.root, 'bd-1').value?.status).toBe('deployed_to_production');
    expect((await advanceRollout(ctx())).action).toBe('unchanged');
    const steps = readTaskAudit(repo.root, 'bd-1')
      .filter((e) => e.action.startsWith('deployment_'))
      .map((e) => `${e.action}:${e.outcome}`);
    expect(steps).toEqual([
      'deployment_started:success',
      'deployment_step:advanced',
      'deployment_step:advanced',
      'deployment_step:advanced',
      'deployment_completed:success',
    ]);
    const metrics = parse(readFileSync(path.join(repo.root, '.factory/bd-1/metrics.yaml'), 'utf8'));
    expect(metrics.rollout).toMatchObject({ percent: 100, healthy: true, last_event: 'completed' });
    expect(metrics.samples.map((s: { percent: number }) => s.percent)).toEqual([1, 10, 50, 100]);
    expect(verifyAuditTrails(repo.root).ok).toBe(true);
  });

  it('rolls back to 0 % on an unhealthy check: status reverted, reason and audit event', async () => {
    await approveTask(repo.root, 'bd-1', { strategy: 'gradual', actor: 'ann@example.com', yes: true, env: NO_SIGNING_KEY_ENV });
    setHealth(0.2, 120);
    const out = await advanceRollout(ctx());
    expect(out).toMatchObject({ ok: false, action: 'rolled_back', from: 1, percent: 0, status: 'reverted' });
    expect(out.message).toContain('error rate 0.2 is above the limit 0.01');
    expect(share()).toBe(0);
    expect(loadTask(repo.root, 'bd-1').value).toMatchObject({
      status: 'reverted',
      reason: expect.stringContaining('health check failed at 1%'),
    });
    expect(readTaskAudit(repo.root, 'bd-1').filter((e) => e.action === 'deployment_rolled_back')).toEqual([
      expect.objectContaining({ outcome: 'rolled_back', details: expect.objectContaining({ from: 1, to: 0 }) }),
    ]);
    await expect(advanceRollout(ctx())).rejects.toThrow('nothing to roll out: it was rolled back');
  });

  it('rolls back when the health command fails or reports too high a latency', async () => {
    await approveTask(repo.root, 'bd-1', { strategy: 'gradual', actor: 'ann@example.com', yes: true, env: NO_SIGNING_KEY_ENV });
    const out = await advanceRollout(ctx());
    expect(out.health?.message).toMatch(/^the health command failed \(exit 1\)/);
    expect(out.status).toBe('reverted');
  });

  it('holds a canary at its step on a healthy check, and promotes with --to', async () => {
    await approveTask(repo.root, 'bd-1', { strategy: 'canary', actor: 'ann@example.com', yes: true, env: NO_SIGNING_KEY_ENV });
    setHealth(0, 50);
    expect(await advanceRollout(ctx())).toMatchObject({ action: 'held', percent: 5 });
    expect(parse(readFileSync(path.join(repo.root, '.factory/bd-1/rollout.yaml'), 'utf8')).phase).toBe('holding');
    expect(await advanceRollout(ctx(), { to: 100 })).toMatchObject({ action: 'promoted', percent: 100, status: 'deployed_to_production' });
  });

  it('refuses --to below what is served, and --abort goes to 0 % (reverted)', async () => {
    await approveTask(repo.root, 'bd-1', { strategy: 'gradual', actor: 'ann@example.com', yes: true, env: NO_SIGNING_KEY_ENV });
    await expect(advanceRollout(ctx(), { to: 1 })).rejects.toThrow(
      '--to: expected a percentage above the 1% served now, got 1; to roll back use --abort',
    );
    expect(await advanceRollout(ctx(), { abort: true })).toMatchObject({ ok: true, action: 'aborted', percent: 0, status: 'reverted' });
    expect(share()).toBe(0);
  });

  it('needs a health check before going past the first step', async () => {
    // The config is part of the evidence's contract digest: a changed one needs the stages again.
    writeFileSync(path.join(repo.root, '.factory/config.yaml'), 'rollout: {}\n');
    await repo.runPipeline();
    await approveTask(repo.root, 'bd-1', { strategy: 'gradual', actor: 'ann@example.com', yes: true, env: NO_SIGNING_KEY_ENV });
    await expect(advanceRollout(ctx())).rejects.toThrow(
      'no health check is configured, so the rollout cannot go past 1%; set rollout.health in .factory/config.yaml',
    );
  });

  it('adopts what the flag file serves after a crash between the flag write and the state write', async () => {
    await approveTask(repo.root, 'bd-1', { strategy: 'gradual', actor: 'ann@example.com', yes: true, env: NO_SIGNING_KEY_ENV });
    const flagFile = path.join(repo.root, '.factory/bd-1/feature-flags.json');
    writeFileSync(
      flagFile,
      readFileSync(flagFile, 'utf8').replace('"on",\n            100', '"on",\n            1000').replace('9900', '9000'),
    );
    setHealth(0, 10);
    const out = await advanceRollout(ctx());
    expect(out.warnings[0]).toContain('the flag file served 10% while rollout.yaml said otherwise');
    expect(out).toMatchObject({ from: 10, percent: 50 });
  });
});

describe('parseRolloutConfig', () => {
  it('signs an audit checkpoint after each step and after a rollback, holding the step events', async () => {
    const signed = makeTaskRepo('bd-1', [{ name: 'compile', command: 'true' }], {
      config: CONFIG,
      signing: { owner: 'ops@example.com', audit: true },
    });
    try {
      await signed.runPipeline();
      const { keyid, env } = signed.signing as NonNullable<typeof signed.signing>;
      await approveTask(signed.root, 'bd-1', { strategy: 'gradual', actor: 'ann@example.com', yes: true, env });
      const c = { root: signed.root, slug: 'bd-1', actor: 'ops@example.com', config: loadRolloutConfig(signed.root), env };
      const checkpointHead = () => verifyAuditTrails(signed.root).checkpoint?.heads.find((h) => h.task === 'bd-1');
      for (const [health, action] of [
        [{ error_rate: 0.001, latency_ms: 100 }, 'deployment_step'],
        [{ error_rate: 0.5, latency_ms: 100 }, 'deployment_rolled_back'],
      ] as const) {
        writeFileSync(path.join(signed.root, 'health-bd-1.json'), JSON.stringify(health));
        const out = await advanceRollout(c);
        expect(out.checkpoint).toEqual({ written: true, file: '.factory/audit-checkpoint.intoto.json', keyid });
        const events = readTaskAudit(signed.root, 'bd-1');
        expect(events.some((e) => e.action === action)).toBe(true);
        expect(checkpointHead()).toMatchObject({ seq: events.at(-1)?.seq, hash: events.at(-1)?.hash });
        expect(verifyAuditTrails(signed.root).ok).toBe(true);
      }
    } finally {
      signed.cleanup();
    }
  });

  it('names the field of a bad value', () => {
    expect(parseRolloutConfig({ strategies: { gradual: [10, 5, 100] } }).errors).toEqual([
      {
        file: '.factory/config.yaml',
        field: 'rollout.strategies.gradual',
        message: 'expected percentages that only go up, e.g. [1, 10, 50, 100]',
      },
    ]);
    expect(parseRolloutConfig({ health: { command: 'x', url: 'http://h' } }).errors[0]).toMatchObject({
      field: 'rollout.health',
      message: 'expected exactly one of "command" and "url"',
    });
    expect(parseRolloutConfig({ health: { url: 'file:///etc/passwd' } }).errors[0].field).toBe('rollout.health.url');
  });
});
