import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { findBeadsIssue, formatBeadsJsonlProblem, parseBeadsJsonl } from './jsonl';
import { parentOf, type BeadsIssue } from './record';

const here = path.dirname(fileURLToPath(import.meta.url));
const file = path.join(here, '__fixtures__', 'issues.jsonl');
const text = readFileSync(file, 'utf8');
const real = parseBeadsJsonl(text, file);
const byId = (id: string): BeadsIssue => {
  const issue = real.issues.find((i) => i.id === id);
  if (!issue) throw new Error(`fixture lacks ${id}`);
  return issue;
};
const lineOf = (id: string): number => text.split('\n').findIndex((l) => l.startsWith(`{"id": "${id}"`)) + 1;

/** A valid record line, with fields replaced or (when undefined) removed. */
const record = (fields: Record<string, unknown> = {}): string => {
  const base: Record<string, unknown> = {
    id: 'fx-1',
    title: 'A task',
    status: 'open',
    priority: 2,
    issue_type: 'task',
    created_at: '2026-01-01T00:00:00Z',
    updated_at: '2026-01-01T00:00:00Z',
  };
  for (const [k, v] of Object.entries(fields)) {
    if (v === undefined) delete base[k];
    else base[k] = v;
  }
  return JSON.stringify(base);
};

describe('parseBeadsJsonl', () => {
  it('reads all 704 records of the real export: one issue or one error per non-blank line', () => {
    const nonBlank = text.split('\n').filter((l) => l.trim() !== '').length;
    const errors = real.problems.filter((p) => p.severity === 'error');
    expect(nonBlank).toBe(704);
    expect(real.issues.length + errors.length).toBe(704);
    expect(real.issues).toHaveLength(704);
    expect(errors).toEqual([]);
  });

  it('gives every problem of the real export a line, the id of its record and a reason', () => {
    const lines = text.split('\n').length;
    expect(real.problems.length).toBeGreaterThan(0);
    for (const p of real.problems) {
      expect(p.file).toBe(file);
      expect(Number.isInteger(p.line) && p.line >= 1 && p.line <= lines).toBe(true);
      expect(p.id).toBeDefined();
      expect(text.split('\n')[p.line - 1]).toContain(`"id": "${p.id}"`);
      expect(p.reason.length).toBeGreaterThan(10);
    }
  });

  it('reports the 30 dependencies on ids missing from the real export as warnings, keeping the issues', () => {
    const unknown = real.problems.filter((p) => p.reason.startsWith('unknown dependency:'));
    expect(unknown).toHaveLength(30);
    expect(real.problems).toHaveLength(30);
    expect(unknown.every((p) => p.severity === 'warning')).toBe(true);
    expect(unknown).toContainEqual({
      file,
      line: lineOf('bd-o23'),
      id: 'bd-o23',
      severity: 'warning',
      reason: 'unknown dependency: blocks dependency on "bd-wisp-5fal0k", which is not in the file',
    });
    expect(byId('bd-o23').dependencies?.map((d) => d.depends_on_id)).toContain('bd-wisp-5fal0k');
  });

  it('reads a closed record with its close reason and its parent', () => {
    expect(byId('bd-au0.7')).toMatchObject({
      title: 'Audit and standardize JSON output across all commands',
      status: 'closed',
      priority: 1,
      issue_type: 'task',
      closed_at: '2026-02-27T02:56:51Z',
      close_reason: 'Stale aspirational items (Clown Show #21 cleanup)',
      parent: 'bd-au0',
    });
    expect(parentOf(byId('bd-au0.7'))).toBe('bd-au0');
  });

  it('reads ids of several prefixes and keeps unknown fields', () => {
    expect(byId('offlinebrew-3d0.1')).toMatchObject({ status: 'open', issue_type: 'task' });
    expect(byId('hq-cv-d46qe').issue_type).toBe('convoy');
    expect(byId('bd-kwro').priority).toBe(0);
    expect(byId('bd-wisp-0385z')).toMatchObject({ ephemeral: true, parent: 'bd-wisp-6awdl' });
    expect(byId('bd-dgp')).toMatchObject({ status: 'closed', close_reason: 'Closed' });
    expect(byId('bd-dgp').notes).toMatch(/^Added t\.Parallel\(\) to all 45 protocol tests/);
  });

  it('keeps the statuses beyond open and closed that the export uses', () => {
    expect(byId('bd-xmf').status).toBe('hooked');
    expect(byId('bd-pr-sheriff').status).toBe('pinned');
    expect(byId('bd-5ua').status).toBe('in_progress');
  });

  it('names the line, the id and the field of malformed records', () => {
    const input = [
      record({ id: 'fx-ok' }),
      '',
      '{"id": "fx-broken", "title": ',
      record({ id: 'fx-untitled', title: undefined }),
      record({ id: 'fx-urgent', priority: 9 }),
      '[1, 2]',
      record({ id: undefined }),
      record({ id: 'fx-two', priority: '2', issue_type: '' }),
    ].join('\n');
    const r = parseBeadsJsonl(input, 'issues.jsonl');
    expect(r.issues.map((i) => i.id)).toEqual(['fx-ok']);
    expect(r.problems).toEqual([
      { file: 'issues.jsonl', line: 3, id: 'fx-broken', severity: 'error', reason: expect.stringMatching(/^not valid JSON: /) },
      {
        file: 'issues.jsonl',
        line: 4,
        id: 'fx-untitled',
        severity: 'error',
        reason: 'invalid record: title: expected a string, got nothing',
      },
      { file: 'issues.jsonl', line: 5, id: 'fx-urgent', severity: 'error', reason: 'invalid record: priority: expected at most 4, got 9' },
      { file: 'issues.jsonl', line: 6, severity: 'error', reason: 'expected a JSON object, got a list (2 items)' },
      { file: 'issues.jsonl', line: 7, severity: 'error', reason: 'invalid record: id: expected a string, got nothing' },
      {
        file: 'issues.jsonl',
        line: 8,
        id: 'fx-two',
        severity: 'error',
        reason: 'invalid record: priority: expected a number, got "2"; issue_type: expected at least 1 characters, got ""',
      },
    ]);
  });

  it('skips blank lines and reads CRLF line ends and a byte-order mark', () => {
    const r = parseBeadsJsonl(`\uFEFF${record({ id: 'fx-a' })}\r\n\r\n   \r\n${record({ id: 'fx-b' })}\r\n`, 'f.jsonl');
    expect(r.issues.map((i) => i.id)).toEqual(['fx-a', 'fx-b']);
    expect(r.problems).toEqual([]);
  });

  it('keeps a status Beads does not define, with a warning', () => {
    const r = parseBeadsJsonl(record({ id: 'fx-r', status: 'review' }), 'f.jsonl');
    expect(r.issues[0].status).toBe('review');
    expect(r.problems).toEqual([
      {
        file: 'f.jsonl',
        line: 1,
        id: 'fx-r',
        severity: 'warning',
        reason: 'unknown status: "review" (known: open, in_progress, blocked, deferred, closed, pinned, hooked, tombstone); kept as is',
      },
    ]);
  });

  it('warns about an id that appears twice', () => {
    const r = parseBeadsJsonl([record({ title: 'old' }), record({ title: 'new' })].join('\n'), 'f.jsonl');
    expect(r.issues).toHaveLength(2);
    expect(r.problems).toEqual([
      {
        file: 'f.jsonl',
        line: 2,
        id: 'fx-1',
        severity: 'warning',
        reason: 'duplicate id: "fx-1" is also on line 1; the later record wins',
      },
    ]);
  });

  it('warns about a dependency on an id that is not in the file, but not about one that is', () => {
    const deps = [
      { issue_id: 'fx-2', depends_on_id: 'fx-1', type: 'blocks' },
      { issue_id: 'fx-2', depends_on_id: 'fx-gone', type: 'discovered-from' },
    ];
    const r = parseBeadsJsonl([record(), record({ id: 'fx-2', dependencies: deps })].join('\n'), 'f.jsonl');
    expect(r.problems).toEqual([
      {
        file: 'f.jsonl',
        line: 2,
        id: 'fx-2',
        severity: 'warning',
        reason: 'unknown dependency: discovered-from dependency on "fx-gone", which is not in the file',
      },
    ]);
  });
});

