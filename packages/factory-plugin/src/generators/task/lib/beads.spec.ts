import type { Tree } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { parse } from 'yaml';
import { taskGenerator } from '../generator';
import { readBeadsIssue } from './beads';

const record = (fields: Record<string, unknown>) =>
  JSON.stringify({
    id: 'bd-95.1',
    title: 'Batch upload',
    status: 'open',
    priority: 2,
    issue_type: 'task',
    created_at: '2026-01-01T00:00:00Z',
    updated_at: '2026-01-01T00:00:00Z',
    ...fields,
  });

describe('nx g factory:task --beads', () => {
  let tree: Tree;
  beforeEach(() => {
    tree = createTreeWithEmptyWorkspace();
    tree.write('packages/app/package.json', '{"name":"app"}');
    tree.write(
      '.beads/issues.jsonl',
      [
        record({ description: 'Upload many files at once.', acceptance_criteria: '- 100 files in one request' }),
        record({ id: 'bd-gone', status: 'tombstone' }),
        '{"id": "bd-torn", "ti',
      ].join('\n'),
    );
  });

  it('takes title, description and acceptance from the Beads export when bd is absent', async () => {
    await taskGenerator(tree, { slug: 'bd-95.1', directory: 'packages/app', beads: 'bd-95.1' });
    expect(parse(tree.read('.factory/bd-95.1/task.yaml', 'utf-8') ?? '')).toMatchObject({
      title: 'Batch upload',
      description: 'Upload many files at once.',
      beads_id: 'bd-95.1',
      acceptance: '- 100 files in one request',
    });
  });

  it('keeps a title given on the command line', async () => {
    await taskGenerator(tree, { slug: 'bd-95.1', directory: 'packages/app', beads: 'bd-95.1', title: 'Mine' });
    expect(parse(tree.read('.factory/bd-95.1/task.yaml', 'utf-8') ?? '').title).toBe('Mine');
  });

  it.each([
    ['bd-nope', 'Beads issue "bd-nope" is not in .beads/issues.jsonl (2 issues read)'],
    ['bd-torn', 'Beads issue "bd-torn" is on line 3 of .beads/issues.jsonl but cannot be read: not valid JSON'],
    ['bd-gone', 'Beads issue "bd-gone" was deleted (status "tombstone")'],
    ['--help', 'not starting with "-"'],
  ])('refuses %j, saying why, and writes nothing', async (id, message) => {
    await expect(taskGenerator(tree, { slug: 'bd-9', directory: 'packages/app', beads: id })).rejects.toThrow(message);
    expect(tree.exists('.factory/bd-9/task.yaml')).toBe(false);
  });

  it('says where it looked when there is neither bd nor an export', async () => {
    tree.delete('.beads/issues.jsonl');
    await expect(readBeadsIssue(tree, 'bd-1', { bdAvailable: false })).rejects.toThrow(
      'bd is not on PATH and there is no .beads/issues.jsonl in the workspace',
    );
  });

  it('asks bd (bd show <id> --json) when bd is on PATH', async () => {
    const asked: string[] = [];
    const info = await readBeadsIssue(tree, 'bd-95.1', {
      bdAvailable: true,
      client: {
        show: async (id) => (asked.push(id), { id, title: 'From bd', description: '', status: 'open', source: 'bd', issue: {} as never }),
      },
    });
    expect(asked).toEqual(['bd-95.1']);
    expect(info).toMatchObject({ title: 'From bd', source: 'bd' });
  });
});
