import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FactoryError } from '../../domain/errors';
import { TASK_STATUSES, type TaskStatus } from '../../domain/task';
import {
  bdCloseArgs,
  bdLinkWorkspaceArgs,
  bdShowArgs,
  bdSyncStatusArgs,
  bdUpdateStatusArgs,
  DONE_REASON,
  mapTaskStatusToBeads,
  parseBdChangedIds,
  parseBdShowJson,
  validateBeadsId,
} from './cli';
import { parentOf } from './record';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixture = (name: string) => readFileSync(path.join(here, '__fixtures__', name), 'utf8');
const showAu07 = fixture('bd-show-bd-au0.7.json');
const showWisp = fixture('bd-show-bd-wisp-0f20f.json');

const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (e) {
    return e instanceof FactoryError ? e.code : `not a FactoryError: ${String(e)}`;
  }
  return undefined;
};

const hostileIds = ['--help', '-s', 'a b', '', ' bd-1', 'bd-1\n', 'bd-1\tx', 'bd\u00001'];

describe('validateBeadsId', () => {
  it('accepts the id shapes of real exports', () => {
    for (const id of ['bd-au0.7', 'bd-kwro.11', 'bd-wisp-0385z', 'offlinebrew-3d0.1', 'hq-cv-d46qe']) {
      expect(validateBeadsId(id)).toEqual({ ok: true, value: id });
    }
  });

  it.each([
    ['--help', 'expected a Beads issue id such as "bd-a1b2" not starting with "-" (bd would read it as a flag), got "--help"'],
    ['a b', 'expected a Beads issue id such as "bd-a1b2" without whitespace, got "a b"'],
    ['', 'expected a Beads issue id such as "bd-a1b2", got ""'],
    [undefined, 'expected a Beads issue id such as "bd-a1b2", got nothing'],
    ['bd\u00071', 'expected a Beads issue id such as "bd-a1b2" without control characters, got "bd\\u00071"'],
  ])('rejects %j', (id, error) => {
    expect(validateBeadsId(id)).toEqual({ ok: false, error });
  });
});

describe('bdShowArgs', () => {
  it('asks for JSON about one id', () => {
    expect(bdShowArgs('bd-au0.7')).toEqual(['show', 'bd-au0.7', '--json']);
  });

  it.each(hostileIds)('rejects the id %j', (id) => {
    expect(codeOf(() => bdShowArgs(id))).toBe('BEADS_INVALID_ID');
  });
});

describe('bdUpdateStatusArgs', () => {
  it('sets the status', () => {
    expect(bdUpdateStatusArgs('bd-au0.7', 'in_progress')).toEqual(['update', 'bd-au0.7', '--status=in_progress', '--json']);
  });

  it('appends a note in the same command', () => {
    expect(bdUpdateStatusArgs('bd-1', 'open', 'Factory: task failed: tests red')).toEqual([
      'update',
      'bd-1',
      '--status=open',
      '--append-notes=Factory: task failed: tests red',
      '--json',
    ]);
  });

  it.each(hostileIds)('rejects the id %j', (id) => {
    expect(codeOf(() => bdUpdateStatusArgs(id, 'open'))).toBe('BEADS_INVALID_ID');
  });

  it.each(['', 'in progress', '--force'])('rejects the status %j', (status) => {
    expect(codeOf(() => bdUpdateStatusArgs('bd-1', status))).toBe('BEADS_INVALID_ARGUMENT');
  });

  it('keeps a custom status Beads may be configured with', () => {
    expect(bdUpdateStatusArgs('bd-1', 'review')).toEqual(['update', 'bd-1', '--status=review', '--json']);
  });
});

describe('bdCloseArgs', () => {
  it('closes with a reason', () => {
    expect(bdCloseArgs('bd-au0.7', 'Done: merged in abc123')).toEqual(['close', 'bd-au0.7', '--reason=Done: merged in abc123', '--json']);
  });

  it('keeps a reason that looks like a flag inside the --reason value', () => {
    expect(bdCloseArgs('bd-1', '--force')).toEqual(['close', 'bd-1', '--reason=--force', '--json']);
  });

  it.each(['', '   ', 'a\u0000b'])('rejects the reason %j', (reason) => {
    expect(codeOf(() => bdCloseArgs('bd-1', reason))).toBe('BEADS_INVALID_ARGUMENT');
  });

  it.each(hostileIds)('rejects the id %j', (id) => {
    expect(codeOf(() => bdCloseArgs(id, 'Done'))).toBe('BEADS_INVALID_ID');
  });
});

