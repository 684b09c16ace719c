import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { jest } from '@jest/globals';
import { parse, stringify } from 'yaml';
import { filesContaining } from '../packages/llm/src/testing/files-containing';
import { startGithubServer, type GithubServer } from './utils/github-server';
import { newWorkspace, type TestWorkspace } from './utils/workspace';

jest.setTimeout(900_000);

/** Stages with every conclusion: a pass, a required failure, an advisory failure, and one that never runs. */
const PIPELINE = [
  {
    name: 'compile',
    description: 'tsc',
    command: 'npx tsc -p packages/app --noEmit',
    working_directory: '.',
    timeout_seconds: 120,
    required_success: true,
  },
  {
    name: 'unit-test',
    description: 'tests',
    command: `node -e "console.error('greet.test.ts: 1 test failed: expected <b>bye</b>'); process.exit(1)"`,
    working_directory: '.',
    timeout_seconds: 60,
    required_success: true,
    needs: ['compile'],
  },
  {
    name: 'lint',
    description: 'lint',
    command: `node -e "console.log('src/index.ts:2:1 prefer-const'); process.exit(1)"`,
    working_directory: '.',
    timeout_seconds: 60,
    required_success: false,
  },
  {
    name: 'e2e-smoke',
    description: 'smoke',
    command: 'true',
    working_directory: '.',
    timeout_seconds: 60,
    required_success: true,
    needs: ['unit-test'],
  },
];
const GREEN = [PIPELINE[0]];

