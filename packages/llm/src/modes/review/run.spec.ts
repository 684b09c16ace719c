import { jest } from '@jest/globals';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { recordedAnswer, scriptedModel } from '../../testing/scripted-model';
import { makeTaskRepo, SLUG, type TaskRepo } from '../../testing/task-repo';
import { blockingFindings } from './findings';
import { reviewTask } from './run';
import { builtinCommandLabel, builtinRegistry, runStage } from '@factory/core';
import { reviewStageHandler, reviewStageWithoutModel } from './stage';

// Real git repositories and real test commands: slower than a unit test on a busy machine.
jest.setTimeout(60_000);

const FAREWELL =
  'function greet(name) {\n  return `hello ${name}`;\n}\n\nfunction farewell(name) {\n  return `bye ${name}`;\n}\n\nmodule.exports = { greet, farewell };\n';
const SPEC = '# Farewell\n\n## Acceptance criteria\n- [ ] farewell("ada") returns "goodbye ada"\n';

describe('reviewTask', () => {
  let repo: TaskRepo;
  beforeEach(() => {
    repo = makeTaskRepo({ spec: SPEC });
    repo.write('app/src/greet.js', FAREWELL);
  });
  afterEach(() => repo.cleanup());
  const me = (answers: string[] = []) => {
    const model = scriptedModel(answers);
    return { model, env: { root: repo.root, env: {}, actor: 'tester', model } };
  };

  it('without a provider does not run, passes as advisory and says why', async () => {
    const outcome = await reviewTask({ root: repo.root, env: {}, actor: 'tester' }, { slug: SLUG });
    expect(outcome).toMatchObject({ ran: false, ok: true, findings: [], metrics: { review_ran: false } });
    expect(outcome.summary).toBe(
      'review did not run: no LLM provider is configured (no "llm:" section in .factory/config.yaml); advisory, a person reviews at approval',
    );
    expect(outcome.report).toContain('NOT RUN (advisory)');
    const audit = repo.read(`.factory/${SLUG}/activity.jsonl`);
    expect(audit).toContain('"action":"review"');
    expect(audit).toContain('"outcome":"skipped"');
  });

  it('gives the same answer without the provider code when config.yaml has no llm: section, and none when it has one', async () => {
    let log = '';
    const run = {
      invocation: { slug: SLUG },
      root: repo.root,
      codeRoot: repo.root,
      log: (t: string) => (log += t),
      signal: new AbortController().signal,
    };
    const quick = await reviewStageWithoutModel('tester', run);
    const full = await reviewTask({ root: repo.root, env: {}, actor: 'tester' }, { slug: SLUG });
    expect(quick).toEqual({ ok: true, summary: full.summary, metrics: { review_ran: false }, findings: [], warnings: [full.summary] });
    expect(log).toBe(full.report);
    expect(repo.read(`.factory/${SLUG}/activity.jsonl`).match(/"outcome":"skipped"/g)).toHaveLength(2);
    repo.write('.factory/config.yaml', 'version: 1\nllm:\n  provider: openai\n  model: gpt-4o\n');
    expect(await reviewStageWithoutModel('tester', run)).toBeUndefined();
  });

  it('without an API key does not run either, naming the variable to set', async () => {
    repo.write('.factory/config.yaml', 'version: 1\nllm:\n  provider: openai\n  model: gpt-4o\n');
    const keyring = { getPassword: () => null };
    const outcome = await reviewTask({ root: repo.root, env: {}, actor: 'tester', keyring }, { slug: SLUG });
    expect(outcome.ran).toBe(false);
    expect(outcome.summary).toContain('Set OPENAI_API_KEY');
  });

  it('sends the spec, the contract and the diff against the base commit', async () => {
    const { model, env } = me([recordedAnswer('review/clean.json')]);
    await reviewTask(env, { slug: SLUG });
    const prompt = model.requests[0].messages[0].content;
    expect(prompt).toContain('farewell("ada") returns "goodbye ada"');
    expect(prompt).toContain('allowed_files (only these may change): "app/src/**"');
    expect(prompt).toContain('+  return `bye ${name}`;');
    expect(prompt).not.toContain('.factory/t-1/task.yaml');
    expect(model.requests[0].json).toBe(true);
  });

  it('passes when no finding reaches review.block_at', async () => {
    const { env } = me([recordedAnswer('review/clean.json')]);
    const outcome = await reviewTask(env, { slug: SLUG });
    expect(outcome).toMatchObject({
      ran: true,
      ok: true,
      blocking: [],
      summary: '1 finding, none at or above high',
      metrics: { findings: 1, blocking_findings: 0 },
    });
    expect(outcome.report).toContain('PASSED (blocks at "high"); 1 low.');
  });

  it('fails with a finding at or above review.block_at, naming it', async () => {
    const { env } = me([recordedAnswer('review/blocking.json')]);
    const outcome = await reviewTask(env, { slug: SLUG });
    expect(outcome.ok).toBe(false);
    expect(outcome.summary).toBe(
      '1 blocking finding (at or above high): [high] app/src/greet.js:6: farewell returns "bye <name>"; the spec requires "goodbye <name>".',
    );
    expect(outcome.report).toMatch(/BLOCKED: 1 finding at or above "high"; 1 info, 1 high\./);
  });

  it('only advises when review.block_at is never', async () => {
    repo.write('.factory/config.yaml', 'version: 1\nreview:\n  block_at: never\n');
    const { env } = me([recordedAnswer('review/blocking.json')]);
    expect((await reviewTask(env, { slug: SLUG })).ok).toBe(true);
  });

  it('fails on an answer that is not valid findings, saying what is wrong', async () => {
    const { env } = me([recordedAnswer('review/unusable.json')]);
    const outcome = await reviewTask(env, { slug: SLUG });
    expect(outcome.ok).toBe(false);
    expect(outcome.summary).toMatch(/^the review answer was unusable: expected review findings, but findings\.0\.severity: /);
  });

  it('refuses an invalid review section, naming the file and field', async () => {
    repo.write('.factory/config.yaml', 'version: 1\nreview:\n  block_at: severe\n');
    await expect(reviewTask(me().env, { slug: SLUG })).rejects.toThrow(/\.factory\/config\.yaml: review\.block_at: expected one of/);
  });
});

