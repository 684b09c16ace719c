import { readNxJson, type Tree } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { initGenerator } from './generator';

describe('init generator', () => {
  let tree: Tree;
  beforeEach(() => {
    tree = createTreeWithEmptyWorkspace();
  });

  it('registers the plugin in nx.json once', async () => {
    await initGenerator(tree);
    await initGenerator(tree);
    expect(readNxJson(tree)?.plugins?.filter((p) => p === 'factory')).toHaveLength(1);
  });

  it('writes nx.json with the plugin when the repository has none (nx installed without nx init)', async () => {
    tree.delete('nx.json');
    await initGenerator(tree);
    expect(readNxJson(tree)?.plugins).toEqual(['factory']);
    await initGenerator(tree);
    expect(readNxJson(tree)?.plugins).toEqual(['factory']);
  });

  it('keeps a plugin registered with options', async () => {
    const nx = readNxJson(tree) ?? {};
    tree.write('nx.json', JSON.stringify({ ...nx, plugins: [{ plugin: 'factory', options: {} }] }));
    await initGenerator(tree);
    expect(readNxJson(tree)?.plugins).toEqual([{ plugin: 'factory', options: {} }]);
  });

  it('writes config.yaml and the global contract without overwriting them', async () => {
    tree.write('.factory/contract.yaml', 'language: go\n');
    await initGenerator(tree);
    expect(tree.read('.factory/config.yaml', 'utf-8')).toContain('backend: auto');
    expect(tree.read('.factory/contract.yaml', 'utf-8')).toBe('language: go\n');
  });

  describe('--skip-ignore', () => {
    it('adds the ignores by default, once', async () => {
      tree.write('.gitignore', 'node_modules');
      await initGenerator(tree);
      await initGenerator(tree);
      const gi = tree.read('.gitignore', 'utf-8') ?? '';
      expect(gi).toBe(
        'node_modules\n\n# Factory\n.nx/cache\n.nx/workspace-data\n.factory/*/results/\n.factory/workspaces/\n.factory/*/.lock\n.factory/**/*.lock/\n' +
          '.factory/*/activity.jsonl\n.factory/*/metrics.yaml\n.factory/*/llm/\n.factory/report.html\n',
      );
      expect(tree.read('.nxignore', 'utf-8')).toContain('.factory/workspaces/');
    });

    it("leaves Nx's data to a .gitignore that ignores .nx already", async () => {
      tree.write('.gitignore', 'node_modules\n/.nx/\n');
      await initGenerator(tree);
      expect(tree.read('.gitignore', 'utf-8')).not.toContain('.nx/cache');
      tree.write('.gitignore', '.nx/cache\n.nx/workspace-data\n');
      await initGenerator(tree);
      expect(tree.read('.gitignore', 'utf-8')?.match(/\.nx\/cache/g)).toHaveLength(1);
    });
    it('ignores node_modules in a repository that did not (a Go module that installed Nx), once', async () => {
      tree.write('.gitignore', '*.test\n/cover.out\n');
      await initGenerator(tree);
      await initGenerator(tree);
      const gi = tree.read('.gitignore', 'utf-8') ?? '';
      expect(gi).toMatch(/^\*\.test\n\/cover\.out\n\n# Factory\nnode_modules\/\n\.nx\/cache\n/);
      expect(gi.match(/node_modules/g)).toHaveLength(1);
      tree.write('.gitignore', '**/node_modules\n.nx\n');
      await initGenerator(tree);
      expect(tree.read('.gitignore', 'utf-8')).not.toMatch(/node_modules\/|\.nx\/cache/);
    });

    it('leaves ignore files alone when set', async () => {
      await initGenerator(tree, { skipIgnore: true });
      expect(tree.exists('.nxignore')).toBe(false);
    });
  });
});