describe('GitHub: sign-in, pull request and one check run per stage, against a loopback GitHub', () => {
  let ws: TestWorkspace;
  let gh: GithubServer;
  let bare: string;
  const outputs: string[] = [];
  /** The factory CLI inside a fresh session keyring: the real OS keyring (Linux keyutils), as on a desktop. */
  const keyed = async (args: string[], tool = 'node_modules/.bin/factory') => {
    const r = await ws.run('keyctl', ['session', '-', path.join(ws.root, tool), ...args], {
      FACTORY_GITHUB_TOKEN: undefined,
      GITHUB_TOKEN: undefined,
    });
    outputs.push(r.out);
    return r;
  };
  const config = (github: Record<string, unknown>) => {
    const c = parse(ws.read('.factory/config.yaml')) as Record<string, unknown>;
    ws.write('.factory/config.yaml', stringify({ ...c, github: { base_url: gh.url, repository: 'acme/app', ...github } }));
  };
  const newTask = async (slug: string, pipeline: unknown[]) => {
    expect(
      (await ws.nx(['g', 'factory:task', slug, '--title=Say <b>bye</b> | too', '--allowed-files=packages/app/**', '--no-interactive']))
        .code,
    ).toBe(0);
    const file = `.factory/${slug}/contract.yaml`;
    ws.write(file, stringify({ ...parse(ws.read(file)), pipeline }));
    const dir = `.factory/workspaces/${slug}`;
    ws.write(
      `${dir}/packages/app/src/index.ts`,
      `${ws.read(`${dir}/packages/app/src/index.ts`)}export const bye = (n: string): string => \`bye \${n}\`;\n`,
    );
    await ws.run('git', ['-C', dir, '-c', 'user.email=dev@example.com', '-c', 'user.name=Dev', 'commit', '-qam', `${slug}: bye`]);
  };

  beforeAll(async () => {
    bare = mkdtempSync(path.join(tmpdir(), 'factory-remote-'));
    execFileSync('git', ['init', '-q', '--bare', '-b', 'main', bare]);
    gh = await startGithubServer(bare);
    ws = await newWorkspace();
    await ws.git(['remote', 'add', 'origin', bare]);
    await ws.git(['push', '-q', 'origin', 'main']);
    config({});
    await newTask('sf-gh', PIPELINE);
    await newTask('sf-ok', GREEN);
    await ws.git(['add', '-A']);
    await ws.git(['commit', '-qm', 'tasks']);
    expect((await ws.nx(['run', 'sf-gh:pipeline'])).code).not.toBe(0);
    expect((await ws.nx(['run', 'sf-ok:pipeline'])).code).toBe(0);
  });
  afterAll(async () => {
    if (ws) await keyed(['auth', 'github', '--logout']);
    await gh?.close();
    ws?.cleanup();
    if (bare) rmSync(bare, { recursive: true, force: true });
  });

  it('asks for github.client_id before a sign-in, naming the file and the field', async () => {
    const r = await keyed(['auth', 'github']);
    expect(r.code).toBe(1);
    expect(r.out).toContain('.factory/config.yaml: github.client_id: expected the client id of a GitHub App');
  });

  it('signs in with the device flow through authorization_pending and slow_down, into the OS keyring', async () => {
    config({ client_id: 'Iv1.factorytest' });
    gh.devicePending.push('authorization_pending', 'slow_down', 'authorization_pending');
    const r = await keyed(['auth', 'github']);
    expect(r.code).toBe(0);
    const host = new URL(gh.url).host;
    expect(r.out).toContain(`To sign in to ${host}, open ${gh.url}/login/device and enter the code WDJB-MJHT`);
    expect(r.out).toContain(`Signed in to ${host} as octocat; the token is in the OS keyring (service factory, account github:${host})`);
    expect(gh.calls.filter((c) => c.path === '/login/oauth/access_token')).toHaveLength(4);
    expect(gh.tokens).toHaveLength(1);
    const status = await keyed(['auth', 'github', '--status']);
    expect(status.out).toContain(`Signed in to ${host} as octocat (the token from the OS keyring`);
    // Outside the session keyring (no OS keyring here) and without the variable: a clear message.
    const none = await ws.factory(['pr', 'sf-gh'], { FACTORY_GITHUB_TOKEN: undefined, GITHUB_TOKEN: undefined });
    expect(none.code).toBe(1);
    expect(none.out).toContain('no GitHub token: sign in with "factory auth github"');
  });

  it('pushes the branch, opens the pull request and publishes one check run per stage, waiting out a secondary rate limit', async () => {
    gh.fault({
      method: 'POST',
      path: /\/check-runs$/,
      status: 403,
      headers: { 'retry-after': '1' },
      body: {
        message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
        documentation_url: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits',
        status: '403',
      },
    });
    const r = await keyed(['pr', 'sf-gh']);
    expect(r.code).toBe(0);
    const sha = execFileSync('git', ['--git-dir', bare, 'rev-parse', 'refs/heads/factory/sf-gh'], { encoding: 'utf8' }).trim();
    expect(sha).toBe((await ws.git(['rev-parse', 'refs/heads/factory/sf-gh'])).trim());
    expect(r.out).toContain(`pushed factory/sf-gh (${sha.slice(0, 12)}) to origin`);
    expect(r.out).toMatch(/secondary rate limit on POST .*check-runs: waiting 1 s/);
    expect(r.out).toContain(`opened pull request #1: ${gh.url}/acme/app/pull/1`);
    expect(gh.pulls).toEqual([
      expect.objectContaining({ number: 1, head: 'factory/sf-gh', base: 'main', title: 'sf-gh: Say <b>bye</b> | too' }),
    ]);
    const body = gh.pulls[0].body;
    expect(body).toContain('## sf-gh: Say &lt;b&gt;bye&lt;/b&gt; \\| too');
    expect(body).toContain('| unit-test | ❌ fail |');
    expect(body).toContain('Files changed: 1, all allowed');
    expect(body).toContain('Not approved yet');
    const runs = Object.fromEntries(gh.checkRuns.map((c) => [c.name, [c.head_sha, c.status, c.conclusion]]));
    expect(runs).toEqual({
      'factory / compile': [sha, 'completed', 'success'],
      'factory / unit-test': [sha, 'completed', 'failure'],
      'factory / lint': [sha, 'completed', 'neutral'],
      'factory / e2e-smoke': [sha, 'queued', undefined],
    });
    expect(gh.checkRuns.find((c) => c.name === 'factory / unit-test')?.output.summary).toContain('1 test failed: expected <b>bye</b>');
  });

  it('updates the same pull request and check runs on the next publish, through a 429', async () => {
    ws.write(
      '.factory/sf-gh/contract.yaml',
      stringify({
        ...parse(ws.read('.factory/sf-gh/contract.yaml')),
        pipeline: PIPELINE.map((s) => (s.name === 'lint' ? { ...s, command: 'true' } : s)),
      }),
    );
    expect((await ws.nx(['run', 'sf-gh:stage-lint'])).code).toBe(0);
    gh.fault({
      method: 'PATCH',
      path: /\/pulls\/1$/,
      status: 429,
      headers: { 'retry-after': '1' },
      body: {
        message: 'You have exceeded a secondary rate limit and have been temporarily blocked from content creation.',
        documentation_url: 'https://docs.github.com/rest',
        status: '429',
      },
    });
    const ids = gh.checkRuns.map((c) => c.id);
    const r = await keyed(['pr', 'sf-gh']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('updated pull request #1');
    expect(gh.pulls).toHaveLength(1);
    expect(gh.checkRuns.map((c) => c.id)).toEqual(ids);
    expect(gh.checkRuns.find((c) => c.name === 'factory / lint')?.conclusion).toBe('success');
    expect(gh.calls.filter((c) => c.method === 'PATCH' && c.path.endsWith('/pulls/1'))).toHaveLength(2);
  });

  it('says what GitHub refused on a 422, naming the field', async () => {
    config({ client_id: 'Iv1.factorytest', base_branch: 'no-such-branch' });
    const r = await keyed(['pr', 'sf-ok']);
    expect(r.code).toBe(1);
    expect(r.out).toContain(
      'factory: opening a pull request from factory/sf-ok into no-such-branch: GitHub refused it (422 Validation Failed (PullRequest base invalid))',
    );
    config({ client_id: 'Iv1.factorytest' });
  });

  it('opens the pull request right after an approval when configured', async () => {
    config({ client_id: 'Iv1.factorytest', pull_request_on_approval: true });
    // The config is part of the evidence (the contract's digest): the stages run again first.
    expect((await ws.nx(['run', 'sf-ok:pipeline'])).code).toBe(0);
    const r = await keyed(['run', 'sf-ok:approve', '--yes', '--actor=ann@example.com', '--strategy=immediate'], 'node_modules/.bin/nx');
    expect(r.code).toBe(0);
    expect(r.out).toContain('sf-ok approved by ann@example.com');
    expect(r.out).toContain(`opened pull request #2: ${gh.url}/acme/app/pull/2`);
    expect(gh.pulls[1].body).toContain('Approved by ann@example.com');
    expect(gh.checkRuns.filter((c) => c.name === 'factory / compile')).toHaveLength(2);
  });

  it('says the token expired or was revoked on a 401', async () => {
    gh.revoke(gh.tokens[0]);
    const r = await keyed(['pr', 'sf-gh']);
    expect(r.code).toBe(1);
    expect(r.out).toContain(
      'GitHub refused the token (401 Bad credentials): it has expired or was revoked. Sign in again with: factory auth github',
    );
  });

  it('never lets the token reach a file, a log, a report or the output (canary)', async () => {
    const [token] = gh.tokens;
    expect((await ws.factory(['report', 'sf-gh'])).code).toBe(0);
    expect(filesContaining(ws.root, token)).toEqual([]);
    expect(filesContaining(bare, token)).toEqual([]);
    expect(readFileSync(path.join(ws.root, '.git/config'), 'utf8')).not.toContain(token);
    for (const out of outputs) expect(out).not.toContain(token);
    // It only ever travelled in the Authorization header.
    expect(gh.calls.some((c) => JSON.stringify(c.body).includes(token))).toBe(false);
  });
});
