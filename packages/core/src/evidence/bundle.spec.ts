import { jest } from '@jest/globals';
import { appendAuditEvent } from '../audit/append';
import { makeEvidenceRepo, type EvidenceRepo } from '../testing/evidence-repo';
import { attestApproval } from './approval-summary';
import { attestStage } from './attest';
import { exportEvidence, type EvidenceBundle } from './bundle-export';
import { bundlePolicy, parseEvidenceBundle } from './bundle-read';
import { verifyEvidenceBundle, type BundleReport } from './bundle-verify';
import { generateSigningKey, type SigningKey } from './keys';
import { judgeStageEvidence } from './judge-stage-evidence';
import { loadEvidencePolicy } from './trust';

jest.setTimeout(60_000);

const failing = (r: BundleReport) =>
  [...r.stages, ...(r.approval ? [r.approval] : []), r.audit].flatMap((s) =>
    s.checks.filter((c) => !c.ok).map((c) => `${s.name}: ${c.check}: ${c.detail}`),
  );

describe('exportEvidence and verifyEvidenceBundle', () => {
  let repo: EvidenceRepo;
  let key: SigningKey;
  let bundle: EvidenceBundle;
  const text = () => JSON.stringify(bundle);
  /** Checked offline, trusting only the given key ids (as `factory evidence verify --trust` does). */
  const offline = (b: unknown, trust = [key.keyid]) => {
    const parsed = parseEvidenceBundle(JSON.stringify(b), 'bundle.json');
    return verifyEvidenceBundle(parsed, bundlePolicy(parsed, undefined, trust));
  };

  beforeAll(async () => {
    repo = makeEvidenceRepo();
    key = repo.addKey('ann@example.com');
    await appendAuditEvent(repo.root, { task: 'bd-1', actor: 'ann', action: 'task_created', outcome: 'success' });
    repo.writeResult('unit-test');
    repo.writeResult('lint', { status: 'failure', advisory: true, summary: '2 warnings' });
    for (const stage of ['unit-test', 'lint']) await attestStage(repo.root, { slug: 'bd-1', stage, codeTree: repo.codeTree(), key });
    const judgement = judgeStageEvidence(repo.root, {
      slug: 'bd-1',
      stages: [{ name: 'unit-test', required: true }],
      codeTree: repo.codeTree(),
    });
    await attestApproval(repo.root, { judgement, approver: 'ann@example.com', key });
    await appendAuditEvent(repo.root, { task: 'bd-1', actor: 'ann', action: 'approved_by_human', outcome: 'success' });
    bundle = exportEvidence(repo.root, 'bd-1', new Date('2026-03-01T00:00:00Z'));
  });
  afterAll(() => repo.cleanup());

  it('exports attestations, the approval summary, the audit chain and the public keys, and no private key', () => {
    expect(bundle).toMatchObject({ version: 1, task: 'bd-1', exported_at: '2026-03-01T00:00:00.000Z' });
    expect(bundle.attestations.map((a) => [a.stage, a.file])).toEqual([
      ['lint', '.factory/bd-1/results/stage-lint.intoto.json'],
      ['unit-test', '.factory/bd-1/results/stage-unit-test.intoto.json'],
    ]);
    expect(bundle.approval?.file).toBe('.factory/bd-1/approval.intoto.json');
    expect(bundle.audit.trail).toHaveLength(2);
    expect(bundle.audit.log).toHaveLength(2);
    expect(bundle.keys).toEqual([{ keyid: key.keyid, owner: 'ann@example.com', public_key: expect.stringContaining('BEGIN PUBLIC KEY') }]);
    expect(text()).not.toContain('PRIVATE');
  });

  it('verifies offline, stage by stage, with the key trusted', () => {
    const r = offline(bundle);
    expect(failing(r)).toEqual([]);
    expect(r.ok).toBe(true);
    expect(r.stages.map((s) => [s.name, s.checks.map((c) => c.check)])).toEqual([
      ['lint', ['signature', 'statement', 'subjects', 'verdict', 'audit anchor', 'result files']],
      ['unit-test', ['signature', 'statement', 'subjects', 'verdict', 'audit anchor', 'result files']],
    ]);
    expect(r.stages[1].checks[0].detail).toBe(`signed by key ${key.keyid.slice(0, 16)} (ann@example.com), trusted for stage unit-test`);
    expect(r.stages[0].checks[3].detail).toBe('failure (advisory): 2 warnings');
    expect(r.approval?.checks.map((c) => c.check)).toEqual(['signature', 'statement', 'approved evidence', 'audit anchor']);
  });

  it("uses the workspace's trust policy too", () => {
    const parsed = parseEvidenceBundle(text(), 'bundle.json');
    expect(verifyEvidenceBundle(parsed, bundlePolicy(parsed, loadEvidencePolicy(repo.root), [])).ok).toBe(true);
  });

  it('fails every signature when no key is trusted, and names an unknown key id', () => {
    expect(failing(offline(bundle, []))[0]).toMatch(/^lint: signature: untrusted-key: .*not trusted for stage lint/);
    const stripped = { ...bundle, keys: [] };
    expect(failing(offline(stripped))[0]).toBe(
      `lint: signature: unknown-key: it is signed by an unknown key id "${key.keyid}": no such key is listed in .factory/keys/`,
    );
  });

  it('names a tampered attestation, a key that is not the one its id names, an attestation of another task, a cut trail', () => {
    const tampered = structuredClone(bundle);
    const st = JSON.parse(Buffer.from(tampered.attestations[1].bundle.dsseEnvelope.payload, 'base64').toString()) as {
      predicate: { cause: string };
    };
    st.predicate.cause = 'forged';
    tampered.attestations[1].bundle.dsseEnvelope.payload = Buffer.from(JSON.stringify(st)).toString('base64');
    expect(failing(offline(tampered))).toEqual([expect.stringMatching(/^unit-test: signature: bad-signature: /)]);

    const swapped = structuredClone(bundle);
    swapped.keys[0].public_key = generateSigningKey().publicKey.export({ format: 'pem', type: 'spki' }).toString();
    expect(failing(offline(swapped))[0]).toMatch(/unknown-key: .*could not be read: its key id is [0-9a-f]{64}, not /);

    const moved = structuredClone(bundle);
    moved.task = 'bd-2';
    expect(failing(offline(moved))).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^unit-test: statement: it attests stage unit-test of task bd-1: from another task or stage/),
      ]),
    );

    const cut = structuredClone(bundle);
    cut.audit.trail = cut.audit.trail.slice(0, 1);
    expect(failing(offline(cut))).toEqual([
      'audit: workspace log copies: .factory/bd-1/audit.jsonl:1: event 2 is in the workspace log (.factory/audit.log:2) but missing from the end of the task trail, which ends at event 1: removed (or lost in a crash between the two writes)',
    ]);
  });

  it('names an attestation in the bundle that is not DSSE, and a key in the bundle that is not a public key', () => {
    const notDsse = structuredClone(bundle) as unknown as { attestations: { bundle: { dsseEnvelope: unknown } }[] };
    notDsse.attestations[1].bundle.dsseEnvelope = { verdict: 'success' };
    expect(failing(offline(notDsse))).toEqual([expect.stringMatching(/^unit-test: envelope: it is not a DSSE envelope: payloadType: /)]);

    const badKey = structuredClone(bundle);
    badKey.keys[0].public_key = 'not a key';
    const f = failing(offline(badKey));
    expect(f[0]).toMatch(
      new RegExp(
        `^lint: signature: unknown-key: it is signed by an unknown key id "${key.keyid}": no such key is listed .*could not be read: `,
      ),
    );
    expect(f[0]).toContain("the bundle's keys.0");
  });

  it('refuses text that is not JSON, JSON that is not a bundle, and a bundle of another task when one is expected', () => {
    expect(() => parseEvidenceBundle('not json', 'evidence.json')).toThrow(
      /^evidence\.json: expected a Factory evidence bundle \(JSON from factory evidence export\), got text that is not JSON/,
    );
    expect(() => parseEvidenceBundle('{"mediaType":"application/vnd.dev.sigstore.bundle.v0.3+json"}', 'b.json')).toThrow(
      'b.json: mediaType: expected "application/vnd.factory.evidence-bundle+json" (a bundle from factory evidence export), got "application/vnd.dev.sigstore.bundle.v0.3+json"',
    );
    expect(() => parseEvidenceBundle(JSON.stringify({ ...bundle, attestations: 3 }), 'b.json')).toThrow(/^b\.json: attestations: /);
    const parsed = parseEvidenceBundle(text(), 'b.json');
    expect(() => verifyEvidenceBundle(parsed, bundlePolicy(parsed, undefined, []), { expectTask: 'bd-9' })).toThrow(
      'the bundle is for task bd-1, not bd-9: a bundle from another task',
    );
  });
});
