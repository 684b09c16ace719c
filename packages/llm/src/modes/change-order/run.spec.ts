import { jest } from '@jest/globals';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { loadTask } from '@factory/core';
import { recordedAnswer, recordedAnswers, scriptedModel } from '../../testing/scripted-model';
import { hashTree, makeTaskRepo, plantSymlinks, SLUG, type GitTree, type TaskRepo } from '../../testing/task-repo';
import { runChangeOrder } from './run';

// Real git repositories and real test commands: slower than a unit test on a busy machine.
jest.setTimeout(60_000);

const audit = (repo: TaskRepo) =>
  repo
    .read(`.factory/${SLUG}/activity.jsonl`)
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { action: string; outcome: string; details?: Record<string, unknown> });

const env = (repo: TaskRepo, answers: string[]) => {
  const model = scriptedModel(answers);
  return { model, me: { root: repo.root, env: {}, actor: 'tester', model } };
};

describe('runChangeOrder', () => {
  let repo: TaskRepo;
  beforeEach(() => {
    repo = makeTaskRepo({ config: 'version: 1\nchange_order:\n  max_attempts: 2\n' });
  });
  afterEach(() => repo.cleanup());

  it("applies a good edit in the task's workspace (created for it), and TCR commits it after the task's tests pass", async () => {
    const { me } = env(repo, [recordedAnswer('change-order/good-farewell.json')]);
    const mainHead = repo.git('rev-parse', 'HEAD');
    const result = await runChangeOrder(me, { slug: SLUG, instruction: 'Add farewell(name) returning "goodbye <name>"' });
    expect(result).toMatchObject({ outcome: 'committed', attempts: [{ attempt: 1, outcome: 'committed', files: ['app/src/greet.js'] }] });
    const ws = await repo.workspace();
    expect(ws.root).toBe(path.join(repo.root, '.factory/workspaces', SLUG));
    expect(ws.git('log', '-1', '--format=%H %s').trim()).toBe(`${result.commit} ${SLUG}: Add farewell(name), which says goodbye`);
    expect(ws.git('show', '--name-only', '--format=', 'HEAD').trim()).toBe('app/src/greet.js');
    expect(ws.read('app/src/greet.js')).toContain('return `goodbye ${name}`;');
    // The main tree is untouched: the work is on the task's branch.
    expect(repo.git('rev-parse', 'HEAD')).toBe(mainHead);
    expect(repo.read('app/src/greet.js')).not.toContain('farewell');
    // Its stages ran in the workspace and passed: the task's status follows from those results.
    expect(loadTask(repo.root, SLUG).value?.status).toBe('ready_for_review');
  });

  it("records the transcript, tokens and attempts in the task's metrics and audit trail", async () => {
    const { me } = env(repo, [recordedAnswer('change-order/good-farewell.json')]);
    const result = await runChangeOrder(me, { slug: SLUG, instruction: 'Add farewell' });
    const metrics = parse(repo.read(`.factory/${SLUG}/metrics.yaml`)).llm;
    expect(metrics['change-order']).toMatchObject({
      runs: 1,
      calls: 1,
      input_tokens: result.usage.inputTokens,
      last_outcome: 'committed',
      cost_usd: null,
    });
    const events = audit(repo);
    expect(events.map((e) => e.action)).toEqual(expect.arrayContaining(['workspace_created', 'tcr_committed', 'llm_call', 'change_order']));
    expect(events.find((e) => e.action === 'change_order')).toMatchObject({
      outcome: 'committed',
      details: { calls: 1, commit: result.commit, attempts: [expect.objectContaining({ outcome: 'committed' })] },
    });
    const transcript = JSON.parse(repo.read(result.transcript as string));
    expect(transcript.entries.map((e: { kind: string }) => e.kind)).toEqual(['request', 'answer', 'note']);
  });

  it('reverts a failing edit and sends the failure summary back to the model, which then succeeds', async () => {
    const { me, model } = env(repo, [
      recordedAnswer('change-order/failing-farewell.json'),
      recordedAnswer('change-order/good-farewell.json'),
    ]);
    const ws = await repo.workspace();
    const head = ws.git('rev-parse', 'HEAD').trim();
    const result = await runChangeOrder(me, { slug: SLUG, instruction: 'Add farewell' });
    expect(result.attempts.map((a) => a.outcome)).toEqual(['reverted', 'committed']);
    // The reverted attempt is kept, restorable: saved by core's TCR under refs/factory/.
    expect(result.attempts[0].savedAs).toBe(`refs/factory/${SLUG}/reverted/1`);
    expect(ws.git('show', `refs/factory/${SLUG}/reverted/1:app/src/notes.txt`)).toBe('farewell added\n');
    expect(result.attempts[0].reasons[0]).toMatch(/^unit-test failed: /);
    const retry = model.requests[1].messages.map((m) => m.content).join('\n');
    expect(retry).toContain('Attempt 1 failed. Your edits were applied, tested and REVERTED');
    expect(retry).toContain(result.attempts[0].reasons[0]);
    expect(retry).toMatch(/End of the failing output:[\s\S]*expected: 'goodbye ada'/);
    // The failed attempt's new file was removed again; only the good edit is committed.
    expect(existsSync(path.join(ws.root, 'app/src/notes.txt'))).toBe(false);
    expect(ws.git('rev-list', '--count', `${head}..HEAD`).trim()).toBe('1');
  });

  it('after max_attempts marks the task failed with the reason, for a person', async () => {
    const failing = recordedAnswer('change-order/failing-farewell.json');
    const { me } = env(repo, [failing, failing]);
    const ws = await repo.workspace();
    const before = hashTree(repo.root);
    const wsBefore = hashTree(ws.root);
    const result = await runChangeOrder(me, { slug: SLUG, instruction: 'Add farewell' });
    expect(result.outcome).toBe('needs_person');
    expect(result.attempts).toHaveLength(2);
    const task = loadTask(repo.root, SLUG).value;
    expect(task?.status).toBe('failed');
    expect(task?.reason).toMatch(
      /^change order gave up after 2 attempts; a person must take over\. Last attempt reverted: unit-test failed/,
    );
    expect(hashTree(repo.root)).toBe(before);
    expect(hashTree(ws.root)).toBe(wsBefore);
    expect(audit(repo).find((e) => e.action === 'change_order')?.outcome).toBe('needs_person');
  });

  it('takes the instruction from the spec when none is given, and refuses to run with neither', async () => {
    await expect(runChangeOrder(env(repo, []).me, { slug: SLUG })).rejects.toThrow(/give --instruction/);
    repo.write(`.factory/${SLUG}/spec.md`, '# Farewell\n\n## Requirements\n- farewell(name) says goodbye\n');
    const { me, model } = env(repo, [recordedAnswer('change-order/good-farewell.json')]);
    await runChangeOrder(me, { slug: SLUG });
    expect(model.requests[0].messages[0].content).toContain('- farewell(name) says goodbye');
  });

  it('keeps the prompt within the budget however large the files are', async () => {
    repo.write('.factory/config.yaml', 'version: 1\nchange_order:\n  prompt_budget_chars: 6000\n');
    const ws = await repo.workspace();
    for (let i = 0; i < 30; i++) ws.write(`app/src/big-${i}.js`, `// ${'x'.repeat(3000)}\n`);
    const { me, model } = env(repo, [recordedAnswer('change-order/good-farewell.json')]);
    await runChangeOrder(me, { slug: SLUG, instruction: 'Add farewell to app/src/greet.js' });
    const prompt = model.requests[0].messages[0].content;
    expect(prompt.length).toBeLessThan(7_000);
    expect(prompt).toContain('### app/src/greet.js');
    expect(prompt).toMatch(/Left out for the prompt budget: .*app\/src\/big-/);
  });
});

