import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { tempWorkspace } from '../../testing/temp-workspace';
import { watchFactory } from './watch-factory';

/** Resolves with the first batch of changed slugs the watcher reports after `act` runs. */
function firstChange(root: string, mode: 'watch' | 'poll', act: () => void): Promise<{ slugs: string[]; mode: string }> {
  return new Promise((resolve) => {
    const w = watchFactory(
      root,
      (slugs) => {
        w.close();
        resolve({ slugs, mode: w.mode });
      },
      { mode, pollMs: 50, debounceMs: 20 },
    );
    setTimeout(act, 100);
  });
}

describe.each(['watch', 'poll'] as const)('watchFactory (%s)', (mode) => {
  const files = {
    '.factory/a-1/task.yaml': 'slug: a-1\n',
    '.factory/a-1/results/stage-x.json': '{}',
    '.factory/b-2/task.yaml': 'slug: b-2\n',
    '.factory/workspaces/a-1/file.txt': 'checkout\n',
  };

  it('names the task whose result changed', async () => {
    const ws = tempWorkspace(files);
    try {
      const r = await firstChange(ws.root, mode, () => ws.write('.factory/a-1/results/stage-x.json', '{"status":"success"}'));
      expect(r).toEqual({ slugs: ['a-1'], mode });
    } finally {
      ws.cleanup();
    }
  });

  it("names a task whose results folder is new (its first stage's result)", async () => {
    const ws = tempWorkspace(files);
    try {
      const r = await firstChange(ws.root, mode, () => {
        mkdirSync(path.join(ws.root, '.factory/b-2/results'));
        writeFileSync(path.join(ws.root, '.factory/b-2/results/stage-y.json'), '{}');
      });
      expect(r.slugs).toEqual(['b-2']);
    } finally {
      ws.cleanup();
    }
  });

  it('names a new task', async () => {
    const ws = tempWorkspace(files);
    try {
      const r = await firstChange(ws.root, mode, () => ws.write('.factory/c-3/task.yaml', 'slug: c-3\n'));
      expect(r.slugs).toEqual(['c-3']);
    } finally {
      ws.cleanup();
    }
  });

  it('ignores the task workspaces (full checkouts)', async () => {
    const ws = tempWorkspace(files);
    try {
      const r = await firstChange(ws.root, mode, () => {
        ws.write('.factory/workspaces/a-1/file.txt', 'edited\n');
        setTimeout(() => ws.write('.factory/b-2/status.yaml', 'status: ready\n'), 300);
      });
      expect(r.slugs).toEqual(['b-2']);
    } finally {
      ws.cleanup();
    }
  });
});
