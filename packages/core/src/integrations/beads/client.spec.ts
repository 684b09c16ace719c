import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FactoryError } from '../../domain/errors';
import { BeadsCommandError, createBeadsClient, formatBdCommand } from './client';
import type { BeadsExec, BeadsExecResult } from './exec';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixtures = path.join(here, '__fixtures__');
const showAu07 = readFileSync(path.join(fixtures, 'bd-show-bd-au0.7.json'), 'utf8');

interface Call {
  file: string;
  args: string[];
  cwd: string;
}

/** A stand-in for bd (which cannot be installed here): records each call, answers from a script. */
function fakeBd(answer: (args: string[]) => Partial<BeadsExecResult>) {
  const calls: Call[] = [];
  const exec: BeadsExec = async (file, args, { cwd }) => {
    calls.push({ file, args: [...args], cwd });
    return { exitCode: 0, stdout: '', stderr: '', ...answer([...args]) };
  };
  return { calls, exec };
}

/** What bd update/close --json print: the changed issues. */
const changed = (id: string, status: string) => JSON.stringify([{ id, title: 'x', status, priority: 2, issue_type: 'task' }], null, 2);

async function rejection(p: Promise<unknown>): Promise<FactoryError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof FactoryError) return e;
    throw e;
  }
  throw new Error('expected a rejection');
}

const cwd = '/repo';