/** Each hostile answer, and what the refusal must say. */
const HOSTILE: Record<string, RegExp> = {
  '01-forbidden-file.json': /app\/src\/secret\.js: forbidden_files: matches forbidden glob "app\/src\/secret\.js"/,
  '02-outside-allowed-files.json': /README\.md: allowed_files: matches none of the allowed globs/,
  '03-dotdot-traversal.json': /climbs out with "\.\." \(path traversal\)/,
  '04-dotdot-inside-path.json': /climbs out with "\.\."/,
  '05-absolute-path.json': /the path is absolute/,
  '06-windows-absolute-path.json': /the path is absolute/,
  '07-backslash-path.json': /backslash/,
  '08-symlink-dir-out.json': /app\/src\/outside-link is a symlink to .*, outside the workspace \(symlink escape\)/,
  '09-symlink-file-in.json': /app\/src\/alias\.js is a symlink \(to secret\.js\); edits never go through symlinks/,
  '10-new-npm-dependency.json': /adds npm package "left-pad".*new dependencies are not allowed/,
  '11-new-go-dependency.json': /adds go package "github\.com\/stretchr\/testify"/,
  '12-new-cargo-dependency.json': /adds cargo package "serde"/,
  '13-new-python-requirement.json': /adds python package "requests"/,
  '14-new-pyproject-dependency.json': /adds python package "httpx"/,
  '15-over-line-budget.json': /max_lines_changed: \d+ lines changed, more than the limit of 60; largest: app\/src\/big\.js \(120\)/,
  '16-malformed-json-cut.txt': /not valid JSON/,
  '17-prose-not-json.txt': /not valid JSON/,
  '18-unknown-action.json': /edits\.0\.action/,
  '19-edit-factory-contract.json': /inside \.factory\/, Factory's own state/,
  '20-edit-git-hook.json': /inside \.git\//,
  '21-replace-text-not-found.json': /occurs 0 times in the file, expected exactly once/,
  '22-writes-a-secret.json': /secrets: app\/src\/aws\.js:2: adds what looks like a secret/,
  '23-nul-byte.json': /NUL byte/,
  '24-delete-missing-file.json': /does not exist, so it cannot be deleted/,
  '25-good-edit-with-bad-edit.json': /edit 2 \(write "\.\.\/planted\.js"\): the path climbs out/,
  '26-non-canonical-path.json': /not canonical/,
  '27-no-edits.json': /edits: .*at least one edit/,
  '28-symlinked-factory-escape.json': /app\/src\/state-link is a symlink/,
  '29-skips-a-test.json': /tests_disabled: app\/src\/greet\.test\.js:2: switches a test off \(it\.skip\)/,
};

