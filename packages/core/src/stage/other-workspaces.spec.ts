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

/** The stage as detection plans it for the project at the repository's root. */
function detected(root: string, name: 'unit-test' | 'lint'): Stage {
  const profile = detectProject(root, { language: 'typescript', allowed_files: ['**'], file: '.factory/bd-1/contract.yaml' });
  if (!('tools' in profile)) throw new Error(profile.message);
  const tool = profile.tools[name];
  if (!tool?.command) throw new Error(`no ${name} command: ${JSON.stringify(tool)}`);
  return {
    name,
    description: name,
    command: tool.command,
    timeout_seconds: 120,
    required_success: true,
    needs: [],
    ...(tool.coverage ? { coverage: { parser: tool.coverage.parser, gate: false } } : {}),
    ...(tool.findings ? { findings: tool.findings, scope: 'change' as const } : {}),
  };
}
const unitTest = (root: string) => detected(root, 'unit-test');

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

  it('ESLint judging the main tree does not lint the copies under .factory/workspaces', async () => {
    const repo = projectWithAnotherWorkspace();
    repo.write('eslint.config.mjs', "export default [{ rules: { 'no-unused-vars': 'error' } }];\n");
    repo.write('src/sum.js', 'export const sum = (a, b) => a + b;\n');
    const base = repo.commitAll('lint');
    repo.write('.factory/bd-1/task.yaml', `slug: bd-1\ntitle: t\nbase_commit: ${base}\n`);
    repo.write('.factory/workspaces/other/src/sum.js', 'const unused = 1;\nexport const sum = (a, b) => a + b;\n');
    const stage = detected(repo.dir, 'lint');
    expect(stage.command).toBe("eslint . --ignore-pattern '.factory/'");
    const r = await runStage(
      { slug: 'bd-1', stage, working_directory: '.', required_test_coverage: 0 },
      { root: repo.dir, codeRoot: repo.dir, out: () => undefined },
    );
    expect(r).toMatchObject({ status: 'success', metrics: { findings_in_change: 0, findings_already_there: 0 } });
  });

  it('escapes the code root for a regular expression', () => {
    expect(testsPattern('/tmp/a.b (c)+/')).toBe('^(?!\\.factory/|/tmp/a\\.b \\(c\\)\\+/\\.factory/)');
  });
});
