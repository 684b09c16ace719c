import { symlinkSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { removeTempDirs, tempRepo } from '../repo/__fixtures__/temp-repo';
import { detectProject } from '../detect';
import type { Stage } from '../domain/stage';
import { runStage } from './run-stage';
import { testsPattern } from './command-stage';

afterEach(removeTempDirs);

// This repository's own jest (a real one), linked into the temporary project as its node_modules.
const NODE_MODULES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../node_modules');

const TEST = "test('adds', () => { expect(1 + 1).toBe(2); });\n";

/**
 * A JavaScript project with jest at the repository root, and another task's workspace under
 * `.factory/workspaces/` holding a copy of it plus a failing test (git ignores the workspace;
 * jest does not).
 */
function projectWithAnotherWorkspace() {
  const repo = tempRepo();
  const pkg = JSON.stringify({ name: 'sums', devDependencies: { jest: '*' }, jest: { testEnvironment: 'node' } });
  repo.write('package.json', pkg);
  repo.write('.gitignore', 'node_modules\n.factory/workspaces/\n');
  repo.write('test/sum.test.js', TEST);
  symlinkSync(NODE_MODULES, path.join(repo.dir, 'node_modules'), 'dir');
  repo.commitAll('project');
  repo.write('.factory/workspaces/other/package.json', pkg);
  repo.write('.factory/workspaces/other/test/sum.test.js', TEST);
  repo.write('.factory/workspaces/other/test/broken.test.js', "test('broken', () => { expect(1).toBe(2); });\n");
  return repo;
}

function unitTest(root: string): Stage {
  const profile = detectProject(root, { language: 'typescript', allowed_files: ['**'], file: '.factory/bd-1/contract.yaml' });
  if (!('tools' in profile)) throw new Error(profile.message);
  const tool = profile.tools['unit-test'];
  if (!tool?.command) throw new Error(`no unit-test command: ${JSON.stringify(tool)}`);
  return {
    name: 'unit-test',
    description: 'tests',
    command: tool.command,
    timeout_seconds: 120,
    required_success: true,
    needs: [],
    ...(tool.coverage ? { coverage: { parser: tool.coverage.parser, gate: false } } : {}),
  };
}

describe("the project's test runner never runs another task's workspace", () => {
  it('jest judging the main tree runs only its tests, not the copies under .factory/workspaces', async () => {
    const repo = projectWithAnotherWorkspace();
    const stage = unitTest(repo.dir);
    expect(stage.command).toMatch(/^jest .*"\$FACTORY_TESTS_PATTERN"$/);
    const r = await runStage(
      { slug: 'bd-1', stage, working_directory: '.', required_test_coverage: 0 },
      { root: repo.dir, codeRoot: repo.dir, out: () => undefined },
    );
    expect(r).toMatchObject({ status: 'success', metrics: { tests_passed: 1, tests_failed: 0 } });
  });

  it('jest judging a workspace runs that workspace’s tests', async () => {
    const repo = projectWithAnotherWorkspace();
    const ws = path.join(repo.dir, '.factory/workspaces/other');
    const r = await runStage(
      { slug: 'bd-1', stage: unitTest(repo.dir), working_directory: '.', required_test_coverage: 0 },
      { root: repo.dir, codeRoot: ws, out: () => undefined },
    );
    expect(r).toMatchObject({ status: 'failure', metrics: { tests_passed: 1, tests_failed: 1 } });
  });

  it('escapes the code root for a regular expression', () => {
    expect(testsPattern('/tmp/a.b (c)+/')).toBe('^(?!\\.factory/|/tmp/a\\.b \\(c\\)\\+/\\.factory/)');
  });
});
