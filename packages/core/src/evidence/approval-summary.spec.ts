import { jest } from '@jest/globals';
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { appendAuditEvent } from '../audit/append';
import { makeEvidenceRepo, type EvidenceRepo } from '../testing/evidence-repo';
import { checkApprovalSummary } from './approval-check';
import { approvalSummaryFile, attestApproval } from './approval-summary';
import { attestStage } from './attest';
import type { SigningKey } from './keys';
import { judgeStageEvidence } from './judge-stage-evidence';
import { SummaryPredicateSchema } from './statement-schema';

jest.setTimeout(60_000);

describe('attestApproval and checkApprovalSummary', () => {
  let repo: EvidenceRepo;
  let runner: SigningKey;
  let approver: SigningKey;
  const stages = [
    { name: 'unit-test', required: true },
    { name: 'contract', required: false },
  ];
  const judge = () => judgeStageEvidence(repo.root, { slug: 'bd-1', stages, codeTree: repo.codeTree() });
  const check = () => checkApprovalSummary(repo.root, { slug: 'bd-1', codeTree: repo.codeTree() });
  const approve = () =>
    attestApproval(repo.root, { judgement: judge(), approver: 'ann@example.com', key: approver, now: new Date('2026-02-01T10:00:00Z') });

  beforeEach(async () => {
    repo = makeEvidenceRepo();
    runner = repo.addKey('ci-runner');
    approver = repo.addKey('ann@example.com');
    await appendAuditEvent(repo.root, { task: 'bd-1', actor: 'ann', action: 'task_created', outcome: 'success' });
    for (const s of stages) {
      repo.writeResult(s.name);
      await attestStage(repo.root, { slug: 'bd-1', stage: s.name, codeTree: repo.codeTree(), key: runner });
    }
  });
  afterEach(() => repo.cleanup());

  it('signs a summary of the stages, their attestations, the subjects, the approver and the trail head', async () => {
    const out = await approve();
    expect(out).toMatchObject({ file: approvalSummaryFile('bd-1'), keyid: approver.keyid });
    const env = JSON.parse(repo.read(out.file)) as { payload: string };
    const st = JSON.parse(Buffer.from(env.payload, 'base64').toString()) as { subject: unknown; predicate: unknown };
    const p = SummaryPredicateSchema.parse(st.predicate);
    expect(p).toMatchObject({
      task: 'bd-1',
      approver: 'ann@example.com',
      timeVerified: '2026-02-01T10:00:00.000Z',
      verificationResult: 'PASSED',
    });
    expect(p.inputAttestations.map((a) => [a.stage, a.uri, a.keyid, a.verdict, a.required])).toEqual([
      ['unit-test', '.factory/bd-1/results/stage-unit-test.intoto.json', runner.keyid, 'success', true],
      ['contract', '.factory/bd-1/results/stage-contract.intoto.json', runner.keyid, 'success', false],
    ]);
    expect(p.attestations['unit-test']).toBe(repo.read('.factory/bd-1/results/stage-unit-test.intoto.json'));
    expect(p.audit_head).toMatchObject({ seq: 1 });
    expect(st.subject).toEqual([
      { name: 'code', digest: { gitTree: repo.codeTree() } },
      { name: '.factory/bd-1/contract.yaml', digest: { sha256: judge().subjects.contractDigest } },
    ]);
    expect(check()).toMatchObject({ ok: true, approver: 'ann@example.com', keyid: approver.keyid });
  });

  it('holds without the results: the summary embeds the attestations it approved', async () => {
    await approve();
    rmSync(path.join(repo.root, '.factory/bd-1/results'), { recursive: true });
    expect(check().ok).toBe(true);
  });

  it('refuses to sign evidence that does not hold, or without a key', async () => {
    repo.write('packages/app/src/index.ts', 'changed\n');
    await expect(approve()).rejects.toThrow(/attestApproval: the evidence of bd-1 does not hold:\n {2}- stage unit-test: .*stale evidence/);
    repo.git('checkout', '--', 'packages/app/src/index.ts');
    const env = { XDG_CONFIG_HOME: path.join(repo.root, '..', `${path.basename(repo.root)}-nokey`) };
    mkdirSync(env.XDG_CONFIG_HOME, { recursive: true });
    await expect(attestApproval(repo.root, { judgement: judge(), approver: 'ann', env, keyring: null })).rejects.toThrow(
      /approving bd-1 needs your signing key .* run factory keys init/,
    );
    rmSync(env.XDG_CONFIG_HOME, { recursive: true, force: true });
  });

  it('names why a rollout must not move: missing, stale code, stale contract, untrusted approver, forged, copied, revoked evidence', async () => {
    expect(check()).toMatchObject({ ok: false, reason: 'missing' });
    await approve();
    repo.write('deploy.sh', 'echo deploy\n');
    expect(check()).toMatchObject({
      reason: 'stale-code',
      message: expect.stringContaining('the approval of bd-1: the code changed after it was approved'),
    });
    rmSync(path.join(repo.root, 'deploy.sh'));
    const contract = repo.read('.factory/bd-1/contract.yaml');
    repo.write('.factory/bd-1/contract.yaml', `${contract}# edited\n`);
    expect(check().reason).toBe('stale-contract');
    repo.write('.factory/bd-1/contract.yaml', contract);
    expect(check().ok).toBe(true);

    const summary = repo.read(approvalSummaryFile('bd-1'));
    const env = JSON.parse(summary) as { payload: string };
    const st = JSON.parse(Buffer.from(env.payload, 'base64').toString()) as { predicate: { approver: string } };
    st.predicate.approver = 'mallory@example.com';
    repo.write(approvalSummaryFile('bd-1'), JSON.stringify({ ...env, payload: Buffer.from(JSON.stringify(st)).toString('base64') }));
    expect(check()).toMatchObject({ reason: 'bad-signature' });
    repo.write(approvalSummaryFile('bd-1'), summary);

    const config = repo.read('.factory/config.yaml');
    repo.write(
      '.factory/config.yaml',
      config.replace(`${approver.keyid}:\n      stages: ["*"]`, `${approver.keyid}:\n      stages: ["*"]\n      approvals: false`),
    );
    expect(check()).toMatchObject({ reason: 'untrusted-key', message: expect.stringContaining('not trusted for approval summaries') });
    repo.write('.factory/config.yaml', config.replace(`${runner.keyid}:\n      stages: ["*"]`, `${runner.keyid}:\n      stages: [lint]`));
    expect(check()).toMatchObject({ reason: 'stale-contract' }); // the config is part of the contract
    repo.write('.factory/config.yaml', config);

    const other = makeEvidenceRepo('bd-2');
    try {
      other.write(approvalSummaryFile('bd-2'), summary);
      other.write('.factory/config.yaml', config);
      other.write(`.factory/keys/${approver.keyid}.pub`, repo.read(`.factory/keys/${approver.keyid}.pub`));
      expect(checkApprovalSummary(other.root, { slug: 'bd-2', codeTree: other.codeTree() })).toMatchObject({ reason: 'wrong-task' });
    } finally {
      other.cleanup();
    }
  });

  it("refuses when a stage attestation's key is no longer trusted, though the summary itself verifies", async () => {
    await approve();
    // Revoking the runner key for unit-test: judged against a contract digest computed before the edit.
    const contractDigest = judge().subjects.contractDigest;
    const config = repo.read('.factory/config.yaml');
    repo.write(
      '.factory/config.yaml',
      config.replace(`${runner.keyid}:\n      stages: ["*"]`, `${runner.keyid}:\n      stages: [contract]`),
    );
    expect(checkApprovalSummary(repo.root, { slug: 'bd-1', codeTree: repo.codeTree(), contractDigest })).toMatchObject({
      ok: false,
      reason: 'attestation-invalid',
      message: expect.stringContaining('the evidence it approved no longer holds: stage unit-test: '),
    });
  });
});
