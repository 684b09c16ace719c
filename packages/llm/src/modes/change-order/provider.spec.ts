import { jest } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { fixture } from '../../testing/fixtures';
import { startLoopbackServer, type LoopbackServer, type Reply } from '../../testing/loopback-server';
import { recordedAnswer } from '../../testing/scripted-model';
import { makeTaskRepo, SLUG, type TaskRepo } from '../../testing/task-repo';
import { runChangeOrder } from './run';
import { filesContaining } from '../../testing/files-containing';

// Real git repositories and real test commands: slower than a unit test on a busy machine.
jest.setTimeout(60_000);

/** An Anthropic Messages reply (the recorded wire format) whose text is `text`. */
function message(text: string): Reply {
  const body = JSON.parse(fixture('anthropic', 'message.json'));
  body.content[0].text = text;
  return { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

describe('runChangeOrder through the real Anthropic SDK against a loopback server', () => {
  const canary = `sk-ant-canary-${randomUUID()}`;
  let server: LoopbackServer;
  let repo: TaskRepo;
  beforeEach(async () => {
    server = await startLoopbackServer();
    repo = makeTaskRepo({
      config: `version: 1\nllm:\n  provider: anthropic\n  model: claude-haiku-4-5\n  base_url: ${server.url}\n  api_key_name: ANTHROPIC_API_KEY\n  max_retries: 1\n  prices:\n    claude-haiku-4-5-20251001: { input_per_mtok: 1, output_per_mtok: 5 }\n`,
    });
  });
  afterEach(async () => {
    await server.close();
    repo.cleanup();
  });

  it('recovers from a 429, commits the edit, keeps the key out of prompts and files, and records the cost', async () => {
    // A file in the workspace that holds the key by mistake: the prompt must not carry it.
    const ws = await repo.workspace();
    ws.write('app/src/local-settings.js', `module.exports = { key: '${canary}' };\n`);
    server.reply(
      { status: 429, headers: { 'content-type': 'application/json', 'retry-after': '0' }, body: fixture('anthropic', 'error-429.json') },
      message(recordedAnswer('change-order/good-farewell.json')),
    );
    const sleeps: number[] = [];
    const result = await runChangeOrder(
      {
        root: repo.root,
        env: { ANTHROPIC_API_KEY: canary },
        actor: 'tester',
        keyring: { getPassword: () => null },
        clock: { sleep: async (ms) => void sleeps.push(ms) },
      },
      { slug: SLUG, instruction: 'Add farewell(name)' },
    );
    expect(result.outcome).toBe('committed');
    expect(sleeps).toEqual([0]);
    expect(server.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /v1/messages', 'POST /v1/messages']);
    const body = server.requests[1].body as { model: string; system: string; messages: { role: string; content: string }[] };
    expect(body.model).toBe('claude-haiku-4-5');
    expect(body.system).toContain('You are the implementer inside Factory');
    expect(body.messages[0].content).toContain('[REDACTED:ANTHROPIC_API_KEY]');
    for (const r of server.requests) expect(r.rawBody.includes(canary)).toBe(false);
    // 180 input tokens + 12 read from the prompt cache, as the recorded reply reports them.
    expect(result.usage).toMatchObject({ requests: 1, inputTokens: 192, outputTokens: 24, costUsd: (192 * 1 + 24 * 5) / 1e6 });
    rmSync(path.join(ws.root, 'app/src/local-settings.js'));
    expect(filesContaining(repo.root, canary)).toEqual([]);
  });
});