describe('bdLinkWorkspaceArgs', () => {
  it('appends the workspace to the notes, keeping the notes already there', () => {
    expect(bdLinkWorkspaceArgs('bd-au0.7', '/repo/.factory/workspaces/bd-au0.7')).toEqual([
      'update',
      'bd-au0.7',
      '--append-notes=Factory workspace: /repo/.factory/workspaces/bd-au0.7',
      '--json',
    ]);
  });

  it('passes a path with spaces and shell characters as one argument', () => {
    expect(bdLinkWorkspaceArgs('bd-1', '/tmp/my ws/$(id)')[2]).toBe('--append-notes=Factory workspace: /tmp/my ws/$(id)');
  });

  it.each(['', 'a\u0000b'])('rejects the path %j', (p) => {
    expect(codeOf(() => bdLinkWorkspaceArgs('bd-1', p))).toBe('BEADS_INVALID_ARGUMENT');
  });

  it.each(hostileIds)('rejects the id %j', (id) => {
    expect(codeOf(() => bdLinkWorkspaceArgs(id, '/tmp/ws'))).toBe('BEADS_INVALID_ID');
  });
});

describe('mapTaskStatusToBeads', () => {
  const expected: [TaskStatus, string, string | undefined][] = [
    ['created', 'open', undefined],
    ['ready', 'open', undefined],
    ['in_progress', 'in_progress', undefined],
    ['ready_for_review', 'in_progress', undefined],
    ['review_approved', 'in_progress', undefined],
    ['deploying', 'in_progress', undefined],
    ['deployed_to_staging', 'in_progress', undefined],
    ['deployed_to_production', 'in_progress', undefined],
    ['done', 'closed', undefined],
    ['failed', 'open', 'Factory: task failed'],
    ['reverted', 'open', 'Factory: task reverted'],
  ];

  it('covers every Factory task status', () => {
    expect(expected.map(([s]) => s).sort()).toEqual([...TASK_STATUSES].sort());
  });

  it.each(expected)('maps %s to %s', (task, beads, note) => {
    expect(mapTaskStatusToBeads(task)).toEqual(note ? { status: beads, note } : { status: beads });
  });

  it('rejects a status Factory does not have', () => {
    expect(codeOf(() => mapTaskStatusToBeads('shipped' as TaskStatus))).toBe('BEADS_INVALID_ARGUMENT');
  });
});

describe('bdSyncStatusArgs', () => {
  it('updates the status of a working task', () => {
    expect(bdSyncStatusArgs('bd-1', 'deploying')).toEqual(['update', 'bd-1', '--status=in_progress', '--json']);
    expect(bdSyncStatusArgs('bd-1', 'ready')).toEqual(['update', 'bd-1', '--status=open', '--json']);
  });

  it('closes a done task through bd close, with a default or given reason', () => {
    expect(bdSyncStatusArgs('bd-1', 'done')).toEqual(['close', 'bd-1', `--reason=${DONE_REASON}`, '--json']);
    expect(bdSyncStatusArgs('bd-1', 'done', 'Merged in abc123')).toEqual(['close', 'bd-1', '--reason=Merged in abc123', '--json']);
  });

  it('reopens a failed or reverted task with a note saying why', () => {
    expect(bdSyncStatusArgs('bd-1', 'failed', 'stage test failed')).toEqual([
      'update',
      'bd-1',
      '--status=open',
      '--append-notes=Factory: task failed: stage test failed',
      '--json',
    ]);
    expect(bdSyncStatusArgs('bd-1', 'reverted')).toEqual([
      'update',
      'bd-1',
      '--status=open',
      '--append-notes=Factory: task reverted',
      '--json',
    ]);
  });
});

