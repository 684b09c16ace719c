import { jest } from '@jest/globals';
import { copyFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { makeEvidenceRepo, type EvidenceRepo } from '../testing/evidence-repo';
import { stageResultFiles } from '../store/paths';
import { attestationFile, attestStage } from './attest';
import { IN_TOTO_PAYLOAD_TYPE, signEnvelope } from './dsse';
import { generateSigningKey, type SigningKey } from './keys';
import { judgeStageEvidence, type NeededStage } from './judge-stage-evidence';

// Real git: slow on a loaded machine.
jest.setTimeout(60_000);

const UNIT: NeededStage[] = [{ name: 'unit-test', required: true }];

describe('judgeStageEvidence', () => {
  let repo: EvidenceRepo;
  let key: SigningKey;
  const att = () => attestationFile('bd-1', 'unit-test');
  const judge = (stages = UNIT) => judgeStageEvidence(repo.root, { slug: 'bd-1', stages, codeTree: repo.codeTree() });
  const attest = (stage = 'unit-test', k: SigningKey | null = key) =>
    attestStage(repo.root, { slug: 'bd-1', stage, codeTree: repo.codeTree(), key: k });
  const only = () => {
    const j = judge();
    expect(j.ok).toBe(false);
    expect(j.stages).toHaveLength(1);
    return j.stages[0];
  };

  beforeEach(async () => {
    repo = makeEvidenceRepo();
    key = repo.addKey('ann@example.com');
    repo.writeResult('unit-test');
    await attest();
  });
  afterEach(() => repo.cleanup());

  it('holds for a trusted, matching, passing attestation, and says who signed it', () => {
    const j = judge();
    expect(j.problems).toEqual([]);
    expect(j.ok).toBe(true);
    expect(j.stages[0]).toMatchObject({
      stage: 'unit-test',
      ok: true,
      keyid: key.keyid,
      owner: 'ann@example.com',
      verdict: 'success',
      required: true,
    });
    expect(j.stages[0].message).toBe(`stage unit-test: passed, signed by key ${key.keyid.slice(0, 16)} (ann@example.com)`);
    expect(j.subjects.codeTree).toBe(repo.codeTree());
  });

  it('missing: no attestation file', () => {
    rmSync(path.join(repo.root, att()));
    const s = only();
    expect(s.reason).toBe('missing');
    expect(s.message).toBe(
      'stage unit-test: no attestation (.factory/bd-1/results/stage-unit-test.intoto.json does not exist): the stage has not run with evidence signing, or its attestation was removed; run nx run bd-1:stage-unit-test',
    );
  });

  it('not-json: an attestation that is not JSON', () => {
    repo.write(att(), 'all green, trust me\n');
    expect(only()).toMatchObject({
      reason: 'not-json',
      message: expect.stringMatching(/^stage unit-test: the attestation .*stage-unit-test\.intoto\.json is unusable: it is not JSON/),
    });
  });

  it('not-dsse: JSON that is not a DSSE envelope, or not an in-toto one', () => {
    repo.write(att(), '{"verdict":"success"}\n');
    expect(only()).toMatchObject({
      reason: 'not-dsse',
      message: expect.stringContaining('it is not a DSSE envelope: payloadType: expected a string, got nothing'),
    });
    repo.write(att(), JSON.stringify(signEnvelope(Buffer.from('{}'), 'text/plain', key)));
    expect(only()).toMatchObject({
      reason: 'not-dsse',
      message: expect.stringContaining('payloadType: expected "application/vnd.in-toto+json", got "text/plain"'),
    });
  });

  it('unsigned: made without a signing key', async () => {
    const o = await attest('unit-test', null);
    expect(o).toMatchObject({
      signed: false,
      warning: 'stage unit-test: no signing key, so its attestation is unsigned; run factory keys init',
    });
    expect(only()).toMatchObject({ reason: 'unsigned', message: expect.stringContaining('it is unsigned') });
  });

  it('unknown-key: signed by a key nobody listed', async () => {
    const stranger = generateSigningKey();
    await attest('unit-test', stranger);
    expect(only()).toMatchObject({
      reason: 'unknown-key',
      keyid: stranger.keyid,
      message: expect.stringContaining(`signed by an unknown key id "${stranger.keyid}": no such key is listed in .factory/keys/`),
    });
  });

  it('unknown-key: a listed key whose file is malformed counts as unknown, naming the file and what is wrong', () => {
    const file = `.factory/keys/${key.keyid}.pub`;
    repo.write(file, repo.read(file).replace(/-----BEGIN PUBLIC KEY-----[^]*$/, 'MCowBQYDK2VwAyEA\n'));
    const s = only();
    expect(s).toMatchObject({ reason: 'unknown-key', keyid: key.keyid });
    expect(s.message).toBe(
      `stage unit-test: the attestation .factory/bd-1/results/stage-unit-test.intoto.json does not hold: it is signed by an unknown key id "${key.keyid}": no such key is listed in .factory/keys/ (${file} could not be read: expected an Ed25519 public key as PEM ("-----BEGIN PUBLIC KEY-----"), got no PEM block)`,
    );
  });

  it('untrusted-key: a listed key that is not trusted, or not for this stage', async () => {
    const bob = repo.addKey('bob@example.com', false);
    await attest('unit-test', bob);
    expect(only()).toMatchObject({
      reason: 'untrusted-key',
      owner: 'bob@example.com',
      message: expect.stringContaining('which is not trusted for stage unit-test'),
    });
    const linter = repo.addKey('lint-bot', '[lint]');
    await attest('unit-test', linter);
    expect(only()).toMatchObject({ reason: 'untrusted-key', owner: 'lint-bot' });
  });

  it('bad-signature: a payload changed after signing, or signed by another key under a trusted key id', async () => {
    const env = JSON.parse(repo.read(att())) as { payload: string; signatures: { keyid: string; sig: string }[] };
    const statement = JSON.parse(Buffer.from(env.payload, 'base64').toString()) as { predicate: { verdict: string; cause: string } };
    statement.predicate.cause = 'all tests passed';
    repo.write(att(), JSON.stringify({ ...env, payload: Buffer.from(JSON.stringify(statement)).toString('base64') }));
    expect(only()).toMatchObject({
      reason: 'bad-signature',
      message: expect.stringContaining('does not verify: it was forged or altered after signing'),
    });
    const forger = generateSigningKey();
    await attest('unit-test', { ...forger, keyid: key.keyid });
    expect(only()).toMatchObject({ reason: 'bad-signature', owner: 'ann@example.com' });
  });

  it('not-statement: a trusted signature over something that is not a stage attestation', () => {
    repo.write(
      att(),
      JSON.stringify(
        signEnvelope(Buffer.from(JSON.stringify({ _type: 'https://in-toto.io/Statement/v1', subject: [] })), IN_TOTO_PAYLOAD_TYPE, key),
      ),
    );
    expect(only()).toMatchObject({
      reason: 'not-statement',
      message: expect.stringContaining('is not a Factory stage attestation: its payload is not an in-toto Statement v1'),
    });
  });

  it("wrong-stage: another stage's attestation copied into this one's place", async () => {
    repo.writeResult('lint');
    await attest('lint');
    copyFileSync(path.join(repo.root, attestationFile('bd-1', 'lint')), path.join(repo.root, att()));
    expect(only()).toMatchObject({
      reason: 'wrong-stage',
      message: expect.stringContaining('is for stage lint of task bd-1, not for this one'),
    });
  });

  it('stale-code: a change to the code after the run, inside or outside the allowed files, tracked or not', () => {
    repo.write('packages/app/src/index.ts', 'export const greet = () => 1;\n');
    expect(only()).toMatchObject({
      reason: 'stale-code',
      message: expect.stringContaining('the code changed after the stage ran (stale evidence)'),
    });
    repo.git('checkout', '--', 'packages/app/src/index.ts');
    expect(judge().ok).toBe(true);
    repo.write('deploy.sh', '#!/bin/sh\necho deploy\n');
    expect(only().reason).toBe('stale-code');
    rmSync(path.join(repo.root, 'deploy.sh'));
    repo.write('package.json', '{"dependencies":{"left-pad":"1.3.0"}}\n');
    expect(only().reason).toBe('stale-code');
  });

  it('stale-contract: the task contract, the global contract or the config edited after the run', () => {
    const contract = '.factory/bd-1/contract.yaml';
    const before = repo.read(contract);
    repo.write(contract, `${before}max_lines_changed: 9999\n`);
    expect(only()).toMatchObject({
      reason: 'stale-contract',
      message: expect.stringContaining('the contract changed after the stage ran'),
    });
    repo.write(contract, before);
    expect(judge().ok).toBe(true);
    repo.write('.factory/contract.yaml', 'max_lines_changed: 1\n');
    expect(only().reason).toBe('stale-contract');
  });

  it('edited-result: the result or log file changed after signing, naming the file', () => {
    const files = stageResultFiles('bd-1', 'unit-test');
    const result = JSON.parse(repo.read(files.json)) as Record<string, unknown>;
    repo.write(files.json, JSON.stringify({ ...result, summary: 'all good' }, null, 2));
    expect(only()).toMatchObject({
      reason: 'edited-result',
      message:
        'stage unit-test: .factory/bd-1/results/stage-unit-test.json does not match the sha256 the attestation signed (edited after the stage ran); run nx run bd-1:stage-unit-test',
    });
    repo.writeResult('unit-test', {}, 'log of unit-test\n');
    expect(judge().ok).toBe(true);
    repo.write(files.log, 'a different log\n');
    expect(only()).toMatchObject({ reason: 'edited-result', message: expect.stringContaining('stage-unit-test.log does not match') });
  });

  it('failed: a genuine attestation of a failure', async () => {
    repo.writeResult('unit-test', { status: 'failure', exit_code: 1, summary: '3 tests failed (5 passed)' });
    await attest();
    expect(only()).toMatchObject({
      reason: 'failed',
      verdict: 'failure',
      message: 'stage unit-test: failed (attested verdict: failure): 3 tests failed (5 passed)',
    });
  });

  it('no-gate: a pipeline with no required stage is refused unless the config allows it', () => {
    const empty = judge([]);
    expect(empty).toMatchObject({ ok: false, gate: { reason: 'no-gate' } });
    expect(empty.problems[0]).toMatch(/^the pipeline of bd-1 has no required stage \(it is empty\)/);
    expect(judge([{ name: 'unit-test', required: false }]).gate?.message).toMatch(/every needed stage is advisory/);
    // A pipeline of advisory stages only (none of them needed for approval) is not "empty".
    const advisory = judgeStageEvidence(repo.root, { slug: 'bd-1', stages: [], pipelineStages: 2, codeTree: repo.codeTree() });
    expect(advisory.gate?.message).toMatch(/^the pipeline of bd-1 has no required stage \(every stage is advisory\): nothing gates/);
    repo.write('.factory/config.yaml', `${repo.read('.factory/config.yaml')}  allow_ungated_approval: true\n`);
    expect(judge([]).ok).toBe(true);
  });

  it('names the field of a bad evidence section of the config', () => {
    repo.write('.factory/config.yaml', 'evidence:\n  trusted_keys:\n    abc: {}\n');
    expect(() => judge()).toThrow(/\.factory\/config\.yaml: evidence\.trusted_keys\.abc: expected a key id of 64 hex digits/);
  });
});
