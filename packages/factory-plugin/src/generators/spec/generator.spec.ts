import type { Tree } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { parse } from 'yaml';
import { taskGenerator } from '../task/generator';
import { specGenerator } from './generator';

describe('spec generator (intake) without a provider', () => {
  let tree: Tree;
  beforeEach(() => {
    tree = createTreeWithEmptyWorkspace();
    tree.write('package.json', JSON.stringify({ name: 'acme', workspaces: ['packages/*'] }));
    tree.write('packages/app/package.json', '{"name":"app"}');
    tree.write('packages/app/tsconfig.json', '{}');
    tree.write('packages/web/package.json', '{"name":"web"}');
  });

  it('creates a missing task with the projects the description names as its allowed files', async () => {
    await specGenerator(tree, { slug: 'bd-9', description: 'Add a farewell function to app' });
    const spec = tree.read('.factory/bd-9/spec.md', 'utf-8') ?? '';
    expect(spec).toMatch(/^# Add a farewell function to app\n/);
    expect(spec).toContain('written from the template (no LLM provider is configured');
    expect(spec).toContain(
      '## Acceptance criteria\n\n- [ ] A test shows that the change does what the description says: Add a farewell function to app',
    );
    expect(parse(tree.read('.factory/bd-9/contract.yaml', 'utf-8') ?? '')).toMatchObject({ allowed_files: ['packages/app/**'] });
    expect(parse(tree.read('.factory/bd-9/task.yaml', 'utf-8') ?? '')).toMatchObject({
      title: 'Add a farewell function to app',
      description: 'Add a farewell function to app',
    });
  });

  it('writes the spec of an existing task and leaves its contract alone', async () => {
    await taskGenerator(tree, { slug: 'bd-10', directory: 'packages/web' });
    const contract = tree.read('.factory/bd-10/contract.yaml', 'utf-8');
    await specGenerator(tree, { slug: 'bd-10', description: 'Say goodbye in app' });
    expect(tree.read('.factory/bd-10/contract.yaml', 'utf-8')).toBe(contract);
    expect(tree.read('.factory/bd-10/spec.md', 'utf-8')).toContain('allowed_files:\n  - packages/app/**');
  });

  it('refuses to replace a spec unless --overwrite', async () => {
    await specGenerator(tree, { slug: 'bd-11', description: 'First' });
    await expect(specGenerator(tree, { slug: 'bd-11', description: 'Second' })).rejects.toThrow(
      '--slug: .factory/bd-11/spec.md already exists; pass --overwrite to replace it',
    );
    await specGenerator(tree, { slug: 'bd-11', description: 'Second', overwrite: true });
    expect(tree.read('.factory/bd-11/spec.md', 'utf-8')).toContain('# Second');
  });

  it('refuses a bad slug or an empty description before writing anything', async () => {
    await expect(specGenerator(tree, { slug: '../x', description: 'x' })).rejects.toThrow(/--slug: expected a task slug/);
    await expect(specGenerator(tree, { slug: 'bd-12', description: '  ' })).rejects.toThrow(
      '--description: expected a description of the change, got an empty one',
    );
    expect(tree.listChanges().filter((c) => c.path.startsWith('.factory'))).toEqual([]);
  });
});
