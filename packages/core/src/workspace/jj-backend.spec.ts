import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { CommandRunner } from './command-runner';
import { JjWorkspaceBackend, jjFile, parseJjSaved, parseJjSummary } from './jj-backend';
import { chooseBackend } from './select-backend';

/**
 * jj cannot be installed here: these tests check the command sequences the backend runs,
 * answering each command as jj would (outputs in jj's documented formats).
 */
function scripted(answers: Array<[RegExp, string]>) {
  const calls: string[] = [];
  const run: CommandRunner = async (file, args, opts) => {
    const line = [file, ...args].join(' ');
    calls.push(`${path.basename(opts.cwd)}: ${line}`);
    const hit = answers.find(([re]) => re.test(line));
    return { stdout: hit ? hit[1] : '', stderr: '', exitCode: 0 };
  };
  return { run, calls };
}

const ROOT = '/repo';
const ws = { slug: 'bd-1', dir: '/repo/.factory/workspaces/bd-1' };
const TPL = /-T/;

describe('parseJjSummary', () => {
  it('reads jj diff --summary, renames as a deletion and an addition', () => {
    expect(parseJjSummary('M src/a.ts\nA src/new file.ts\nD old.ts\nR src/{a.ts => b.ts}\n')).toEqual([
      { path: 'src/a.ts', kind: 'modified' },
      { path: 'src/new file.ts', kind: 'added' },
      { path: 'old.ts', kind: 'deleted' },
      { path: 'src/a.ts', kind: 'deleted' },
      { path: 'src/b.ts', kind: 'added' },
    ]);
  });
});

describe('parseJjSaved', () => {
  it("reads the task's bookmarks, their commits and parents", () => {
    const out =
      'factory-reverted/bd-1/2\tc2\tp1\t2026-01-01 10:00:00\tsecond\nfactory-reverted/bd-1/1,main\tc1\tp1\t2026-01-01 09:00:00\tfirst\nfactory-reverted/bd-9/1\tc9\tp\tt\tother task\n';
    expect(parseJjSaved('bd-1', out).map((s) => [s.ref, s.n, s.commit, s.parent])).toEqual([
      ['factory-reverted/bd-1/1', 1, 'c1', 'p1'],
      ['factory-reverted/bd-1/2', 2, 'c2', 'p1'],
    ]);
  });
});