describe('blockingFindings', () => {
  const f = (severity: 'info' | 'low' | 'medium' | 'high' | 'critical') => ({ severity, file: null, line: null, message: severity });
  it('keeps the findings at or above the threshold, most serious first', () => {
    expect(blockingFindings([f('low'), f('critical'), f('medium'), f('high')], 'medium').map((x) => x.severity)).toEqual([
      'critical',
      'high',
      'medium',
    ]);
    expect(blockingFindings([f('critical')], 'never')).toEqual([]);
  });
});

describe("the review stage (reviewStageHandler, run by core's stage runner)", () => {
  let repo: TaskRepo;
  beforeEach(() => {
    repo = makeTaskRepo({ spec: SPEC });
    repo.write('app/src/greet.js', FAREWELL);
  });
  afterEach(() => repo.cleanup());
  const results = (root: string) => JSON.parse(readFileSync(path.join(root, `.factory/${SLUG}/results/stage-review.json`), 'utf8'));
  const review = (model?: Parameters<typeof reviewStageHandler>[0]['model']) =>
    runStage(
      {
        slug: SLUG,
        working_directory: '.',
        required_test_coverage: 0,
        stage: { name: 'review', command: builtinCommandLabel('review'), builtin: 'review', timeout_seconds: 60, required_success: true },
      },
      {
        root: repo.root,
        codeRoot: repo.root,
        out: () => undefined,
        builtins: builtinRegistry({ review: reviewStageHandler({ env: {}, actor: 'tester', ...(model ? { model } : {}) }) }),
      },
    );

  it('passes with the reason as a warning when no provider is configured', async () => {
    const result = await review();
    expect(results(repo.root)).toMatchObject({
      stage_name: 'review',
      status: 'success',
      exit_code: 0,
      metrics: { review_ran: false },
      warnings: [result.summary],
    });
    expect(result.summary).toContain('review did not run');
    expect(repo.read(`.factory/${SLUG}/results/stage-review.log`)).toContain('NOT RUN (advisory)');
  });

  it('fails with the findings when one blocks', async () => {
    const result = await review(scriptedModel([recordedAnswer('review/blocking.json')]));
    expect(result.status).toBe('failure');
    expect(results(repo.root)).toMatchObject({
      status: 'failure',
      exit_code: 1,
      findings: [
        { rule: 'review/high', file: 'app/src/greet.js', line: 6, message: expect.stringContaining('goodbye') },
        { rule: 'review/info', message: 'Consider a test for an empty name.' },
      ],
    });
  });
});
