import { jest } from '@jest/globals';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { readTaskAudit } from '../audit/read';
import { verifyAuditTrails } from '../audit/verify-all';
import { attestStage } from '../evidence/attest';
import { loadTask } from '../store/load';
import { makeTaskRepo, NO_SIGNING_KEY_ENV, type TaskRepo } from '../testing/task-repo';
import { ApprovalRefusedError, approveTask } from './approve';

// Real git, real processes: slow on a loaded machine.
jest.setTimeout(60_000);

const STAGES = [
  { name: 'compile', command: 'test -f packages/app/src/index.ts' },
  { name: 'unit-test', command: 'grep -q hello packages/app/src/index.ts', needs: ['compile'] },
  { name: 'lint', command: 'true', required_success: false },
];

async function refusal(p: Promise<unknown>): Promise<ApprovalRefusedError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ApprovalRefusedError) return e;
    throw e;
  }
  throw new Error('expected approval to be refused');
}

describe('approveTask', () => {
  let repo: TaskRepo;
  const approve = (o: Partial<Parameters<typeof approveTask>[2]> = {}) =>
    approveTask(repo.root, 'bd-1', { strategy: 'gradual', actor: 'ann@example.com', yes: true, env: NO_SIGNING_KEY_ENV, ...o });
  beforeEach(() => {
    repo = makeTaskRepo('bd-1', STAGES);
  });
  afterEach(() => repo.cleanup());

  it('is refused under CI, saying approval is manual, and the refusal is on the record', async () => {
    expect(await repo.runPipeline()).toEqual([]);
    const e = await refusal(approve({ env: { CI: 'true' } }));
    expect(e.message).toContain('this runs in CI (CI=true): approval is for a person');
    for (const v of ['GITHUB_ACTIONS', 'GITLAB_CI', 'BUILDKITE', 'CIRCLECI', 'TF_BUILD']) {
      const other = await refusal(approve({ env: { [v]: 'true' } }));
      expect(other.message).toContain(`this runs in CI (${v}=true)`);
    }
    expect((await refusal(approve({ env: { JENKINS_URL: 'https://ci.example.com/' } }))).outcome.refusals[0].code).toBe('CI');
    expect(e.message).toContain('Approval is manual only');
    expect(readTaskAudit(repo.root, 'bd-1').at(-1)).toMatchObject({ action: 'approval_refused', outcome: 'ci', actor: 'ann@example.com' });
    expect(loadTask(repo.root, 'bd-1').value?.status).toBe('ready_for_review');
  });

  it('is refused before any stage ran, naming each stage and what to run', async () => {
    const e = await refusal(approve());
    expect(e.outcome.refusals.map((r) => r.code)).toEqual(['NOT_RUN', 'NOT_RUN']);
    expect(e.message).toContain('stage-compile has no result');
    expect(e.message).toContain('Run the pipeline on the current code: nx run bd-1:pipeline');
  });

  it('is refused when a required stage failed, quoting its root cause', async () => {
    repo.write('packages/app/src/index.ts', 'export const greet = 1;\n');
    await repo.runStages();
    const e = await refusal(approve());
    expect(e.outcome.refusals).toEqual([{ code: 'FAILED', message: expect.stringMatching(/^stage-unit-test failed: /) }]);
    expect(e.message).toContain('Fix what failed (see the stage logs under .factory/bd-1/results/), then run: nx run bd-1:pipeline');
    expect(loadTask(repo.root, 'bd-1').value).toMatchObject({
      status: 'failed',
      reason: expect.stringContaining('stage unit-test failed'),
    });
  });

  it("is refused after an edit to the task's code since the last green run (stale evidence)", async () => {
    await repo.runPipeline();
    repo.write('packages/app/src/index.ts', 'export const greet = (n: string) => `hello, ${n}`;\n');
    const e = await refusal(approve());
    expect(e.outcome.refusals.map((r) => r.code)).toEqual(['STALE', 'STALE']);
    expect(e.message).toContain('stage-compile passed at');
    expect(e.message).toContain("but the task's code has changed since (stale evidence); what differs: packages/app/src/index.ts");
  });

  it('says which files differ, and that a file the run saw is gone (benhoyt/goawk: a test wrote tempbig into the tree while the stages ran)', async () => {
    repo.write('tempbig', 'scratch of a test\n');
    await repo.runPipeline();
    const { unlinkSync } = await import('node:fs');
    unlinkSync(path.join(repo.root, 'tempbig'));
    repo.write('notes.txt', 'new\n');
    const e = await refusal(approve());
    expect(e.outcome.refusals.map((r) => r.message)).toEqual([
      expect.stringMatching(
        /^stage-compile passed at .*; what differs: notes.txt \(new\), tempbig \(there then, gone now: written while the stages ran\?\)$/,
      ),
      expect.stringMatching(/^stage-unit-test passed at .*; what differs: notes.txt \(new\), tempbig \(there then, gone now/),
    ]);
  });

  it("judges the whole change: a file outside the allowed files makes the evidence stale, Factory's own files do not", async () => {
    await repo.runPipeline();
    repo.write('.factory/bd-1/notes.md', 'x\n');
    expect(
      await approve({ yes: false, confirm: async () => false }).catch((e: ApprovalRefusedError) => e.outcome.refusals.map((r) => r.code)),
    ).toEqual(['NOT_CONFIRMED']);
    repo.write('deploy.sh', 'echo deploy\n');
    const e = await refusal(approve());
    expect(new Set(e.outcome.refusals.map((r) => r.code))).toEqual(new Set(['STALE']));
  });

  it('needs an actor: --actor, else git user.email', async () => {
    await repo.runPipeline();
    repo.git('config', '--unset', 'user.email');
    const e = await refusal(approve({ actor: undefined, env: { HOME: repo.root, GIT_CONFIG_NOSYSTEM: '1' } }));
    expect(e.outcome.refusals.map((r) => r.code)).toContain('NO_ACTOR');
    repo.git('config', 'user.email', 'bob@example.com');
    expect((await approve({ actor: undefined })).actor).toBe('bob@example.com');
  });

  it('asks for confirmation unless --yes, and a "no" approves nothing', async () => {
    await repo.runPipeline();
    const asked: string[] = [];
    const e = await refusal(approve({ yes: false, confirm: async (q) => (asked.push(q), false) }));
    expect(asked).toEqual(['Approve bd-1 (Task bd-1) for rollout with the gradual strategy, as ann@example.com? [y/N] ']);
    expect(e.outcome.refusals[0].code).toBe('NOT_CONFIRMED');
    const noTty = await refusal(approve({ yes: false }));
    expect(noTty.message).toContain('no terminal to ask for confirmation, and --yes was not given');
    expect((await approve({ yes: false, confirm: async () => true })).approved).toBe(true);
  });

  it('says which needed stages were skipped (a tool the project lacks), when asking and when approved', async () => {
    await repo.runPipeline();
    const file = path.join(repo.root, '.factory/bd-1/results/stage-compile.json');
    const result = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    writeFileSync(file, JSON.stringify({ ...result, status: 'skipped', exit_code: null, summary: 'not configured: add a tsconfig.json' }));
    // As the runner records a skipped stage: its result attested (unsigned here, as in the other tests).
    await attestStage(repo.root, { slug: 'bd-1', stage: 'compile', codeTree: result.code_tree as string, key: null });
    const asked: string[] = [];
    const out = await approve({ yes: false, confirm: async (q) => (asked.push(q), true) });
    expect(asked).toEqual([
      'bd-1: not checked (skipped, not configured): stage-compile.\nApprove bd-1 (Task bd-1) for rollout with the gradual strategy, as ann@example.com? [y/N] ',
    ]);
    expect(out.message).toMatch(/^bd-1 approved by ann@example\.com \(not checked \(skipped, not configured\): stage-compile\); /);
  });

  it('approves fresh green evidence: status, flag at the first step, rollout state and the whole story in the audit trail', async () => {
    expect(await repo.runPipeline()).toEqual([]);
    const out = await approve();
    expect(out).toMatchObject({ approved: true, actor: 'ann@example.com', rollout: { percent: 1, status: 'deployed_to_staging' } });
    expect(loadTask(repo.root, 'bd-1').value?.status).toBe('deployed_to_staging');
    const flags = JSON.parse(readFileSync(path.join(repo.root, '.factory/bd-1/feature-flags.json'), 'utf8'));
    expect(flags.flags['bd-1'].targeting.fractional).toEqual([
      ['on', 100],
      ['off', 9900],
    ]);
    expect(parse(readFileSync(path.join(repo.root, '.factory/bd-1/rollout.yaml'), 'utf8'))).toMatchObject({
      strategy: 'gradual',
      percent: 1,
      phase: 'active',
      approved_by: 'ann@example.com',
    });
    const story = readTaskAudit(repo.root, 'bd-1').map((e) => `${e.action}:${e.outcome}`);
    // Decisions only: the stage runs are in the activity log and the results, the status followed from them.
    expect(story).toEqual([
      'approval_requested:pending',
      'status_changed:review_approved',
      'approved_by_human:approved',
      'status_changed:deploying',
      'deployment_started:success',
      'status_changed:deployed_to_staging',
    ]);
    expect(verifyAuditTrails(repo.root).ok).toBe(true);
  });

  it("signs an audit checkpoint after the approval's events with the approver's key when it is trusted for audit", async () => {
    for (const audit of [true, false]) {
      const signed = makeTaskRepo('bd-1', STAGES, { signing: { owner: 'ann@example.com', audit } });
      try {
        expect(await signed.runPipeline()).toEqual([]);
        const { keyid, env } = signed.signing as NonNullable<typeof signed.signing>;
        const out = await approveTask(signed.root, 'bd-1', { strategy: 'gradual', actor: 'ann@example.com', yes: true, env });
        const report = verifyAuditTrails(signed.root);
        expect(report.ok).toBe(true);
        if (!audit) {
          expect(out.checkpoint).toEqual({ written: false, skipped: 'not-trusted-for-audit' });
          expect(report.checkpoint).toBeUndefined();
          continue;
        }
        expect(out.checkpoint).toEqual({ written: true, file: '.factory/audit-checkpoint.intoto.json', keyid });
        const last = readTaskAudit(signed.root, 'bd-1').at(-1);
        expect(last).toMatchObject({ action: 'status_changed', outcome: 'deployed_to_staging' });
        expect(report.checkpoint).toMatchObject({ ok: true, keyid });
        expect(report.checkpoint?.heads).toContainEqual(
          expect.objectContaining({ file: '.factory/bd-1/audit.jsonl', task: 'bd-1', seq: last?.seq, hash: last?.hash }),
        );
      } finally {
        signed.cleanup();
      }
    }
  });

  it('immediate goes to 100 % and deployed_to_production at once', async () => {
    await repo.runPipeline();
    const out = await approve({ strategy: 'immediate' });
    expect(out.rollout).toMatchObject({ percent: 100, status: 'deployed_to_production' });
    expect(readTaskAudit(repo.root, 'bd-1').map((e) => e.action)).toContain('deployment_completed');
  });

  it('refuses a second approval while the rollout runs', async () => {
    await repo.runPipeline();
    await approve();
    const e = await refusal(approve());
    expect(e.message).toContain('bd-1 is deployed_to_staging: it was approved already; move its rollout with nx run bd-1:rollout');
  });
});