describe('parentOf', () => {
  it('takes the parent field first', () => {
    // Two parent-child edges; the exported parent is the first one.
    expect(byId('bd-98c4e1fa.1').dependencies?.filter((d) => d.type === 'parent-child')).toHaveLength(2);
    expect(parentOf(byId('bd-98c4e1fa.1'))).toBe('bd-0e1f2b1b');
  });

  it('falls back to the first parent-child dependency', () => {
    const { parent, ...withoutField } = byId('bd-au0.7');
    expect(parent).toBe('bd-au0');
    expect(parentOf(withoutField)).toBe('bd-au0');
  });

  it('does not infer a parent from the dots of an id', () => {
    expect(parentOf(byId('offlinebrew-3d0.1'))).toBeUndefined();
  });

  it('ignores blocking dependencies', () => {
    const issue = { ...byId('bd-o23'), parent: undefined };
    expect(issue.dependencies?.some((d) => d.type === 'blocks')).toBe(true);
    expect(parentOf(issue)).toBeUndefined();
  });
});

describe('findBeadsIssue', () => {
  it('finds an issue by id', () => {
    const r = findBeadsIssue(real, 'bd-au0.7', file);
    expect(r.ok && r.value.title).toBe('Audit and standardize JSON output across all commands');
  });

  it('names the id and the file when the id is absent', () => {
    expect(findBeadsIssue(real, 'bd-nope', file)).toEqual({
      ok: false,
      error: `Beads issue "bd-nope" is not in ${file} (704 issues read); check the id, or refresh the export with bd`,
    });
  });

  it('names the line when the record is there but unreadable', () => {
    const parsed = parseBeadsJsonl([record(), record({ id: 'fx-bad', priority: 7 })].join('\n'), 'f.jsonl');
    expect(findBeadsIssue(parsed, 'fx-bad', 'f.jsonl')).toEqual({
      ok: false,
      error: 'Beads issue "fx-bad" is on line 2 of f.jsonl but cannot be read: invalid record: priority: expected at most 4, got 7',
    });
  });

  it('takes the later record when an id repeats', () => {
    const parsed = parseBeadsJsonl([record({ title: 'old' }), record({ title: 'new' })].join('\n'), 'f.jsonl');
    const r = findBeadsIssue(parsed, 'fx-1', 'f.jsonl');
    expect(r.ok && r.value.title).toBe('new');
  });
});

describe('formatBeadsJsonlProblem', () => {
  it('prints file, line, severity, id and reason', () => {
    expect(
      formatBeadsJsonlProblem({
        file: 'a.jsonl',
        line: 4,
        id: 'bd-1',
        severity: 'error',
        reason: 'invalid record: title: expected a string, got nothing',
      }),
    ).toBe('a.jsonl:4: error: bd-1: invalid record: title: expected a string, got nothing');
    expect(formatBeadsJsonlProblem({ file: 'a.jsonl', line: 6, severity: 'error', reason: 'expected a JSON object, got 3' })).toBe(
      'a.jsonl:6: error: expected a JSON object, got 3',
    );
  });
});
