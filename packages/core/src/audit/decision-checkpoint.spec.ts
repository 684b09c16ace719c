import { jest } from '@jest/globals';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { privateKeyPem, type SigningKey } from '../evidence/keys';
import { makeEvidenceRepo, type EvidenceRepo } from '../testing/evidence-repo';
import { appendAuditEvent } from './append';
import { AUDIT_CHECKPOINT_FILE } from './checkpoint';
import { checkpointAfterDecision } from './decision-checkpoint';
import { verifyAuditTrails } from './verify-all';

// Real git: slow on a loaded machine.
jest.setTimeout(60_000);

describe('checkpointAfterDecision', () => {
  let repo: EvidenceRepo;
  let home: string;
  /** This machine: no key file, no keyring; `key` (if any) given as FACTORY_SIGNING_KEY. */
  const run = (key?: SigningKey) =>
    checkpointAfterDecision(repo.root, {
      env: { HOME: home, XDG_CONFIG_HOME: path.join(home, 'config'), ...(key ? { FACTORY_SIGNING_KEY: privateKeyPem(key) } : {}) },
      keyring: null,
    });
  const checkpoint = (r: EvidenceRepo) => path.join(r.root, AUDIT_CHECKPOINT_FILE);

  beforeEach(async () => {
    repo = makeEvidenceRepo();
    home = mkdtempSync(path.join(tmpdir(), 'factory-home-'));
    await appendAuditEvent(repo.root, { task: 'bd-1', actor: 'ann@example.com', action: 'approved_by_human', outcome: 'approved' });
  });
  afterEach(() => {
    repo.cleanup();
    rmSync(home, { recursive: true, force: true });
  });

  it('signs the heads of every chain with a key trusted for audit, and audit verify holds the chains to them', async () => {
    const key = repo.addKey('ann@example.com');
    expect(await run(key)).toEqual({ written: true, file: AUDIT_CHECKPOINT_FILE, keyid: key.keyid });
    const report = verifyAuditTrails(repo.root);
    expect(report.ok).toBe(true);
    expect(report.checkpoint).toMatchObject({ ok: true, keyid: key.keyid, owner: 'ann@example.com' });
    expect(report.checkpoint?.heads.map((h) => [h.file, h.seq])).toEqual([
      ['.factory/audit.log', 1],
      ['.factory/bd-1/audit.jsonl', 1],
    ]);
  });

  it('writes none without a key, or with a key not trusted for audit (its checkpoint would fail audit verify)', async () => {
    expect(await run()).toEqual({ written: false, skipped: 'no-key' });
    const ci = repo.addKey('ci@example.com', '["*"]\n      audit: false');
    expect(await run(ci)).toEqual({ written: false, skipped: 'not-trusted-for-audit' });
    const unlisted = repo.addKey('bob@example.com', false);
    expect(await run(unlisted)).toEqual({ written: false, skipped: 'not-trusted-for-audit' });
    expect(existsSync(checkpoint(repo))).toBe(false);
    expect(verifyAuditTrails(repo.root).ok).toBe(true);
  });

  it('never throws: a trail that does not verify, or a malformed key, is a warning and no checkpoint', async () => {
    const key = repo.addKey('ann@example.com');
    writeFileSync(path.join(repo.root, '.factory/bd-1/audit.jsonl'), '');
    expect(await run(key)).toEqual({
      written: false,
      warning: expect.stringMatching(
        /^the audit checkpoint was not signed: the audit trail does not verify, so no checkpoint was signed:\n {2}- .*emptied/,
      ),
    });
    const bad = await checkpointAfterDecision(repo.root, {
      env: { HOME: home, FACTORY_SIGNING_KEY: 'zzz-secret-material' },
      keyring: null,
    });
    expect(bad).toEqual({ written: false, warning: expect.stringContaining('the environment variable FACTORY_SIGNING_KEY') });
    expect(JSON.stringify(bad)).not.toContain('zzz-secret');
    expect(existsSync(checkpoint(repo))).toBe(false);
  });
});
