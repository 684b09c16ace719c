import { appendFileSync, cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { jest } from '@jest/globals';
import {
  CORPUS_ROOT,
  corpusProjects,
  countTests,
  coveragePercent,
  formatFiles,
  lintFindings,
  run,
  runRecorded,
  sortFindings,
  type Facts,
} from './utils/corpus';

// Keeps corpus/*/facts.json honest: each project is copied to a temporary git repository, its
// recorded commands are run with the real toolchains, and what they print must be what the
// facts say; each plant recipe must do what it says. See corpus/README.md.
jest.setTimeout(600_000);

const GIT_ID = ['-c', 'user.email=e2e@factory.test', '-c', 'user.name=Factory E2E'];

async function must(file: string, args: string[], cwd: string): Promise<string> {
  const r = await run(file, args, cwd);
  if (r.code !== 0) throw new Error(`${file} ${args.join(' ')} failed (${r.code}) in ${cwd}:\n${r.out.slice(-4000)}`);
  return r.out;
}

const projects = corpusProjects();

/**
 * Copies a project to a temporary git repository and installs what it needs (npm install of a
 * TypeScript project's trimmed devDependencies, from its package-lock.json).
 */
async function prepare(dir: string, facts: Facts): Promise<string> {
  // The temporary path must not contain `tests/`: the Rust coverage command ignores such files.
  const root = mkdtempSync(path.join(tmpdir(), 'corpus-facts-'));
  cpSync(path.join(CORPUS_ROOT, dir), root, { recursive: true, filter: (src) => !/[/\\](node_modules|target|__pycache__)$/.test(src) });
  await must('git', ['init', '-q', '-b', 'main'], root);
  await must('git', ['add', '-A'], root);
  await must('git', [...GIT_ID, 'commit', '-qm', `corpus ${dir}`], root);
  if (facts.language === 'typescript') await must('npm', ['install', '--no-audit', '--no-fund'], path.join(root, facts.directory));
  return root;
}

// Every copy is prepared at once when the file starts (the npm installs overlap the other
// projects' runs); each project's tests wait for their own.
const preparations = new Map<string, Promise<string>>();
const prepared = (dir: string) => preparations.get(dir) ?? Promise.reject(new Error(`${dir} was not prepared`));
beforeAll(() => {
  for (const { dir, facts } of projects) {
    const p = prepare(dir, facts);
    p.catch(() => undefined); // awaited, and reported, by the project's own beforeAll
    preparations.set(dir, p);
  }
});
afterAll(async () => {
  for (const p of preparations.values()) {
    const root = await p.catch(() => undefined);
    if (root) rmSync(root, { recursive: true, force: true });
  }
});

it('holds the eight projects, two per language', () => {
  const byLanguage = (l: string) => projects.filter((p) => p.facts.language === l).length;
  expect(projects.length).toBe(8);
  expect(['go', 'python', 'rust', 'typescript'].map(byLanguage)).toEqual([2, 2, 2, 2]);
});

describe.each(projects)('corpus/$dir', ({ dir, facts }: { dir: string; facts: Facts }) => {
  let root: string;
  let cwd: string;

  /** Appends a plant's code to a file of the project, and restores the file afterwards. */
  async function planted<T>(file: string, code: string, check: () => Promise<T>): Promise<T> {
    appendFileSync(path.join(cwd, file), code);
    try {
      return await check();
    } finally {
      await must('git', ['checkout', '--', file], cwd);
    }
  }

  beforeAll(async () => {
    root = await prepared(dir);
    cwd = path.join(root, facts.directory);
  });

  it('compiles, or fails to, as recorded', async () => {
    const r = await runRecorded(facts.compile.command, cwd);
    expect({ command: facts.compile.command, ok: r.code === 0 }).toEqual({ command: facts.compile.command, ok: facts.compile.ok });
    if (facts.compile.error) {
      const e = facts.compile.error;
      expect(r.out).toContain(`error[${e.code}]`);
      expect(r.out).toMatch(new RegExp(`--> ${e.file}:${e.line}:`));
    }
  });

  it('runs the recorded number of tests', async () => {
    const r = await runRecorded(facts.tests.command, cwd);
    const { passed, failed, skipped } = facts.tests;
    expect(countTests(facts.tests.runner, r.out)).toEqual({ passed, failed, skipped });
    expect(r.code === 0).toBe(failed === 0);
  });

  it('measures the recorded coverage', async () => {
    const r = await runRecorded(facts.coverage.command, cwd);
    expect(r.code).toBe(0);
    expect(coveragePercent(facts.language, r.out)).toBeCloseTo(facts.coverage.percent, 1);
  });

  it('reports the recorded lint findings', async () => {
    const { findings, code } = await lintFindings(facts, cwd);
    const expected = sortFindings(facts.lint.findings);
    expect(findings).toEqual(expected);
    if (facts.lint.tool !== 'none') expect(code === 0).toBe(expected.length === 0);
  });

  it('has the recorded files its formatter would change', async () => {
    expect(await formatFiles(facts, cwd)).toEqual([...facts.format.files].sort());
  });

  const also = facts.also ?? [];
  if (also.length > 0)
    it.each(also)('also: $what', async (also) => {
      const r = await runRecorded(also.command, cwd);
      if (also.kind === 'compile') expect(r.code === 0).toBe(also.ok);
      if (also.kind === 'tests') {
        expect(countTests(also.runner ?? facts.tests.runner, r.out)).toEqual({
          passed: also.passed,
          failed: also.failed,
          skipped: also.skipped,
        });
      }
      if (also.kind === 'coverage') expect(coveragePercent(facts.language, r.out)).toBeCloseTo(also.percent ?? NaN, 1);
    });

  it('fails the planted test, under its recorded name', async () => {
    const plant = facts.plant.failing_test;
    const r = await planted(plant.file, plant.edit.append, () => runRecorded(facts.tests.command, cwd));
    expect(r.code).not.toBe(0);
    expect(countTests(facts.tests.runner, r.out).failed).toBe(facts.tests.failed + 1);
    expect(r.out).toContain(plant.test_name);
  });

  it('reports the planted lint finding at its file and line', async () => {
    const plant = facts.plant.lint_finding;
    if (!plant) {
      // No linter: the facts say so, and there is nothing a plant could trip.
      expect({ tool: facts.lint.tool, findings: facts.lint.findings }).toEqual({ tool: 'none', findings: [] });
      return;
    }
    const { findings, code } = await planted(plant.file, plant.edit.append, () => lintFindings(facts, cwd));
    expect(code).not.toBe(0);
    const expected = [...facts.lint.findings, plant, ...(plant.also_reported ?? [])].map(({ file, line, rule }) => ({ file, line, rule }));
    expect(findings.map(({ file, line, rule }) => ({ file, line, rule }))).toEqual(sortFindings(expected));
  });
});
