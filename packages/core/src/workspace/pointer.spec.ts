import { readWorkspacePointer } from './pointer';

describe('readWorkspacePointer', () => {
  it('reads the block mapping Factory writes', () => {
    const text = 'slug: bd-1\nworkspace:\n  backend: git\n  path: .factory/workspaces/bd-1\n  branch: factory/bd-1\ncreated_at: x\n';
    expect(readWorkspacePointer(text)).toEqual({ pointer: { backend: 'git', path: '.factory/workspaces/bd-1' } });
  });

  it('reads quoted values, comments and a flow mapping', () => {
    expect(readWorkspacePointer("workspace:  # here\n  backend: \"jj\"   # jj\n  path: '../ws/it''s'\n").pointer).toEqual({
      backend: 'jj',
      path: "../ws/it's",
    });
    expect(readWorkspacePointer('workspace: { backend: git, path: "a b/c" }\n').pointer).toEqual({ backend: 'git', path: 'a b/c' });
  });

  it('finds no workspace when the field is absent or null', () => {
    expect(readWorkspacePointer('slug: bd-1\ntitle: x\n')).toEqual({});
    expect(readWorkspacePointer('workspace: null\n')).toEqual({});
    expect(readWorkspacePointer('workspace:\nslug: x\n')).toEqual({});
  });

  it('reports a field it cannot read, naming the file and field', () => {
    expect(readWorkspacePointer('workspace:\n  backend: svn\n  path: x\n', 'f.yaml').error).toBe(
      'f.yaml: workspace.backend: expected "git" or "jj", got "svn"',
    );
    expect(readWorkspacePointer('workspace:\n  backend: git\n', 'f.yaml').error).toBe(
      "f.yaml: workspace.path: expected the workspace's directory, got nothing",
    );
    expect(readWorkspacePointer('workspace: [a]\n', 'f.yaml').error).toMatch(/^f\.yaml: workspace: expected a mapping/);
    expect(readWorkspacePointer('workspace:\n  path: &a x\n  backend: git\n', 'f.yaml').error).toMatch(
      /workspace\.path: expected a plain or quoted value/,
    );
  });
});
