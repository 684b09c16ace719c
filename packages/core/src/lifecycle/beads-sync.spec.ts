import { jest } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readActivity } from '../audit/activity';
import { readTaskAudit } from '../audit/read';
import { BeadsCommandError, bdSyncStatusArgs, type BeadsSyncResult } from '../integrations/beads';
import type { TaskStatus } from '../domain/task';
import { setTaskStatus } from './status';

// Real git, real processes: slow on a loaded machine.
jest.setTimeout(60_000);

/** A recording stand-in for the Beads client (bd cannot be installed here): the commands it would run. */
function recorder(fail = false) {
  const ran: string[][] = [];
  return {
    ran,
    client: {
      async syncStatus(id: string, status: TaskStatus, reason?: string): Promise<BeadsSyncResult> {
        const args = bdSyncStatusArgs(id, status, reason);
        if (fail)
          throw new BeadsCommandError('BEADS_COMMAND_FAILED', 'bd update bd-7 failed (exit 1)', {
            args,
            exitCode: 1,
            stdout: '',
            stderr: 'boom',
          });
        ran.push(args);
        return { synced: true, args };
      },
      async linkWorkspace(): Promise<BeadsSyncResult> {
        return { synced: false, reason: 'no workspace' };
      },
    },
  };
}

describe('setTaskStatus with a Beads issue', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), 'factory-beads-sync-'));
    mkdirSync(path.join(root, '.factory/bd-7'), { recursive: true });
    writeFileSync(
      path.join(root, '.factory/bd-7/task.yaml'),
      'slug: bd-7\ntitle: t\ncreated_at: 2026-01-01T00:00:00.000Z\nbeads_id: bd-au0.7\n',
    );
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('runs the bd command for each status change and records it', async () => {
    const bd = recorder();
    await setTaskStatus(root, 'bd-7', 'in_progress', { actor: 'ann', beads: bd.client });
    await setTaskStatus(root, 'bd-7', 'failed', { actor: 'ann', reason: 'stage unit-test failed: x', beads: bd.client });
    await setTaskStatus(root, 'bd-7', 'in_progress', { actor: 'ann', beads: bd.client });
    expect(bd.ran).toEqual([
      ['update', 'bd-au0.7', '--status=in_progress', '--json'],
      ['update', 'bd-au0.7', '--status=open', '--append-notes=Factory: task failed: stage unit-test failed: x', '--json'],
      ['update', 'bd-au0.7', '--status=in_progress', '--json'],
    ]);
    expect(
      readActivity(root, 'bd-7')
        .filter((e) => e.action === 'beads_synced')
        .map((e) => e.details?.command),
    ).toEqual([
      'bd update bd-au0.7 --status=in_progress --json',
      'bd update bd-au0.7 --status=open "--append-notes=Factory: task failed: stage unit-test failed: x" --json',
      'bd update bd-au0.7 --status=in_progress --json',
    ]);
  });

  it('records a bd failure without undoing the status change', async () => {
    await setTaskStatus(root, 'bd-7', 'in_progress', { actor: 'ann', beads: recorder(true).client });
    expect(readTaskAudit(root, 'bd-7').map((e) => `${e.action}:${e.outcome}`)).toEqual(['status_changed:in_progress']);
    const synced = readActivity(root, 'bd-7');
    expect(synced.map((e) => `${e.action}:${e.outcome}`)).toEqual(['beads_synced:failure']);
    expect(synced[0].details?.error).toBe('bd update bd-7 failed (exit 1)');
  });

  it('runs nothing and records nothing when bd is not on PATH', async () => {
    const prev = process.env.PATH;
    process.env.PATH = root;
    try {
      await setTaskStatus(root, 'bd-7', 'in_progress', { actor: 'ann' });
    } finally {
      process.env.PATH = prev;
    }
    expect(readTaskAudit(root, 'bd-7').map((e) => e.action)).toEqual(['status_changed']);
  });
});
