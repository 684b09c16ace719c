import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { jest } from '@jest/globals';
import { surfaceTask, type SurfaceTask } from '../../testing/surface-task';
import { main } from '../main';

jest.setTimeout(60_000);

interface LinesChanged {
  added: number;
  removed: number;
  counted: number;
  files: number;
}

/**
 * `factory show` keeps the rest of a task in the CLI's cache, but the lines changed are git's
 * answer at the moment of asking: each change below shows at once, the cache warm.
 */
describe('factory show: lines changed', () => {
  let t: SurfaceTask;
  let dataDir: string;
  const show = async (): Promise<{ code: number; lines?: LinesChanged; problems: string[] }> => {
    let out = '';
    const env = { NX_WORKSPACE_DATA_DIRECTORY: dataDir };
    const code = await main(['show', 'bd-9.1', '--json'], {
      root: t.root,
      out: (s) => (out += s),
      err: (s) => (out += s),
      env,
      version: '1',
    });
    const json = JSON.parse(out) as { lines_changed?: LinesChanged; problems: string[] };
    return { code, lines: json.lines_changed, problems: json.problems };
  };
  const lines = async () => {
    const r = await show();
    expect(r).toMatchObject({ code: 0, problems: [] });
    return r.lines;
  };
  const taskFile = () => t.path('.factory/bd-9.1/task.yaml');

  beforeEach(async () => {
    t = surfaceTask('bd-9.1', { stages: [{ name: 'check', command: 'true' }] });
    // Nx's data directory outside the repository, as if git-ignored: the caches are no change of the task's.
    dataDir = path.join(t.root, '..', `${path.basename(t.root)}-nx-data`);
    await t.run();
    expect(await lines()).toEqual({ added: 0, removed: 0, counted: 0, files: 0 });
  });
  afterEach(() => {
    t.cleanup();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('shows an edit of a tracked file, and its undoing within the same second at the same size', async () => {
    const file = t.path('packages/app/src/index.ts');
    const original = readFileSync(file, 'utf8');
    writeFileSync(file, original.replace('hello', 'howdy'));
    expect(await lines()).toEqual({ added: 1, removed: 1, counted: 2, files: 1 });
    writeFileSync(file, original);
    expect(await lines()).toEqual({ added: 0, removed: 0, counted: 0, files: 0 });
  });

  it('shows a new untracked file, and its removal', async () => {
    t.write('packages/app/src/more.ts', 'export const a = 1;\nexport const b = 2;\n');
    expect(await lines()).toEqual({ added: 2, removed: 0, counted: 2, files: 1 });
    rmSync(t.path('packages/app/src/more.ts'));
    expect(await lines()).toEqual({ added: 0, removed: 0, counted: 0, files: 0 });
  });

  it('shows a staged change and a commit', async () => {
    t.write('packages/app/src/more.ts', 'export const a = 1;\n');
    t.git('add', 'packages/app/src/more.ts');
    expect(await lines()).toEqual({ added: 1, removed: 0, counted: 1, files: 1 });
    t.git('commit', '-qm', 'more');
    expect(await lines()).toEqual({ added: 1, removed: 0, counted: 1, files: 1 });
    t.write('packages/app/src/more.ts', 'export const a = 1;\nexport const b = 2;\n');
    expect(await lines()).toEqual({ added: 2, removed: 0, counted: 2, files: 1 });
  });

  it('shows the lines changed since a new base commit once task.yaml names it', async () => {
    t.write('packages/app/src/more.ts', 'export const a = 1;\n');
    t.git('add', '-A');
    t.git('commit', '-qm', 'more');
    expect(await lines()).toEqual({ added: 1, removed: 0, counted: 1, files: 1 });
    const head = t.git('rev-parse', 'HEAD').trim();
    writeFileSync(taskFile(), readFileSync(taskFile(), 'utf8').replace(/^base_commit: .*$/m, `base_commit: ${head}`));
    expect(await lines()).toEqual({ added: 0, removed: 0, counted: 0, files: 0 });
  });

  it('reads a base commit task.yaml writes in another YAML form, as YAML reads it', async () => {
    t.write('packages/app/src/more.ts', 'export const a = 1;\n');
    const text = readFileSync(taskFile(), 'utf8');
    const base = /^base_commit: (\S+)$/m.exec(text)?.[1] ?? '';
    expect(base).toMatch(/^[0-9a-f]{40}$/);
    // A folded block scalar: not the plain form the early reading of task.yaml knows.
    writeFileSync(taskFile(), text.replace(/^base_commit: .*$/m, `base_commit: >-\n  ${base}`));
    expect(await lines()).toEqual({ added: 1, removed: 0, counted: 1, files: 1 });
  });

  it('says there is no base commit when YAML reads the line as a number, though it looks like a commit id', async () => {
    writeFileSync(taskFile(), readFileSync(taskFile(), 'utf8').replace(/^base_commit: .*$/m, `base_commit: ${'1'.repeat(40)}`));
    // task.yaml is then invalid: the task has no title, and show exits 1.
    const r = await show();
    expect(r.code).toBe(1);
    expect(r.lines).toBeUndefined();
    expect(r.problems).toEqual([
      expect.stringMatching(/^\.factory\/bd-9\.1\/task\.yaml: base_commit: expected a string/),
      'no base_commit in task.yaml, so lines changed are unknown',
    ]);
  });

  it('names a base commit that is not in the repository among the problems', async () => {
    const missing = 'deadbeef'.repeat(5);
    writeFileSync(taskFile(), readFileSync(taskFile(), 'utf8').replace(/^base_commit: .*$/m, `base_commit: ${missing}`));
    const r = await show();
    expect(r).toMatchObject({ code: 0, lines: undefined });
    expect(r.problems).toEqual([expect.stringContaining(`lines changed unknown: expected the base "${missing}" to name a commit`)]);
  });
});

describe('factory show: a result a later failure upstream left behind', () => {
  it('says which stage failed since, in its table, its coverage line and its JSON', async () => {
    const t = surfaceTask('bd-9.2', {
      stages: [
        { name: 'build', command: 'test ! -f packages/app/broken' },
        { name: 'coverage', command: 'echo "All files |   72.3 |   70 |   71 |   72.3 |"', needs: ['build'] },
      ],
    });
    const dataDir = path.join(t.root, '..', `${path.basename(t.root)}-nx-data`);
    const show = async (...args: string[]) => {
      let out = '';
      const code = await main(['show', 'bd-9.2', ...args], {
        root: t.root,
        out: (s) => (out += s),
        err: (s) => (out += s),
        env: { NX_WORKSPACE_DATA_DIRECTORY: dataDir },
        version: '1',
      });
      expect(code).toBe(0);
      return out;
    };
    try {
      await t.run();
      expect(await show()).not.toContain('not re-run');
      // build fails: Nx does not run coverage, whose result of the code before stays on disk.
      t.write('packages/app/broken', 'x\n');
      await t.run(['build']);
      const text = await show();
      expect(text).toMatch(/^coverage\s+not re-run: build failed \(earlier: success\)/m);
      expect(text).toMatch(/^build\s+failure\s/m);
      expect(text).toContain('coverage:  72.3% (of earlier code: not re-run since build failed)');
      const json = JSON.parse(await show('--json')) as { stages: { name: string; not_rerun_since?: string }[] };
      expect(json.stages.map((s) => [s.name, s.not_rerun_since])).toEqual([
        ['build', undefined],
        ['coverage', 'build'],
      ]);
    } finally {
      t.cleanup();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('factory show: causes', () => {
  it('prints every line of a failed stage\'s cause, the exception first (platformdirs: the reason read `File "…plugin_support.py", line 42`)', async () => {
    const t = surfaceTask('bd-9.2', {
      stages: [
        {
          name: 'check',
          command:
            'printf \'Traceback (most recent call last):\\n  File "/usr/lib/python3/dist-packages/coverage/plugin_support.py", line 42, in load_plugins\\n    __import__(module)\\nModuleNotFoundError: No module named covdefaults\\n\'; exit 1',
        },
      ],
    });
    try {
      await t.run();
      let out = '';
      const dataDir = path.join(t.root, '.nx', 'workspace-data');
      const code = await main(['show', 'bd-9.2'], {
        root: t.root,
        out: (s) => (out += s),
        err: (s) => (out += s),
        env: { NX_WORKSPACE_DATA_DIRECTORY: dataDir },
        version: '1',
      });
      expect(code).toBe(0);
      const lines = out.split('\n');
      expect(lines).toContain('status:    failed (stage check failed: ModuleNotFoundError: No module named covdefaults)');
      const row = lines.findIndex((l) => /^check\s+failure\s+\S+\s+ModuleNotFoundError: No module named covdefaults$/.test(l));
      expect(row).toBeGreaterThan(0);
      expect(lines[row + 1]).toMatch(
        /^\s+File "\/usr\/lib\/python3\/dist-packages\/coverage\/plugin_support.py", line 42, in load_plugins$/,
      );
      // A long line is cut in the table (a list of findings made rows 700 characters wide), whole in --json.
      const contract = t.path('.factory/bd-9.2/contract.yaml');
      writeFileSync(contract, readFileSync(contract, 'utf8').replace(/command: .*/, `command: "echo error: ${'x'.repeat(300)}; exit 1"`));
      await t.run();
      out = '';
      await main(['show', 'bd-9.2'], {
        root: t.root,
        out: (s) => (out += s),
        err: (s) => (out += s),
        env: { NX_WORKSPACE_DATA_DIRECTORY: dataDir },
        version: '1',
      });
      const cutRow = out.split('\n').find((l) => l.startsWith('check '));
      expect(cutRow).toMatch(/ error: x+…$/);
      expect(cutRow?.slice(cutRow.indexOf('error: ')).length).toBe(160);
    } finally {
      t.cleanup();
    }
  });
});
