import { jest } from '@jest/globals';
import { loadContract, runStage } from '@factory/core';
import { recordedAnswer, scriptedModel } from '../../testing/scripted-model';
import { makeTaskRepo, SLUG, type GitTree, type TaskRepo } from '../../testing/task-repo';
import { rescueTask } from './run';

// Real git repositories and real test commands: slower than a unit test on a busy machine.
jest.setTimeout(60_000);

const BROKEN =
  'function greet(name) {\n  return `hello ${name}`;\n}\n\nfunction farewell(name) {\n  return `bye ${name}`;\n}\n\nmodule.exports = { greet, farewell };\n';

/** Runs the task's real unit-test stage on broken code in `tree`, which fails and records its result and log. */
async function failUnitTest(repo: TaskRepo, tree: GitTree = repo) {
  tree.write('app/src/greet.js', BROKEN);
  tree.git('commit', '-qam', 'broken farewell');
  const stage = loadContract(repo.root, SLUG).value?.pipeline.find((s) => s.name === 'unit-test');
  const result = await runStage(
    { slug: SLUG, stage: stage as NonNullable<typeof stage>, working_directory: 'app', required_test_coverage: 0 },
    { root: repo.root, codeRoot: tree.root, out: () => undefined },
  );
  expect(result.status).toBe('failure');
}

describe('rescueTask', () => {
  let repo: TaskRepo;
  beforeEach(() => {
    repo = makeTaskRepo();
  });
  afterEach(() => repo.cleanup());

  it('says so when no stage has failed', async () => {
    await expect(rescueTask({ root: repo.root, env: {}, actor: 'tester' }, { slug: SLUG })).rejects.toThrow(/no stage has a failed result/);
  });

  it("without a provider writes the recorded summary and the log's error lines, and says that is all it is", async () => {
    await failUnitTest(repo);
    const r = await rescueTask({ root: repo.root, env: {}, actor: 'tester' }, { slug: SLUG });
    expect(r).toMatchObject({ file: `.factory/${SLUG}/rescue.md`, stage: 'unit-test', diagnosed: false });
    const md = repo.read(r.file);
    expect(md).toContain('No model was asked (no LLM provider is configured');
    expect(md).toContain("this diagnosis is only the stage's recorded summary and the error lines of its log");
    expect(md).toMatch(/- log:\d+: `AssertionError \[ERR_ASSERTION\]: Expected values to be strictly equal:`/);
    expect(md).toContain('None proposed: proposing a fix needs an LLM provider');
  });

  it('refuses --apply without a provider', async () => {
    await failUnitTest(repo);
    await expect(rescueTask({ root: repo.root, env: {}, actor: 'tester' }, { slug: SLUG, apply: true })).rejects.toThrow(
      /rescue --apply needs a model/,
    );
  });

  it('with a provider writes the diagnosis, keeping only evidence that is really in the log', async () => {
    await failUnitTest(repo);
    const model = scriptedModel([recordedAnswer('rescue/diagnosis.json')]);
    const r = await rescueTask({ root: repo.root, env: {}, actor: 'tester', model }, { slug: SLUG });
    const prompt = model.requests[0].messages[0].content;
    expect(prompt).toContain('"summary":');
    expect(prompt).toContain("expected: 'goodbye ada'");
    const md = repo.read(r.file);
    expect(md).toContain('farewell returns "bye <name>" but the test expects "goodbye <name>".');
    expect(md).toContain("- log: `expected: 'goodbye ada',`");
    expect(md).toContain('(1 quoted line was not found in the log and left out.)');
    expect(md).toContain('nx run t-1:rescue --apply');
  });

  it('--apply sends the proposed fix through the change order, which TCR commits', async () => {
    const ws = await repo.workspace();
    await failUnitTest(repo, ws);
    const fix = JSON.stringify({
      summary: 'Make farewell say goodbye',
      edits: [{ action: 'replace', path: 'app/src/greet.js', find: 'return `bye ${name}`;', replace: 'return `goodbye ${name}`;' }],
    });
    const model = scriptedModel([recordedAnswer('rescue/diagnosis.json'), fix]);
    const r = await rescueTask({ root: repo.root, env: {}, actor: 'tester', model }, { slug: SLUG, apply: true });
    expect(r.applied?.outcome).toBe('committed');
    expect(model.requests[1].messages[0].content).toContain('Root cause: farewell returns "bye <name>"');
    expect(ws.read('app/src/greet.js')).toContain('return `goodbye ${name}`;');
    expect(ws.git('log', '-1', '--format=%s').trim()).toBe(`${SLUG}: Make farewell say goodbye`);
  });
});
