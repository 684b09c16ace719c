import { symlinkSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { removeTempDirs, tempRepo } from '../repo/__fixtures__/temp-repo';
import { detectProject } from '../detect';
import { standardPipeline } from '../pipeline/standard';
import { runStage } from './run-stage';

afterEach(removeTempDirs);

// This repository's own ESLint (a real one), linked into the temporary project as its node_modules.
const NODE_MODULES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../node_modules');

/**
 * A project whose ESLint configuration makes one rule a warning and one an error, and a task
 * that adds a line with a magic number (the warning) to `src/sum.js`. `scripts` is the
 * project's package.json scripts.
 */
function project(scripts: Record<string, string>, added: string) {
  const repo = tempRepo();
  repo.write('package.json', JSON.stringify({ name: 'sums', type: 'module', scripts }));
  repo.write('.gitignore', 'node_modules\n');
  repo.write('eslint.config.mjs', "export default [{ rules: { 'no-magic-numbers': 'warn', 'no-unused-vars': 'error' } }];\n");
  repo.write('src/sum.js', 'export const sum = (a, b) => a + b;\nexport const twice = (a) => a * 2;\n');
  symlinkSync(NODE_MODULES, path.join(repo.dir, 'node_modules'), 'dir');
  const base = repo.commitAll('project');
  repo.write('.factory/bd-1/task.yaml', `slug: bd-1\ntitle: t\nbase_commit: ${base}\n`);
  repo.write('src/sum.js', `export const sum = (a, b) => a + b;\nexport const twice = (a) => a * 2;\n${added}`);
  return repo;
}

async function lint(root: string) {
  const profile = detectProject(root, { language: 'typescript', allowed_files: ['**'], file: '.factory/bd-1/contract.yaml' });
  if (!('tools' in profile)) throw new Error(profile.message);
  const stage = standardPipeline(profile).find((s) => s.name === 'lint');
  if (!stage) throw new Error('no lint stage');
  const result = await runStage(
    { slug: 'bd-1', stage, working_directory: '.', required_test_coverage: 0 },
    { root, codeRoot: root, out: () => undefined },
  );
  return { stage, result };
}

describe("a lint stage follows the severities of the project's ESLint configuration", () => {
  it('passes a change whose only finding is a rule the project set to "warn", listing it', async () => {
    const repo = project({ lint: 'eslint .' }, 'export const thrice = (a) => a * 3;\n');
    const { stage, result } = await lint(repo.dir);
    expect(stage.fail_on_warnings).toBe(false);
    expect(result).toMatchObject({
      status: 'success',
      metrics: { findings_in_change: 0, warnings_in_change: 1, findings_already_there: 1 },
    });
    expect(result.summary).toMatch(
      /^no errors in changed lines; 1 warning, not failing .*src\/sum\.js:3 no-magic-numbers No magic number: 3/,
    );
    expect(result.findings).toContainEqual(expect.objectContaining({ file: 'src/sum.js', line: 3, warning: true }));
  });

  it('fails on an error in the change', async () => {
    const repo = project({ lint: 'eslint .' }, 'const unused = 1;\n');
    const { result } = await lint(repo.dir);
    expect(result).toMatchObject({ status: 'failure', metrics: { findings_in_change: 1 } });
    expect(result.summary).toMatch(/^1 finding in changed lines: src\/sum\.js:3 no-unused-vars/);
  });

  it('fails on the warning when the project runs ESLint with --max-warnings 0', async () => {
    const repo = project({ lint: 'eslint --max-warnings 0 .' }, 'export const thrice = (a) => a * 3;\n');
    const { stage, result } = await lint(repo.dir);
    expect(stage.fail_on_warnings).toBeUndefined();
    expect(result).toMatchObject({ status: 'failure', metrics: { findings_in_change: 1 } });
    expect(result.summary).toMatch(/^1 finding in changed lines: src\/sum\.js:3 no-magic-numbers/);
  });
});