describe('createBeadsClient', () => {
  let tmp: string;
  beforeEach(() => {
    tmp = mkdtempSync(path.join(tmpdir(), 'factory-beads-client-'));
  });
  afterEach(() => rmSync(tmp, { recursive: true, force: true }));

  describe('show', () => {
    it('reads the issue from bd show --json when bd is available', async () => {
      const bd = fakeBd(() => ({ stdout: showAu07 }));
      const client = createBeadsClient({ exec: bd.exec, cwd, jsonlPath: '.beads/issues.jsonl', bdAvailable: true });
      const info = await client.show('bd-au0.7');
      expect(bd.calls).toEqual([{ file: 'bd', args: ['show', 'bd-au0.7', '--json'], cwd }]);
      expect(info).toMatchObject({
        id: 'bd-au0.7',
        title: 'Audit and standardize JSON output across all commands',
        status: 'closed',
        parent: 'bd-au0',
        source: 'bd',
      });
      expect(info.description).toMatch(/^Ensure consistent JSON format and error handling when --json flag is used\./);
      expect(info.acceptanceCriteria).toBeUndefined();
    });

    it('returns the acceptance criteria when the issue has them', async () => {
      const [details] = JSON.parse(showAu07) as Record<string, unknown>[];
      const withCriteria = JSON.stringify([{ ...details, acceptance_criteria: '- every command honours --json' }]);
      const client = createBeadsClient({ exec: fakeBd(() => ({ stdout: withCriteria })).exec, cwd, jsonlPath: 'x', bdAvailable: true });
      expect((await client.show('bd-au0.7')).acceptanceCriteria).toBe('- every command honours --json');
    });

    it('names the id when bd show finds no issue (exit 0, message on stderr)', async () => {
      const bd = fakeBd(() => ({ stderr: 'Issue bd-nope not found\n' }));
      const client = createBeadsClient({ exec: bd.exec, cwd, jsonlPath: 'x', bdAvailable: true });
      const e = await rejection(client.show('bd-nope'));
      expect(e.code).toBe('BEADS_NOT_FOUND');
      expect(e.message).toBe(
        'Beads issue "bd-nope" not found: bd show bd-nope --json printed no issue (bd said: "Issue bd-nope not found")',
      );
    });

    it('gives a clear error when bd fails', async () => {
      const bd = fakeBd(() => ({ exitCode: 1, stderr: 'Error: no beads database found\nHint: run bd init\n' }));
      const client = createBeadsClient({ exec: bd.exec, cwd, jsonlPath: 'x', bdAvailable: true });
      const e = await rejection(client.show('bd-au0.7'));
      expect(e).toBeInstanceOf(BeadsCommandError);
      expect(e.code).toBe('BEADS_COMMAND_FAILED');
      expect(e.message).toBe('bd show bd-au0.7 --json failed (exit 1) (bd said: "Error: no beads database found\\nHint: run bd init")');
      expect((e as BeadsCommandError).exitCode).toBe(1);
      expect((e as BeadsCommandError).args).toEqual(['show', 'bd-au0.7', '--json']);
    });

    it('says so when bd could not be run at all', async () => {
      const bd = fakeBd(() => ({ exitCode: null, stderr: 'spawn bd EACCES' }));
      const client = createBeadsClient({ exec: bd.exec, cwd, jsonlPath: 'x', bdAvailable: true });
      expect((await rejection(client.show('bd-1'))).message).toBe(
        'bd show bd-1 --json failed (could not run) (bd said: "spawn bd EACCES")',
      );
    });

    it('rejects output of bd show that is not JSON', async () => {
      const client = createBeadsClient({ exec: fakeBd(() => ({ stdout: 'bd-1 · Title' })).exec, cwd, jsonlPath: 'x', bdAvailable: true });
      const e = await rejection(client.show('bd-1'));
      expect(e.code).toBe('BEADS_BAD_OUTPUT');
      expect(e.message).toMatch(/^bd show --json printed output that is not JSON/);
    });

    it('reads the JSONL export when bd is absent, without running anything', async () => {
      const bd = fakeBd(() => ({ exitCode: 127 }));
      const client = createBeadsClient({ exec: bd.exec, cwd: fixtures, jsonlPath: 'issues.jsonl', bdAvailable: false });
      const info = await client.show('bd-au0.7');
      expect(bd.calls).toEqual([]);
      expect(info).toMatchObject({
        id: 'bd-au0.7',
        title: 'Audit and standardize JSON output across all commands',
        status: 'closed',
        parent: 'bd-au0',
        source: 'jsonl',
      });
      expect(info.issue.close_reason).toBe('Stale aspirational items (Clown Show #21 cleanup)');
    });

    it('takes the parent of a JSONL record from its parent-child dependency', async () => {
      const line = JSON.stringify({
        id: 'fx-2',
        title: 'Child',
        status: 'open',
        priority: 2,
        issue_type: 'task',
        created_at: '2026-01-01T00:00:00Z',
        updated_at: '2026-01-01T00:00:00Z',
        dependencies: [{ issue_id: 'fx-2', depends_on_id: 'fx-1', type: 'parent-child' }],
      });
      writeFileSync(path.join(tmp, 'issues.jsonl'), `${line}\n`);
      const client = createBeadsClient({ cwd: tmp, jsonlPath: 'issues.jsonl', bdAvailable: false });
      expect(await client.show('fx-2')).toMatchObject({ parent: 'fx-1', description: '', source: 'jsonl' });
    });

    it('names the file when the JSONL export is missing', async () => {
      const client = createBeadsClient({ cwd: tmp, jsonlPath: '.beads/issues.jsonl', bdAvailable: false });
      const e = await rejection(client.show('bd-au0.7'));
      const file = path.join(tmp, '.beads', 'issues.jsonl');
      expect(e.code).toBe('BEADS_JSONL_MISSING');
      expect(e.file).toBe(file);
      expect(e.message).toBe(
        `Cannot read Beads issue "bd-au0.7": bd is not on PATH and the Beads export ${file} does not exist; install bd (https://github.com/steveyegge/beads) or point jsonlPath at an issues.jsonl export`,
      );
    });

    it('names the id and the file when the id is not in the export', async () => {
      const file = path.join(fixtures, 'issues.jsonl');
      const client = createBeadsClient({ cwd: fixtures, jsonlPath: file, bdAvailable: false });
      const e = await rejection(client.show('bd-nope'));
      expect(e.code).toBe('BEADS_NOT_FOUND');
      expect(e.message).toBe(`Beads issue "bd-nope" is not in ${file} (704 issues read); check the id, or refresh the export with bd`);
    });

    it('treats a deleted (tombstone) issue as not found', async () => {
      const [details] = JSON.parse(showAu07) as Record<string, unknown>[];
      const stdout = JSON.stringify([{ ...details, status: 'tombstone' }]);
      const client = createBeadsClient({ exec: fakeBd(() => ({ stdout })).exec, cwd, jsonlPath: 'x', bdAvailable: true });
      const e = await rejection(client.show('bd-au0.7'));
      expect(e.code).toBe('BEADS_NOT_FOUND');
      expect(e.message).toBe('Beads issue "bd-au0.7" was deleted (status "tombstone")');
    });

    it.each(['--help', 'a b', ''])('rejects the id %j before running or reading anything', async (id) => {
      const bd = fakeBd(() => ({ stdout: showAu07 }));
      for (const available of [true, false]) {
        const client = createBeadsClient({ exec: bd.exec, cwd: tmp, jsonlPath: 'missing.jsonl', bdAvailable: available });
        expect((await rejection(client.show(id))).code).toBe('BEADS_INVALID_ID');
      }
      expect(bd.calls).toEqual([]);
    });
  });

  describe('syncStatus', () => {
    it('runs bd update with the Beads status of the task status', async () => {
      const bd = fakeBd(() => ({ stdout: changed('bd-au0.7', 'in_progress') }));
      const client = createBeadsClient({ exec: bd.exec, cwd, jsonlPath: 'x', bdAvailable: true });
      const args = ['update', 'bd-au0.7', '--status=in_progress', '--json'];
      expect(await client.syncStatus('bd-au0.7', 'ready_for_review')).toEqual({ synced: true, args });
      expect(bd.calls).toEqual([{ file: 'bd', args, cwd }]);
    });

    it('closes the issue when the task is done', async () => {
      const bd = fakeBd(() => ({ stdout: changed('bd-1', 'closed') }));
      const client = createBeadsClient({ exec: bd.exec, cwd, jsonlPath: 'x', bdAvailable: true });
      await client.syncStatus('bd-1', 'done', 'Merged in abc123');
      expect(bd.calls.map((c) => c.args)).toEqual([['close', 'bd-1', '--reason=Merged in abc123', '--json']]);
    });

    it('reopens the issue with a note when the task failed', async () => {
      const bd = fakeBd(() => ({ stdout: changed('bd-1', 'open') }));
      const client = createBeadsClient({ exec: bd.exec, cwd, jsonlPath: 'x', bdAvailable: true });
      await client.syncStatus('bd-1', 'failed', 'stage test failed');
      expect(bd.calls.map((c) => c.args)).toEqual([
        ['update', 'bd-1', '--status=open', '--append-notes=Factory: task failed: stage test failed', '--json'],
      ]);
    });

    it('fails clearly when bd exits 0 without changing the issue', async () => {
      const bd = fakeBd(() => ({ stderr: 'Issue bd-nope not found\n' }));
      const client = createBeadsClient({ exec: bd.exec, cwd, jsonlPath: 'x', bdAvailable: true });
      const e = await rejection(client.syncStatus('bd-nope', 'in_progress'));
      expect(e.code).toBe('BEADS_NOT_UPDATED');
      expect(e.message).toBe(
        'bd update bd-nope --status=in_progress --json changed nothing (bd said: "Issue bd-nope not found"); check that "bd-nope" exists and is not pinned or blocked',
      );
    });

    it('fails clearly when bd fails', async () => {
      const bd = fakeBd(() => ({ exitCode: 1, stderr: 'Error: database is locked' }));
      const client = createBeadsClient({ exec: bd.exec, cwd, jsonlPath: 'x', bdAvailable: true });
      const e = await rejection(client.syncStatus('bd-1', 'in_progress'));
      expect(e.code).toBe('BEADS_COMMAND_FAILED');
      expect(e.message).toBe('bd update bd-1 --status=in_progress --json failed (exit 1) (bd said: "Error: database is locked")');
    });

    it('does nothing and says so when bd is absent', async () => {
      const bd = fakeBd(() => ({}));
      const client = createBeadsClient({ exec: bd.exec, cwd, jsonlPath: 'x', bdAvailable: false });
      expect(await client.syncStatus('bd-1', 'in_progress')).toEqual({
        synced: false,
        reason:
          'bd is not on PATH, so Beads issue "bd-1" was left as it is (would run: bd update bd-1 --status=in_progress --json); the JSONL export is read-only',
      });
      expect(bd.calls).toEqual([]);
    });
  });

  describe('close', () => {
    it('runs bd close with the reason', async () => {
      const bd = fakeBd(() => ({ stdout: changed('bd-au0.7', 'closed') }));
      const client = createBeadsClient({ exec: bd.exec, cwd, jsonlPath: 'x', bdAvailable: true });
      const args = ['close', 'bd-au0.7', '--reason=Done: merged', '--json'];
      expect(await client.close('bd-au0.7', 'Done: merged')).toEqual({ synced: true, args });
      expect(bd.calls).toEqual([{ file: 'bd', args, cwd }]);
    });

    it('reports what bd said when it refuses to close a blocked issue', async () => {
      const stderr = 'cannot close bd-1: blocked by open issues [bd-2] (use --force to override)\n';
      const client = createBeadsClient({ exec: fakeBd(() => ({ stderr })).exec, cwd, jsonlPath: 'x', bdAvailable: true });
      const e = await rejection(client.close('bd-1', 'Done'));
      expect(e.code).toBe('BEADS_NOT_UPDATED');
      expect(e.message).toContain('(bd said: "cannot close bd-1: blocked by open issues [bd-2] (use --force to override)")');
    });

    it('does nothing and says so when bd is absent', async () => {
      const client = createBeadsClient({ cwd, jsonlPath: 'x', bdAvailable: false });
      const r = await client.close('bd-1', 'Done');
      expect(r.synced).toBe(false);
      expect(!r.synced && r.reason).toContain('would run: bd close bd-1 --reason=Done --json');
    });
  });

  describe('linkWorkspace', () => {
    it('appends the workspace to the issue notes', async () => {
      const bd = fakeBd(() => ({ stdout: changed('bd-1', 'in_progress') }));
      const client = createBeadsClient({ exec: bd.exec, cwd, jsonlPath: 'x', bdAvailable: true });
      await client.linkWorkspace('bd-1', '/repo/.factory/workspaces/bd-1');
      expect(bd.calls).toEqual([
        { file: 'bd', args: ['update', 'bd-1', '--append-notes=Factory workspace: /repo/.factory/workspaces/bd-1', '--json'], cwd },
      ]);
    });

    it('does nothing and says so when bd is absent', async () => {
      const client = createBeadsClient({ cwd, jsonlPath: 'x', bdAvailable: false });
      expect(await client.linkWorkspace('bd-1', '/ws')).toEqual({
        synced: false,
        reason:
          'bd is not on PATH, so Beads issue "bd-1" was left as it is (would run: bd update bd-1 "--append-notes=Factory workspace: /ws" --json); the JSONL export is read-only',
      });
    });
  });

  describe('without bd', () => {
    it('never writes the JSONL export', async () => {
      mkdirSync(path.join(tmp, '.beads'));
      const file = path.join(tmp, '.beads', 'issues.jsonl');
      copyFileSync(path.join(fixtures, 'issues.jsonl'), file);
      chmodSync(file, 0o444);
      const before = { text: readFileSync(file, 'utf8'), mtime: statSync(file).mtimeMs };
      const client = createBeadsClient({ cwd: tmp, jsonlPath: '.beads/issues.jsonl', bdAvailable: false });
      await client.show('bd-kwro');
      await client.syncStatus('bd-kwro', 'done');
      await client.close('bd-kwro', 'Done');
      await client.linkWorkspace('bd-kwro', tmp);
      expect(readFileSync(file, 'utf8')).toBe(before.text);
      expect(statSync(file).mtimeMs).toBe(before.mtime);
    });

    it('rejects hostile ids in every method', async () => {
      const client = createBeadsClient({ cwd, jsonlPath: 'x', bdAvailable: false });
      expect((await rejection(client.syncStatus('--help', 'done'))).code).toBe('BEADS_INVALID_ID');
      expect((await rejection(client.close('a b', 'Done'))).code).toBe('BEADS_INVALID_ID');
      expect((await rejection(client.linkWorkspace('', '/ws'))).code).toBe('BEADS_INVALID_ID');
    });
  });

  describe('bdAvailable', () => {
    it('looks for bd on the PATH of env by default', async () => {
      const bin = path.join(tmp, 'bin');
      mkdirSync(bin);
      writeFileSync(path.join(bin, 'bd'), '#!/bin/sh\n');
      chmodSync(path.join(bin, 'bd'), 0o755);
      expect(await createBeadsClient({ cwd, jsonlPath: 'x', env: { PATH: bin } }).bdAvailable()).toBe(true);
      expect(await createBeadsClient({ cwd, jsonlPath: 'x', env: { PATH: tmp } }).bdAvailable()).toBe(false);
    });

    it('asks once per client', async () => {
      let asked = 0;
      const bd = fakeBd(() => ({ stdout: changed('bd-1', 'open') }));
      const client = createBeadsClient({
        exec: bd.exec,
        cwd,
        jsonlPath: 'x',
        bdAvailable: async () => {
          asked += 1;
          return true;
        },
      });
      await client.syncStatus('bd-1', 'ready');
      await client.linkWorkspace('bd-1', '/ws');
      expect(asked).toBe(1);
      expect(bd.calls).toHaveLength(2);
    });
  });
});

describe('formatBdCommand', () => {
  it('quotes only the arguments that need it', () => {
    expect(formatBdCommand(['close', 'bd-1', '--reason=Done: merged in abc', '--json'])).toBe(
      'bd close bd-1 "--reason=Done: merged in abc" --json',
    );
    expect(formatBdCommand(['show', 'bd-au0.7', '--json'])).toBe('bd show bd-au0.7 --json');
  });
});