describe('JjWorkspaceBackend', () => {
  it('creates a named workspace on the base revision', async () => {
    const s = scripted([]);
    const made = await new JjWorkspaceBackend(ROOT, s.run).create({ slug: 'bd-1', dir: ws.dir, base: 'abc123' });
    expect(s.calls).toEqual([`repo: jj workspace add --name bd-1 -r abc123 ${ws.dir}`]);
    expect(made).toEqual({ base: 'abc123', name: 'bd-1', reused: false });
  });

  it('commits with jj commit and reads the new commit from @-', async () => {
    const s = scripted([
      [/diff --summary -r @/, 'M src/a.ts\n'],
      [/log -r @- /, 'c0ffee\n'],
    ]);
    const made = await new JjWorkspaceBackend(ROOT, s.run).commit(ws, (f) => `bd-1: ${f[0].path}`);
    expect(s.calls).toEqual([
      'bd-1: jj diff --summary -r @',
      'bd-1: jj commit -m bd-1: src/a.ts',
      'bd-1: jj log -r @- --no-graph -T commit_id ++ "\\n"',
    ]);
    expect(made).toEqual({ commit: 'c0ffee', files: [{ path: 'src/a.ts', kind: 'modified' }] });
  });

  it('commits nothing from an empty working-copy commit', async () => {
    const s = scripted([]);
    expect(await new JjWorkspaceBackend(ROOT, s.run).commit(ws, 'x')).toBeUndefined();
    expect(s.calls).toEqual(['bd-1: jj diff --summary -r @']);
  });

  it('saves an attempt as a bookmarked commit beside a new working copy with the same content', async () => {
    let at = 0;
    const ids = ['parent1\n', 'attempt1\n'];
    const s = scripted([
      [/diff --summary -r @/, 'A src/new.ts\nM test/a.test.ts\n'],
      [/bookmarks\(glob/, 'factory-reverted/bd-1/1\told\tp\tt\ts\n'],
      [/op log/, 'op42\n'],
    ]);
    const run: CommandRunner = async (file, args, opts) => {
      if (args[0] === 'log' && args[2] === '@-') {
        await s.run(file, args, opts);
        return { stdout: ids[at++], stderr: '', exitCode: 0 };
      }
      return s.run(file, args, opts);
    };
    const saved = await new JjWorkspaceBackend(ROOT, run).save(ws, 'reverted', 'bd-1: reverted attempt');
    expect(s.calls.map((c) => c.replace(TPL, '-T').replace(/-T .*/, '-T …'))).toEqual([
      'bd-1: jj diff --summary -r @',
      'bd-1: jj log -r @- --no-graph -T …',
      'bd-1: jj commit -m bd-1: reverted attempt',
      'bd-1: jj log -r @- --no-graph -T …',
      'repo: jj log -r bookmarks(glob:"factory-reverted/bd-1/*") --no-graph -T …',
      'bd-1: jj bookmark create factory-reverted/bd-1/2 -r attempt1',
      'bd-1: jj new parent1',
      'bd-1: jj restore --from attempt1',
      'bd-1: jj op log -n 1 --no-graph -T …',
    ]);
    expect(saved?.saved).toMatchObject({
      kind: 'reverted',
      n: 2,
      ref: 'factory-reverted/bd-1/2',
      commit: 'attempt1',
      parent: 'parent1',
      operation: 'op42',
    });
  });

  it('reverts exactly the given files from the parent, as root-relative filesets', async () => {
    const s = scripted([]);
    await new JjWorkspaceBackend(ROOT, s.run).revert(ws, [
      { path: 'src/a "b".ts', kind: 'modified' },
      { path: 'src/new.ts', kind: 'added' },
    ]);
    expect(s.calls).toEqual(['bd-1: jj restore --from @- -- root-file:"src/a \\"b\\".ts" root-file:"src/new.ts"']);
    expect(jjFile('x')).toBe('root-file:"x"');
  });

  it('restores from n commits ago as the seed does (jj restore --from @-, @--, ...)', async () => {
    const s = scripted([]);
    const b = new JjWorkspaceBackend(ROOT, s.run);
    await b.restoreFrom(ws, 1);
    await b.restoreFrom(ws, 3);
    expect(s.calls).toEqual(['bd-1: jj restore --from @-', 'bd-1: jj restore --from @---']);
    await expect(b.restoreFrom(ws, 0)).rejects.toThrow(/at least 1/);
  });

  it('restores a saved attempt made on the current parent, and refuses one made elsewhere', async () => {
    const s = scripted([[/log -r @- /, 'p1\n']]);
    const b = new JjWorkspaceBackend(ROOT, s.run);
    const saved = {
      slug: 'bd-1',
      kind: 'reverted' as const,
      n: 1,
      ref: 'factory-reverted/bd-1/1',
      commit: 'c1',
      parent: 'p1',
      date: '',
      subject: '',
    };
    await b.restoreSaved(ws, saved);
    expect(s.calls.at(-1)).toBe('bd-1: jj restore --from c1');
    await expect(b.restoreSaved(ws, { ...saved, parent: 'p0' })).rejects.toThrow(/jj squash --from factory-reverted\/bd-1\/1/);
  });

  it('forgets the workspace and removes its directory (its commits stay in the repository)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'factory-jj-'));
    writeFileSync(path.join(dir, 'f'), 'x');
    const s = scripted([]);
    await new JjWorkspaceBackend(ROOT, s.run).remove({ slug: 'bd-1', dir });
    expect(s.calls).toEqual(['repo: jj workspace forget bd-1']);
    expect(existsSync(dir)).toBe(false);
  });

  it('lists workspaces other than default from jj workspace list', async () => {
    const s = scripted([
      [/workspace list/, 'default: qpv 230dd059 (empty) (no description set)\nbd-1: kmn 9a8b7c6d (no description set)\n'],
    ]);
    expect(await new JjWorkspaceBackend(ROOT, s.run).list()).toEqual([{ slug: 'bd-1', head: 'kmn' }]);
  });
});

describe('chooseBackend', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'factory-choose-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('takes jj for a jj repository when jj is on PATH, git otherwise', () => {
    mkdirSync(path.join(dir, '.jj'));
    mkdirSync(path.join(dir, '.git'));
    expect(chooseBackend(dir, 'auto', () => true)).toBe('jj');
    expect(chooseBackend(dir, 'auto', () => false)).toBe('git');
  });

  it('follows the configured backend', () => {
    expect(chooseBackend(dir, 'jj', () => false)).toBe('jj');
    expect(chooseBackend(dir, 'none')).toBe('none');
  });

  it('explains a jj repository without git and without jj', () => {
    mkdirSync(path.join(dir, '.jj'));
    expect(() => chooseBackend(dir, 'auto', () => false)).toThrow(/jj repository without git, and jj is not on PATH/);
  });
});