describe('runChangeOrder with hostile answers', () => {
  const answers = recordedAnswers('change-order/hostile');
  let repo: TaskRepo;
  let ws: GitTree;
  let outside: string;
  beforeAll(async () => {
    outside = mkdtempSync(path.join(tmpdir(), 'factory-outside-'));
    repo = makeTaskRepo({ config: 'version: 1\nchange_order:\n  max_attempts: 1\n' });
    ws = await repo.workspace();
    plantSymlinks(repo, ws, outside);
  });
  afterAll(() => {
    repo.cleanup();
    rmSync(outside, { recursive: true, force: true });
  });

  it('has at least 15 recorded hostile answers, each with its expected reason', () => {
    expect([...answers.keys()]).toEqual(Object.keys(HOSTILE));
    expect(answers.size).toBeGreaterThanOrEqual(15);
  });

  it.each(Object.keys(HOSTILE))('%s is refused with a clear reason and the disk is untouched', async (name) => {
    const before = hashTree(repo.root);
    const wsBefore = hashTree(ws.root);
    const head = ws.git('rev-parse', 'HEAD');
    const { me } = env(repo, [answers.get(name) as string]);
    const result = await runChangeOrder(me, { slug: SLUG, instruction: 'Add farewell' });
    expect(result.outcome).toBe('needs_person');
    expect(result.attempts[0].outcome).toMatch(/^(refused|malformed)$/);
    expect(result.attempts[0].reasons.join('\n')).toMatch(HOSTILE[name]);
    expect(hashTree(repo.root)).toBe(before);
    expect(hashTree(ws.root)).toBe(wsBefore);
    expect(ws.git('rev-parse', 'HEAD')).toBe(head);
    expect(readdirSync(outside)).toEqual([]);
    expect(existsSync('/tmp/factory-hostile-absolute.txt')).toBe(false);
    expect(existsSync(path.join(repo.root, '..', 'outside.txt'))).toBe(false);
    expect(readFileSync(path.join(repo.root, `.factory/${SLUG}/contract.yaml`), 'utf8')).not.toContain('"**"');
  });
});
