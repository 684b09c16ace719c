import { jest } from '@jest/globals';
import { readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { listTasks, taskDetails, taskListEntry, type FileReader, type TaskListEntry } from '@factory/core';
import { surfaceTask, type SurfaceTask } from '../testing/surface-task';
import { main } from './main';
import { TaskCache, recordingReader, taskCachePath } from './task-cache';

jest.setTimeout(60_000);

/** A clock an hour ahead: every file counts as written long before it was read (none is racy). */
const later = () => Date.now() + 3_600_000;

describe('the CLI task cache (list and show)', () => {
  let t: SurfaceTask;
  let out: string;
  let env: NodeJS.ProcessEnv = {};
  const cli = (...argv: string[]) => main(argv, { root: t.root, out: (s) => (out += s), err: (s) => (out += s), env, version: '1' });
  beforeEach(() => {
    t = surfaceTask('bd-9.1', { stages: [{ name: 'check', command: 'true' }] });
    out = '';
  });
  afterEach(() => {
    t.cleanup();
    if (env.NX_WORKSPACE_DATA_DIRECTORY) rmSync(env.NX_WORKSPACE_DATA_DIRECTORY, { recursive: true, force: true });
    env = {};
  });

  /** A cache whose computations are counted; a miss computes with core, detection through the recording reader. */
  function counted(file = path.join(t.root, 'cache.json'), now: () => number = later) {
    const computed: string[] = [];
    const cache = new TaskCache<TaskListEntry>(
      file,
      '1',
      async () => (root: string, slug: string, reader: FileReader) => {
        computed.push(slug);
        return taskListEntry(root, slug, reader);
      },
      now,
    );
    return { cache, computed };
  }

  it('gives what core gives, and the second time neither loads nor computes anything', async () => {
    const file = path.join(t.root, 'cache.json');
    const first = counted(file);
    expect(await first.cache.get(t.root, 'bd-9.1')).toEqual(listTasks(t.root)[0]);
    first.cache.save(false);
    expect(first.computed).toEqual(['bd-9.1']);

    const load = jest.fn(async () => {
      throw new Error('a hit must not load core');
    });
    const second = new TaskCache<TaskListEntry>(file, '1', load, later);
    expect(await second.get(t.root, 'bd-9.1')).toEqual(listTasks(t.root)[0]);
    expect(load).not.toHaveBeenCalled();
  });

  it('computes again after a stage ran, a task file changed or a file detection read changed, not after a report was written', async () => {
    const file = path.join(t.root, 'cache.json');
    const again = async () => {
      const c = counted(file);
      const entry = await c.cache.get(t.root, 'bd-9.1');
      c.cache.save(false);
      return { entry, computed: c.computed.length };
    };
    expect((await again()).computed).toBe(1);
    expect((await again()).computed).toBe(0);

    await t.run(['check']);
    const ran = await again();
    expect(ran).toMatchObject({ computed: 1, entry: { stages: { passed: 1, failed: 0, not_run: 0 } } });
    expect((await again()).computed).toBe(0);

    // A report or a log written beside the results is read by neither list nor show.
    t.write('.factory/bd-9.1/results/report.html', '<html></html>\n');
    t.write('.factory/bd-9.1/results/stage-check.log', 'more output\n');
    expect((await again()).computed).toBe(0);

    t.write('.factory/bd-9.1/task.yaml', readFileSync(t.path('.factory/bd-9.1/task.yaml'), 'utf8').replace('Task bd-9.1', 'Renamed'));
    expect(await again()).toMatchObject({ computed: 1, entry: { title: 'Renamed' } });

    // Detection asked about the project's manifest; a new one is a change.
    t.write('package.json', '{ "name": "app", "devDependencies": { "vitest": "^3.0.0" } }\n');
    expect((await again()).computed).toBe(1);
    expect((await again()).computed).toBe(0);
  });

  it('keeps nothing read within a second of its files being written, nor a task with a symbolic link', async () => {
    const file = path.join(t.root, 'cache.json');
    for (let i = 0; i < 2; i++) {
      const c = counted(file, Date.now);
      await c.cache.get(t.root, 'bd-9.1');
      c.cache.save(false);
      expect(c.computed).toEqual(['bd-9.1']);
    }
    symlinkSync(path.join(t.root, '.factory/bd-9.1/task.yaml'), path.join(t.root, '.factory/bd-9.1/linked.yaml'));
    for (let i = 0; i < 2; i++) {
      const c = counted(file);
      await c.cache.get(t.root, 'bd-9.1');
      c.cache.save(false);
      expect(c.computed).toEqual(['bd-9.1']);
    }
  });

  it('records every answer detection got, and only the answers', () => {
    t.write('packages/app/package.json', '{ "name": "app" }\n');
    const rec = recordingReader(t.root);
    expect(rec.reader.kind('packages/app/package.json')).toBe('file');
    expect(rec.reader.read('packages/app/package.json')).toBe('{ "name": "app" }\n');
    expect(rec.reader.list('packages/app')).toEqual(['package.json', 'src']);
    expect(rec.reader.kind('nope')).toBeUndefined();
    expect(rec.observations()).toEqual([
      ['k', 'packages/app/package.json', 'file'],
      ['r', 'packages/app/package.json', '={ "name": "app" }\n'],
      ['l', 'packages/app', 'package.json/src'],
      ['k', 'nope', ''],
    ]);
  });

  it('factory list and show print what core gives, twice, and keep their caches in the workspace data directory', async () => {
    await t.run();
    for (let i = 0; i < 2; i++) {
      out = '';
      expect(await cli('list', '--json')).toBe(0);
      expect(JSON.parse(out)).toEqual({ version: 1, tasks: listTasks(t.root) });
      out = '';
      expect(await cli('show', 'bd-9.1', '--json')).toBe(0);
      expect(out).toBe(`${JSON.stringify(await taskDetails(t.root, 'bd-9.1'), null, 2)}\n`);
    }
    expect(taskCachePath(t.root, {}, 'factory-task-list.json')).toBe(path.join(t.root, '.nx/workspace-data/factory-task-list.json'));
  });

  it('show computes the lines changed every time, from git', async () => {
    // Nx's data directory outside the repository, as if git-ignored: the caches are no change of the task's.
    env = { NX_WORKSPACE_DATA_DIRECTORY: path.join(t.root, '..', `${path.basename(t.root)}-nx-data`) };
    const show = async () => {
      out = '';
      expect(await cli('show', 'bd-9.1', '--json')).toBe(0);
      return (JSON.parse(out) as { lines_changed?: { added: number } }).lines_changed;
    };
    expect(await show()).toMatchObject({ added: 0 });
    writeFileSync(t.path('packages/app/src/more.ts'), 'export const a = 1;\nexport const b = 2;\n');
    expect(await show()).toMatchObject({ added: 2 });
    rmSync(t.path('packages/app/src/more.ts'));
    expect(await show()).toMatchObject({ added: 0 });
  });
});
