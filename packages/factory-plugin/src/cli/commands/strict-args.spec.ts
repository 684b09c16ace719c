import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { jest } from '@jest/globals';
import { gitTaskRepo } from '../../testing/git-task-repo';
import { main } from '../main';

jest.setTimeout(60_000);

/** Arguments a command does not take are refused (exit 2, naming them), never silently ignored. */
describe('the CLI refuses what it does not understand', () => {
  let repo: ReturnType<typeof gitTaskRepo>;
  let out: string;
  const cli = (...argv: string[]) => main(argv, { root: repo.root, out: (t) => (out += t), err: (t) => (out += t), env: {} });
  beforeEach(() => {
    repo = gitTaskRepo();
    out = '';
  });
  afterEach(() => repo.cleanup());

  it.each([
    [['show', 'bd-1', '--bogus'], '--bogus'],
    [['show', 'bd-1', 'bd-2'], 'bd-2'],
    [['list', '--bogus'], '--bogus'],
    [['list', 'extra'], 'extra'],
    [['close', 'bd-1', '--bogus'], '--bogus'],
    [['close', 'bd-1', 'bd-2'], 'bd-2'],
    [['audit', 'verify', '--bogus'], '--bogus'],
    [['audit', 'checkpoint', 'extra'], 'extra'],
    [['evidence', 'export'], 'expected a slug'],
  ])('factory %j: exit 2 naming %s', async (argv, named) => {
    expect(await cli(...argv)).toBe(2);
    expect(out).toContain(named);
  });

  it('still takes what the commands do take', async () => {
    expect(await cli('show', 'bd-1', '--json')).toBe(0);
    expect(JSON.parse(out)).toMatchObject({ slug: 'bd-1' });
    out = '';
    expect(await cli('list', '--json')).toBe(0);
    expect(JSON.parse(out)).toMatchObject({ version: 1 });
    out = '';
    expect(await cli('audit', 'verify', 'bd-1', '--json')).toBe(0);
  });

  it('stage and workspace path name a task that does not exist instead of handing it on', async () => {
    expect(await cli('stage', 'nope', 'unit-test')).toBe(1);
    expect(out).toContain('no task "nope": neither .factory/nope/task.yaml nor .factory/nope/contract.yaml exists. Tasks here: bd-1');
    out = '';
    expect(await cli('workspace', 'path', 'nope')).toBe(1);
    expect(out).toContain('no task "nope"');
    out = '';
    expect(await cli('workspace', 'path', 'bd-1')).toBe(0);
    expect(out.trim()).toBe(repo.root);
  });

  it('stage names the stages a task has when asked for one it does not have, instead of handing it to Nx', async () => {
    expect(await cli('stage', 'bd-1', 'nope')).toBe(2);
    expect(out).toContain('factory stage: task bd-1 has no stage "nope"; its pipeline has unit-test (see .factory/bd-1/contract.yaml');
  });

  it('report --out a directory is an error naming the option, not a failed rename', async () => {
    mkdirSync(path.join(repo.root, 'out'));
    expect(await cli('report', 'bd-1', '--out', 'out')).toBe(1);
    expect(out).toContain(`--out: expected a file to write the report to, got the directory ${path.join(repo.root, 'out')}`);
  });
});
