import { jest } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { createPublicKey } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { bundleFromJSON } from '@sigstore/bundle';
import { toSignedEntity, toTrustMaterial, Verifier } from '@sigstore/verify';
import { parse, stringify } from 'yaml';
import { newWorkspace, type TestWorkspace } from './utils/workspace';

jest.setTimeout(900_000);

const PIPELINE = [
  { name: 'compile', description: 'compile', command: 'npx tsc -p packages/app --noEmit', timeout_seconds: 120, required_success: true },
  {
    name: 'check',
    description: 'check',
    command: 'grep -q greet packages/app/src/index.ts',
    timeout_seconds: 60,
    required_success: true,
    needs: ['compile'],
  },
];

function allFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name);
    if (d.isDirectory()) return d.name === 'node_modules' ? [] : allFiles(p);
    return statSync(p).isFile() ? [p] : [];
  });
}

/**
 * Evidence in a real Nx workspace with the packed plugin: `factory keys init`, stage results
 * attested with the installed @factory/core (as the stage runner will once it is wired), a real
 * approval, `factory audit verify` on a tampered trail, `factory evidence export|verify`, the
 * exported attestations checked by @sigstore/verify, and the private key looked for everywhere.
 */
describe('evidence: keys, attestations, audit completeness, export and verify, in a real workspace', () => {
  let ws: TestWorkspace;
  let home: string;
  let cache: string;
  let env: Record<string, string>;
  const outputs: string[] = [];
  const factory = async (...args: string[]) => {
    const r = await ws.factory(args, env);
    outputs.push(r.out);
    return r;
  };
  const trail = '.factory/ev-1/audit.jsonl';

  beforeAll(async () => {
    ws = await newWorkspace();
    home = mkdtempSync(path.join(tmpdir(), 'factory-e2e-home-'));
    cache = mkdtempSync(path.join(tmpdir(), 'factory-e2e-cache-'));
    env = { HOME: home, XDG_CONFIG_HOME: path.join(home, 'config'), FACTORY_KEYRING: 'off', NX_CACHE_DIRECTORY: cache };
    const g = await ws.nx(['g', 'factory:task', 'ev-1', '--no-interactive', '--allowed-files=packages/app/**', '--skip-workspace'], env);
    expect(g.code).toBe(0);
    const file = '.factory/ev-1/contract.yaml';
    ws.write(file, stringify({ ...parse(ws.read(file)), working_directory: '.', pipeline: PIPELINE }));
    const k = await factory('keys', 'init', '--owner', 'ann@example.com');
    expect(k.code).toBe(0);
    await ws.git(['add', '-A']);
    await ws.git(['commit', '-qm', 'task and key']);
  });
  afterAll(() => {
    ws?.cleanup();
    rmSync(home, { recursive: true, force: true });
    rmSync(cache, { recursive: true, force: true });
  });

  it('attests a green pipeline with the installed library, approves, and verifies the audit trail', async () => {
    const p = await ws.nx(['run', 'ev-1:pipeline'], env);
    outputs.push(p.out);
    expect(p.code).toBe(0);
    const index = path.join(ws.root, '.git', 'e2e-index');
    const gitEnv = { ...process.env, GIT_INDEX_FILE: index };
    execFileSync('git', ['add', '-A', '--', '.', ':(exclude).factory'], { cwd: ws.root, env: gitEnv });
    const tree = execFileSync('git', ['write-tree'], { cwd: ws.root, env: gitEnv, encoding: 'utf8' }).trim();
    rmSync(index, { force: true });
    const script = `const c = require('@factory/core');
      (async () => { for (const stage of ['compile', 'check']) {
        const o = await c.attestStage(process.cwd(), { slug: 'ev-1', stage, codeTree: process.argv[1] });
        console.log(stage, o.signed, o.keyid.slice(0, 16)); } })().catch((e) => { console.error(e.message); process.exit(1); });`;
    const a = await ws.run(process.execPath, ['-e', script, tree], env);
    outputs.push(a.out);
    expect(a.code).toBe(0);
    expect(a.out).toMatch(/^compile true [0-9a-f]{16}\ncheck true [0-9a-f]{16}$/m);
    expect(ws.read('.factory/ev-1/results/stage-check.intoto.json')).toMatch(
      /^\{"payloadType":"application\/vnd\.in-toto\+json","payload":"[^"]+","signatures":\[\{"keyid":"[0-9a-f]{64}","sig":"/,
    );

    const approve = await ws.nx(['run', 'ev-1:approve', '--yes', '--actor', 'ann@example.com', '--strategy', 'gradual'], env);
    outputs.push(approve.out);
    expect(approve.code).toBe(0);
    const v = await factory('audit', 'verify');
    expect(v.code).toBe(0);
    expect(v.out).toMatch(/^ok {4}\.factory\/ev-1\/audit\.jsonl/m);
  });

  it('audit verify fails, naming what is wrong, for an emptied, a truncated and a deleted task trail', async () => {
    const saved = ws.read(trail);
    ws.write(trail, '');
    let v = await factory('audit', 'verify');
    expect(v.code).toBe(1);
    expect(v.out).toMatch(/^FAIL {2}\.factory\/ev-1\/audit\.jsonl {2}emptied: .*the trail was emptied/m);
    ws.write(trail, saved.split('\n').slice(0, -2).join('\n') + '\n'); // sed -i '$d'
    v = await factory('audit', 'verify');
    expect(v.code).toBe(1);
    expect(v.out).toMatch(/truncated: .*missing from the end of the task trail/);
    rmSync(path.join(ws.root, trail));
    v = await factory('audit', 'verify');
    expect(v.code).toBe(1);
    expect(v.out).toMatch(/deleted: .*the trail was deleted/);
    ws.write(trail, saved);
    expect((await factory('audit', 'verify')).code).toBe(0);
    expect((await factory('audit', 'checkpoint')).code).toBe(0);
    expect((await factory('audit', 'verify')).out).toMatch(/^ok {4}checkpoint: .*signed by key [0-9a-f]{16} \(ann@example\.com\)/m);
  });

  it('exports a bundle that factory and @sigstore/verify both verify, and the latter rejects when tampered', async () => {
    const out = path.join(home, 'ev-1.evidence.json');
    expect((await factory('evidence', 'export', 'ev-1', '--out', out)).code).toBe(0);
    const v = await factory('evidence', 'verify', out, '--task', 'ev-1');
    expect(v.code).toBe(0);
    expect(v.out).toMatch(/^stage check {11}holds$/m);
    expect(v.out).toMatch(/The evidence holds\.$/m);

    const bundle = JSON.parse(readFileSync(out, 'utf8'));
    const keys = Object.fromEntries(
      bundle.keys.map((k: { keyid: string; public_key: string }) => [
        k.keyid,
        { rawBytes: createPublicKey(k.public_key).export({ format: 'der', type: 'spki' }), keyDetails: 7 },
      ]),
    );
    const trust = toTrustMaterial(
      {
        mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
        certificateAuthorities: [],
        timestampAuthorities: [],
        tlogs: [],
        ctlogs: [],
      },
      keys,
    );
    const verifier = new Verifier(trust, { tlogThreshold: 0, ctlogThreshold: 0, timestampThreshold: 0 });
    for (const a of bundle.attestations)
      expect(verifier.verify(toSignedEntity(bundleFromJSON(a.bundle))).key.asymmetricKeyType).toBe('ed25519');
    const forged = structuredClone(bundle.attestations[0].bundle);
    const st = JSON.parse(Buffer.from(forged.dsseEnvelope.payload, 'base64').toString());
    st.predicate.verdict = st.predicate.verdict === 'success' ? 'failure' : 'success';
    forged.dsseEnvelope.payload = Buffer.from(JSON.stringify(st)).toString('base64');
    expect(() => verifier.verify(toSignedEntity(bundleFromJSON(forged)))).toThrow(expect.objectContaining({ code: 'SIGNATURE_ERROR' }));
  });

  it('canary: the private key is in no file of the workspace (.git included), the Nx cache, or any output', async () => {
    const pem = readFileSync(path.join(home, 'config/factory/keys/signing-key.pem'), 'utf8');
    const der = Buffer.from(pem.replace(/-----[A-Z ]+-----|\s/g, ''), 'base64');
    const seed = der.subarray(der.length - 32);
    const canaries = [der.toString('base64'), seed.toString('hex'), seed.toString('base64').replace(/=+$/, ''), seed.toString('base64url')];
    await ws.git(['add', '-A']);
    await ws.git(['commit', '-qm', 'evidence']);
    const files = [...allFiles(ws.root), ...allFiles(cache)];
    expect(files.some((f) => f.startsWith(cache))).toBe(true);
    const leaks = files.filter((f) => {
      const b = readFileSync(f);
      return b.includes(seed) || canaries.some((c) => b.toString('latin1').includes(c));
    });
    expect(leaks).toEqual([]);
    expect(outputs.filter((o) => canaries.some((c) => o.includes(c)) || o.includes('PRIVATE KEY'))).toEqual([]);
  });
});