describe('parseBdShowJson', () => {
  it('reads the array bd show prints, turning related issues into dependency edges', () => {
    const r = parseBdShowJson(showAu07, 'bd-au0.7');
    if (!r.ok || !r.value) throw new Error(`expected an issue, got ${JSON.stringify(r)}`);
    expect(r.value).toMatchObject({
      id: 'bd-au0.7',
      title: 'Audit and standardize JSON output across all commands',
      status: 'closed',
      priority: 1,
      close_reason: 'Stale aspirational items (Clown Show #21 cleanup)',
      parent: 'bd-au0',
    });
    expect(r.value.description).toMatch(/^Ensure consistent JSON format and error handling/);
    expect(r.value.dependencies).toEqual([{ issue_id: 'bd-au0.7', depends_on_id: 'bd-au0', type: 'parent-child' }]);
    expect(parentOf({ ...r.value, parent: undefined })).toBe('bd-au0');
  });

  it('reads an open issue with a blocker, a parent and a dependent', () => {
    const r = parseBdShowJson(showWisp, 'bd-wisp-0f20f');
    if (!r.ok || !r.value) throw new Error(`expected an issue, got ${JSON.stringify(r)}`);
    expect(r.value.status).toBe('open');
    expect(r.value.dependencies).toEqual([
      { issue_id: 'bd-wisp-0f20f', depends_on_id: 'bd-wisp-14jn3', type: 'parent-child' },
      { issue_id: 'bd-wisp-0f20f', depends_on_id: 'bd-wisp-6e4wh', type: 'blocks' },
    ]);
    expect(parentOf(r.value)).toBe('bd-wisp-14jn3');
    expect((r.value.dependents as { id: string; dependency_type: string }[]).map((d) => [d.id, d.dependency_type])).toEqual([
      ['bd-wisp-t5dmm', 'blocks'],
    ]);
  });

  it('accepts a single object and the schema_version envelope', () => {
    const [details] = JSON.parse(showAu07) as unknown[];
    const asObject = parseBdShowJson(JSON.stringify(details), 'bd-au0.7');
    const enveloped = parseBdShowJson(JSON.stringify({ schema_version: 1, data: [details] }), 'bd-au0.7');
    expect(asObject.ok && asObject.value?.id).toBe('bd-au0.7');
    expect(enveloped.ok && enveloped.value?.id).toBe('bd-au0.7');
  });

  it.each(['', '  \n', '[]', 'null'])('finds no issue in %j (what bd prints for an unknown id)', (stdout) => {
    expect(parseBdShowJson(stdout, 'bd-nope')).toEqual({ ok: true, value: undefined });
  });

  it('picks the element with the id asked for, or the only element (a resolved partial id)', () => {
    const [details] = JSON.parse(showAu07) as Record<string, unknown>[];
    const two = JSON.stringify([{ ...details, id: 'bd-other' }, details]);
    const picked = parseBdShowJson(two, 'bd-au0.7');
    expect(picked.ok && picked.value?.id).toBe('bd-au0.7');
    const resolved = parseBdShowJson(showAu07, 'au0.7');
    expect(resolved.ok && resolved.value?.id).toBe('bd-au0.7');
    expect(parseBdShowJson(two, 'bd-third')).toEqual({ ok: true, value: undefined });
  });

  it('says which field of the issue is wrong', () => {
    const [details] = JSON.parse(showAu07) as Record<string, unknown>[];
    expect(parseBdShowJson(JSON.stringify([{ ...details, title: undefined, priority: 7 }]), 'bd-au0.7')).toEqual({
      ok: false,
      error:
        'bd show --json: the issue "bd-au0.7" is not a Beads issue: title: expected a string, got nothing; priority: expected at most 4, got 7',
    });
  });

  it('rejects output that is not JSON, quoting its first line', () => {
    const r = parseBdShowJson('Error: no beads database found\nRun bd init', 'bd-1');
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toMatch(/^bd show --json printed output that is not JSON \(.+\): "Error: no beads database found"$/);
  });

  it('rejects a list of things that are not issues', () => {
    expect(parseBdShowJson('[1, 2]', 'bd-1')).toEqual({
      ok: false,
      error: 'bd show --json: expected a list of issues, got a list (2 items)',
    });
  });
});

describe('parseBdChangedIds', () => {
  it('reads the ids of the issues bd update and bd close print', () => {
    expect(parseBdChangedIds('[\n  {"id": "bd-1", "status": "closed"}\n]\n', 'bd close')).toEqual({ ok: true, value: ['bd-1'] });
    expect(parseBdChangedIds('{"closed": [{"id": "bd-1"}], "continue": {}}', 'bd close')).toEqual({ ok: true, value: ['bd-1'] });
    expect(parseBdChangedIds('{"schema_version": 1, "data": [{"id": "bd-2"}]}', 'bd update')).toEqual({ ok: true, value: ['bd-2'] });
  });

  it('reports nothing changed when bd printed nothing', () => {
    expect(parseBdChangedIds('', 'bd update')).toEqual({ ok: true, value: [] });
  });

  it('rejects output that is not JSON', () => {
    const r = parseBdChangedIds('✓ Updated issue: bd-1', 'bd update bd-1');
    expect(!r.ok && r.error).toMatch(/^bd update bd-1 printed output that is not JSON/);
  });
});
