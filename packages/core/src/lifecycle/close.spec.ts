import { jest } from '@jest/globals';
import { approveTask } from '../approval/approve';
import { readTaskAudit } from '../audit/read';
import { verifyAuditTrails } from '../audit/verify-all';
import { loadTask } from '../store/load';
import { makeTaskRepo, NO_SIGNING_KEY_ENV, type TaskRepo } from '../testing/task-repo';
import { closeTask } from './close';

// Real git, real processes: slow on a loaded machine.
jest.setTimeout(60_000);

describe('closeTask', () => {
  let repo: TaskRepo | undefined;
  afterEach(() => repo?.cleanup());

  /** A task approved with the immediate strategy: deployed to production at once. */
  const deployed = async (signing?: { owner: string; audit: boolean }) => {
    repo = makeTaskRepo('bd-1', [{ name: 'compile', command: 'true' }], signing ? { signing } : {});
    await repo.runPipeline();
    const env = repo.signing?.env ?? NO_SIGNING_KEY_ENV;
    await approveTask(repo.root, 'bd-1', { strategy: 'immediate', actor: 'ann@example.com', yes: true, env });
    expect(loadTask(repo.root, 'bd-1').value?.status).toBe('deployed_to_production');
    return { root: repo.root, env };
  };

  it('signs an audit checkpoint after the close, holding its events, with a key trusted for audit', async () => {
    const { root, env } = await deployed({ owner: 'ops@example.com', audit: true });
    const checkpoint = await closeTask(root, 'bd-1', { actor: 'ann@example.com', env });
    expect(checkpoint).toEqual({ written: true, file: '.factory/audit-checkpoint.intoto.json', keyid: repo?.signing?.keyid });
    expect(loadTask(root, 'bd-1').value?.status).toBe('done');
    const events = readTaskAudit(root, 'bd-1');
    expect(events.some((e) => e.action === 'task_closed')).toBe(true);
    const report = verifyAuditTrails(root);
    expect(report.ok).toBe(true);
    expect(report.checkpoint?.heads.find((h) => h.task === 'bd-1')).toMatchObject({ seq: events.at(-1)?.seq, hash: events.at(-1)?.hash });
  });

  it('closes without a checkpoint when no key can sign one, and refuses a task not at 100 %', async () => {
    const { root, env } = await deployed();
    expect(await closeTask(root, 'bd-1', { actor: 'ann@example.com', env })).toEqual({ written: false, skipped: 'no-key' });
    expect(loadTask(root, 'bd-1').value?.status).toBe('done');
    await expect(closeTask(root, 'bd-1', { actor: 'ann@example.com', env })).rejects.toThrow(/only a task deployed to production/);
  });
});
