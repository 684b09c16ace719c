import { appendFileSync, cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { jest } from '@jest/globals';
import { parse, stringify } from 'yaml';
import { CORPUS_ENV, CORPUS_ROOT, corpusProjects, type Facts } from './utils/corpus';
import { pythonWithTools } from './utils/language-workspace';
import { newWorkspace, type TestWorkspace } from './utils/workspace';

// Factory's verdicts on real public projects nobody here wrote (corpus/README.md): a task made
// with only --directory (no contract edit) runs a green pipeline whose every stage agrees with the
// facts the ecosystems' own tools gave (corpus/*/facts.json, kept honest by corpus-facts.e2e.ts);
// a planted failing test fails unit-test naming it; a planted lint finding fails lint naming its
// file and line; the same finding, already there before the task, does not.
jest.setTimeout(1_200_000);

interface StageResult {
  status: string;
  summary: string;
  metrics: Record<string, number | string | boolean>;
  findings?: { file?: string; line?: number; preexisting?: boolean }[];
}

describe.each(corpusProjects())('corpus: $dir', ({ dir, facts }: { dir: string; facts: Facts }) => {
  let ws: TestWorkspace;
  const slug = `c-${dir}`;
  // Each project sits in a subdirectory of a larger (Nx) workspace, as most code does.
  const home = `projects/${dir}`;
  const code = path.posix.join(home, facts.directory);
  const env = { ...CORPUS_ENV };
  const result = (stage: string) => JSON.parse(ws.read(`.factory/${slug}/results/stage-${stage}.json`)) as StageResult;
  const nx = (args: string[]) => ws.nx(args, env);
  const plantIn = (file: string, text: string) => appendFileSync(path.join(ws.root, code, file), text);

  beforeAll(async () => {
    ws = await newWorkspace();
    cpSync(path.join(CORPUS_ROOT, dir), path.join(ws.root, home), {
      recursive: true,
      filter: (src) => !/[/\\](node_modules|target|__pycache__|\.cov)$/.test(src),
    });
    if (facts.language === 'typescript') {
      const install = await ws.run('sh', ['-c', `cd '${code}' && npm install --no-audit --no-fund`], env);
      if (install.code !== 0) throw new Error(install.out.slice(-3000));
    }
    if (facts.language === 'python') {
      // The first python3 on PATH may lack pytest: say which one to use, as a user would.
      const config = parse(ws.read('.factory/config.yaml')) as Record<string, unknown>;
      ws.write('.factory/config.yaml', stringify({ ...config, env: { PYTHON: pythonWithTools() } }));
    }
    await ws.git(['add', '-A']);
    await ws.git(['commit', '-qm', `corpus ${dir}`]);
    const g = await nx(['g', 'factory:task', slug, `--directory=${home}`, '--skip-workspace', '--no-interactive']);
    if (g.code !== 0) throw new Error(g.out);
    expect(g.out).toContain(`runs in ${code}`);
    await ws.git(['add', '-A']);
    await ws.git(['commit', '-qm', `task ${slug}`]);
  });
  afterAll(() => ws?.cleanup());

  it('runs a green pipeline whose stages agree with the facts', async () => {
    const r = await nx(['run', `${slug}:pipeline`]);
    if (r.code !== 0) throw new Error(r.out.slice(-6000));
    expect(result('implement').status).toBe('success');
    const tests = result('unit-test');
    expect(tests.status).toBe('success');
    expect({ passed: tests.metrics.tests_passed, failed: tests.metrics.tests_failed }).toEqual({
      passed: facts.tests.passed,
      failed: facts.tests.failed,
    });
    const coverage = result('coverage');
    expect(coverage.status).toBe('success');
    expect(Math.abs(Number(coverage.metrics.coverage_percent) - facts.coverage.percent)).toBeLessThanOrEqual(1);
    const lint = result('lint');
    if (facts.lint.tool === 'none') expect(lint).toMatchObject({ status: 'skipped', summary: expect.stringMatching(/^not configured: /) });
    else {
      // What the project already had is counted and listed, never failing the task.
      expect(lint.status).toBe('success');
      expect(lint.metrics).toMatchObject({ findings_in_change: 0, findings_already_there: facts.lint.findings.length });
    }
    const format = result('format');
    if (facts.format.tool === 'none') expect(format.status).toBe('skipped');
    else {
      expect(format.status).toBe('success');
      // The formatter's findings are hunks, not files: some when the facts list files it would change.
      expect(Number(format.metrics.findings_already_there) > 0).toBe(facts.format.files.length > 0);
      expect(format.metrics.findings_in_change).toBe(0);
    }
  });

  it('fails unit-test on a planted failing test, naming the test', async () => {
    const plant = facts.plant.failing_test;
    const before = readFileSync(path.join(ws.root, code, plant.file), 'utf8');
    plantIn(plant.file, plant.edit.append);
    const r = await nx(['run', `${slug}:stage-unit-test`, '--skip-nx-cache']);
    writeFileSync(path.join(ws.root, code, plant.file), before);
    expect(r.code).not.toBe(0);
    const tests = result('unit-test');
    expect(tests.status).toBe('failure');
    // unittest shows a test as `name (module.Class.name)`; Factory names it by its id, the part in parentheses.
    expect(tests.summary).toContain(/\((.+)\)$/.exec(plant.test_name)?.[1] ?? plant.test_name);
    expect(r.out).toContain(tests.summary.split('\n')[0]);
  });

  const lintPlant = facts.plant.lint_finding;
  if (lintPlant) {
    it('fails lint on a planted finding in a changed file, naming its file and line; the same finding already there does not', async () => {
      plantIn(lintPlant.file, lintPlant.edit.append);
      const where = `${path.posix.join(code, lintPlant.file)}:${lintPlant.line}`;
      const red = await nx(['run', `${slug}:stage-lint`, '--skip-nx-cache']);
      expect(red.code).not.toBe(0);
      expect(result('lint').summary).toContain(where);
      // Upstream already had it: committed, and the task starts from that commit.
      await ws.git(['add', '-A']);
      await ws.git(['commit', '-qm', 'upstream had the finding']);
      const head = (await ws.git(['rev-parse', 'HEAD'])).trim();
      const task = `.factory/${slug}/task.yaml`;
      ws.write(task, ws.read(task).replace(/^base_commit: .*$/m, `base_commit: ${head}`));
      const green = await nx(['run', `${slug}:stage-lint`, '--skip-nx-cache']);
      if (green.code !== 0) throw new Error(green.out.slice(-3000));
      const lint = result('lint');
      expect(lint.status).toBe('success');
      const [file, line] = [path.posix.join(code, lintPlant.file), lintPlant.line];
      expect(lint.findings).toContainEqual(expect.objectContaining({ file, line, preexisting: true }));
      expect(lint.metrics.findings_in_change).toBe(0);
    });
  }
});
