import type { ProjectConfiguration } from '@nx/devkit';
import { taskDependencies } from './dependencies';
import { STAGE_INPUTS, codeInputs } from './targets';

const task = (name: string, allowed: string[]): ProjectConfiguration => ({
  name,
  root: `.factory/${name}`,
  tags: ['factory:task'],
  namedInputs: {
    [STAGE_INPUTS]: [
      ...codeInputs(allowed),
      '{projectRoot}/contract.yaml',
      '{workspaceRoot}/.factory/config.yaml',
      { runtime: 'go version' },
    ],
  },
});
const proj = (name: string, root: string): ProjectConfiguration => ({ name, root });
const files = (...f: string[]) => f.map((file) => ({ file, hash: 'h' }));

const context = {
  projects: {
    'bd-app': task('bd-app', ['packages/app/**']),
    'bd-docs': task('bd-docs', ['docs/**']),
    'bd-ts': task('bd-ts', ['**/*.ts']),
    'bd-none': task('bd-none', []),
    app: proj('app', 'packages/app'),
    lib: proj('lib', 'packages/lib'),
    root: proj('root', '.'),
  },
  fileMap: {
    projectFileMap: {
      app: files('packages/app/src/index.ts', 'packages/app/package.json'),
      lib: files('packages/lib/README.md'),
      root: files('package.json'),
      'bd-app': files('.factory/bd-app/contract.yaml'),
    },
    nonProjectFiles: [],
  },
};

describe('taskDependencies', () => {
  const deps = taskDependencies(context);
  const of = (source: string) =>
    deps
      .filter((d) => d.source === source)
      .map((d) => d.target)
      .sort();

  it('links a task to the projects its allowed files reach', () => {
    expect(of('bd-app')).toEqual(['app']);
  });
  it('links nothing when the globs reach no project', () => {
    expect(of('bd-docs')).toEqual([]);
    expect(of('bd-none')).toEqual([]);
  });
  it('matches files, not only roots', () => {
    expect(of('bd-ts')).toEqual(['app']);
  });
  it('never links tasks to each other and uses implicit dependencies', () => {
    expect(deps.every((d) => !d.target.startsWith('bd-') && d.type === 'implicit')).toBe(true);
  });
});
