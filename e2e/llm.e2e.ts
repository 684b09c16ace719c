import { randomUUID } from 'node:crypto';
import { jest } from '@jest/globals';
import { parse, stringify } from 'yaml';
import { fixture } from '../packages/llm/src/testing/fixtures';
import { startLoopbackServer, type LoopbackServer, type Reply } from '../packages/llm/src/testing/loopback-server';
import { newWorkspace, type TestWorkspace } from './utils/workspace';
import { filesContaining } from '../packages/llm/src/testing/files-containing';

jest.setTimeout(600_000);

/** An OpenAI chat completion (the recorded wire format) whose answer is `content`. */
function completion(content: unknown): Reply {
  const body = JSON.parse(fixture('openai', 'chat-completion.json'));
  body.choices[0].message.content = typeof content === 'string' ? content : JSON.stringify(content);
  return { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

const setContract = (ws: TestWorkspace, slug: string, patch: Record<string, unknown>) => {
  const file = `.factory/${slug}/contract.yaml`;
  ws.write(file, stringify({ ...(parse(ws.read(file)) ?? {}), ...patch }));
};

// implement and unit-test (TCR's test stage) type-check the app; review is the built-in stage, after them.
const COMPILE = [
  { name: 'implement', description: 'compile', command: 'npx tsc -p packages/app --noEmit', timeout_seconds: 300, required_success: true },
  {
    name: 'unit-test',
    description: 'type-check strictly',
    command: 'npx tsc -p packages/app --noEmit --strict',
    timeout_seconds: 300,
    required_success: true,
    needs: ['implement'],
  },
  { name: 'review' },
];
const TASK_WS = '.factory/workspaces/bd-1';
const GOOD_EDIT = {
  summary: 'Add farewell(name)',
  edits: [
    {
      action: 'replace',
      path: 'packages/app/src/index.ts',
      find: '  return `hello ${name}`;\n}\n',
      replace: '  return `hello ${name}`;\n}\n\nexport function farewell(name: string): string {\n  return `goodbye ${name}`;\n}\n',
    },
  ],
};

describe('LLM modes in a real Nx workspace, the provider on a loopback server', () => {
  let ws: TestWorkspace;
  let server: LoopbackServer;
  const canary = `sk-canary-${randomUUID()}`;
  const outputs: string[] = [];
  const nx = async (args: string[], env: Record<string, string | undefined> = {}) => {
    const r = await ws.nx(args, env);
    outputs.push(r.out);
    return r;
  };
  const withKey = { OPENAI_API_KEY: canary };

  beforeAll(async () => {
    ws = await newWorkspace();
    server = await startLoopbackServer();
  });
  afterAll(async () => {
    await server?.close();
    ws?.cleanup();
  });

  it('intake without a provider writes the spec from the template and creates the task with the proposed contract', async () => {
    const r = await nx(['g', 'factory:spec', 'bd-1', '--description', 'Add a farewell function to app', '--no-interactive'], {
      OPENAI_API_KEY: undefined,
    });
    expect(r.code).toBe(0);
    const spec = ws.read('.factory/bd-1/spec.md');
    expect(spec).toContain('# Add a farewell function to app');
    expect(spec).toContain('written from the template (no LLM provider is configured');
    expect(parse(ws.read('.factory/bd-1/contract.yaml')).allowed_files).toEqual(['packages/app/**']);
    setContract(ws, 'bd-1', { pipeline: COMPILE, working_directory: '.' });
    await ws.git(['add', '-A']);
    await ws.git(['commit', '-qm', 'task bd-1']);
  });

  it('review without a provider is advisory: the stage passes and records why it did not run', async () => {
    const r = await nx(['run', 'bd-1:stage-review', '--exclude-task-dependencies'], { OPENAI_API_KEY: undefined });
    expect(r.code).toBe(0);
    expect(r.out).toContain('NOT RUN (advisory)');
    expect(JSON.parse(ws.read('.factory/bd-1/results/stage-review.json'))).toMatchObject({
      status: 'success',
      metrics: { review_ran: false },
      summary: expect.stringContaining('review did not run: no LLM provider is configured'),
    });
  });

  it('intake with a provider drafts the spec through the OpenAI wire format, the key only in the auth header', async () => {
    const config = parse(ws.read('.factory/config.yaml'));
    ws.write(
      '.factory/config.yaml',
      stringify({
        ...config,
        llm: { provider: 'openai', model: 'gpt-4o', base_url: `${server.url}/v1`, api_key_name: 'OPENAI_API_KEY', max_retries: 0 },
      }),
    );
    server.reply(
      completion({
        title: 'Add a farewell function',
        problem: 'The app cannot say goodbye.',
        requirements: ['Export farewell(name) from packages/app'],
        acceptance_criteria: ['farewell("ada") returns "goodbye ada"'],
        out_of_scope: ['Localisation'],
        projects: ['app'],
      }),
    );
    const r = await nx(['g', 'factory:spec', 'bd-2', '--description', 'Users want to be told goodbye', '--no-interactive'], withKey);
    expect(r.code).toBe(0);
    expect(ws.read('.factory/bd-2/spec.md')).toContain('drafted by openai/gpt-4o (LLM intake)');
    expect(ws.read('.factory/bd-2/spec.md')).toContain('- [ ] farewell("ada") returns "goodbye ada"');
    const request = server.requests.at(-1);
    expect(request?.path).toBe('/v1/chat/completions');
    expect(request?.headers.authorization).toBe(`Bearer ${canary}`);
    expect(request?.rawBody.includes(canary)).toBe(false);
  });

  it('review with a blocking finding fails the stage and the pipeline, and approval is refused', async () => {
    ws.write(
      'packages/app/src/index.ts',
      `${ws.read('packages/app/src/index.ts')}export function farewell(name: string): string {\n  return \`bye \${name}\`;\n}\n`,
    );
    const blocking = {
      summary: 'farewell says bye, not goodbye.',
      findings: [{ severity: 'high', file: 'packages/app/src/index.ts', line: 5, message: 'returns "bye", the spec says "goodbye"' }],
    };
    server.reply(completion(blocking), completion(blocking));
    const stage = await nx(['run', 'bd-1:stage-review', '--exclude-task-dependencies'], withKey);
    expect(stage.code).not.toBe(0);
    expect(stage.out).toContain('BLOCKED: 1 finding at or above "high"');
    expect(JSON.parse(ws.read('.factory/bd-1/results/stage-review.json'))).toMatchObject({
      status: 'failure',
      findings: [{ rule: 'review/high', file: 'packages/app/src/index.ts', line: 5 }],
    });
    expect(server.requests.at(-1)?.rawBody).toContain('bye ${name}');
    const pipeline = await nx(['run', 'bd-1:pipeline', '--skip-nx-cache'], withKey);
    expect(pipeline.code).not.toBe(0);
    expect(pipeline.out).toContain('factory › bd-1 › implement passed');
    expect(pipeline.out).toContain('BLOCKED');
    const approve = await nx(['run', 'bd-1:approve', '--yes', '--actor', 'ann@example.com'], withKey);
    expect(approve.code).not.toBe(0);
    expect(approve.out).toContain('stage-review failed: 1 blocking finding (at or above high)');
    await ws.git(['checkout', '--', 'packages/app/src/index.ts']);
  });

  it("change order: a good answer is applied in the task's workspace, tested and committed by TCR", async () => {
    server.reply(completion(GOOD_EDIT));
    const head = (await ws.git(['rev-parse', 'HEAD'])).trim();
    const r = await nx(['run', 'bd-1:change-order', '--instruction', 'Add farewell(name) returning "goodbye <name>"'], withKey);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`created the task's workspace ${TASK_WS} (git)`);
    expect(r.out).toMatch(/attempt 1 committed as [0-9a-f]{12}/);
    const inTask = (args: string[]) => ws.git(['-C', TASK_WS, ...args]);
    expect((await inTask(['log', '-1', '--format=%s'])).trim()).toBe('bd-1: Add farewell(name)');
    expect((await inTask(['rev-list', '--count', `${head}..HEAD`])).trim()).toBe('1');
    expect(ws.read(`${TASK_WS}/packages/app/src/index.ts`)).toContain('return `goodbye ${name}`;');
    // The main tree is untouched: the change is on the task's branch.
    expect((await ws.git(['rev-parse', 'HEAD'])).trim()).toBe(head);
    expect(ws.read('packages/app/src/index.ts')).not.toContain('farewell');
    // What ran is in the task's activity log (the committed audit trail holds decisions).
    expect(ws.read('.factory/bd-1/activity.jsonl')).toContain('"action":"change_order","outcome":"committed"');
  });

  it('change order: a hostile answer is refused with its reason, nothing written, the task handed to a person', async () => {
    server.reply(completion({ summary: 'escape', edits: [{ action: 'write', path: '../escaped.txt', content: 'x' }] }));
    const before = await ws.git(['status', '--porcelain', '--', 'packages']);
    const taskBefore = await ws.git(['-C', TASK_WS, 'status', '--porcelain']);
    const r = await nx(['run', 'bd-1:change-order', '--instruction', 'anything', '--maxAttempts=1'], withKey);
    expect(r.code).not.toBe(0);
    expect(r.out).toContain('edit 1 (write "../escaped.txt"): the path climbs out with ".." (path traversal)');
    expect(r.out).toContain('change order gave up after 1 attempt; a person must take over');
    expect(ws.exists('../escaped.txt')).toBe(false);
    expect(await ws.git(['status', '--porcelain', '--', 'packages'])).toBe(before);
    expect(await ws.git(['-C', TASK_WS, 'status', '--porcelain'])).toBe(taskBefore);
    expect(parse(ws.read('.factory/bd-1/status.yaml'))).toMatchObject({ status: 'failed' });
  });

  it('the canary API key is in no file of the workspace and in no output', () => {
    expect(filesContaining(ws.root, canary)).toEqual([]);
    expect(outputs.filter((o) => o.includes(canary))).toEqual([]);
  });
});
