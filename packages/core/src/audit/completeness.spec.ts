import { jest } from '@jest/globals';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { attestApproval } from '../evidence/approval-summary';
import { attestStage } from '../evidence/attest';
import { judgeStageEvidence } from '../evidence/judge-stage-evidence';
import { signEnvelope } from '../evidence/dsse';
import type { SigningKey } from '../evidence/keys';
import { makeEvidenceRepo, type EvidenceRepo } from '../testing/evidence-repo';
import { appendAuditEvent, appendToChain } from './append';
import { chainEvent, type AuditEventInput } from './chain';
import { AUDIT_CHECKPOINT_FILE } from './checkpoint';
import type { AuditEvent } from './event';
import { rotatedFiles } from './files';
import { verifyAuditTrails } from './verify-all';
import { writeAuditCheckpoint } from './write-checkpoint';

jest.setTimeout(60_000);

const TRAIL = '.factory/bd-1/audit.jsonl';
const LOG = '.factory/audit.log';
const ev = (action: string, n: number, task: string | null = 'bd-1'): AuditEventInput => ({
  task,
  actor: 'ann@example.com',
  action,
  outcome: 'success',
  details: { n },
});

describe('audit completeness: the task trail, the workspace log and signed heads vouch for each other', () => {
  let repo: EvidenceRepo;
  let key: SigningKey;
  const file = (f: string) => path.join(repo.root, f);
  const events = (f: string) =>
    readFileSync(file(f), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as AuditEvent);
  const put = (f: string, list: AuditEvent[]) => writeFileSync(file(f), list.map((e) => `${JSON.stringify(e)}\n`).join(''));
  /** Rewrites a chain from index `from` on with `edit`, recomputing every hash after it: a chain that verifies on its own. */
  const rechain = (f: string, from: number, edit: (e: AuditEvent) => AuditEvent | undefined) => {
    const list = events(f);
    const out = list.slice(0, from);
    for (const e of list.slice(from)) {
      const changed = edit(e);
      if (!changed) continue;
      const { task, actor, action, outcome, details, ref } = changed;
      out.push(chainEvent({ task, actor, action, outcome, details, ref }, out.at(-1), new Date(changed.ts)));
    }
    put(f, out);
  };
  const verify = () => verifyAuditTrails(repo.root);
  const problemOf = (f: string) => verify().chains.find((c) => c.file === f)?.problem;

  beforeEach(async () => {
    repo = makeEvidenceRepo();
    key = repo.addKey('ann@example.com');
    await appendAuditEvent(repo.root, ev('task_created', 1));
    await appendAuditEvent(repo.root, ev('config_changed', 2, null));
    for (let i = 2; i <= 5; i++) await appendAuditEvent(repo.root, ev(i === 5 ? 'approved_by_human' : 'status_changed', i));
    await appendAuditEvent(repo.root, ev('task_created', 1, 'bd-2'));
  });
  afterEach(() => repo.cleanup());

  it("passes when intact: every task event's copy in the workspace log carries its seq and hash", () => {
    const r = verify();
    expect(r.ok).toBe(true);
    expect(r.chains.map((c) => [c.file, c.events])).toEqual([
      [LOG, 7],
      [TRAIL, 5],
      ['.factory/bd-2/audit.jsonl', 1],
    ]);
    const trail = events(TRAIL);
    const copies = events(LOG).filter((e) => e.task === 'bd-1');
    expect(copies.map((e) => e.ref)).toEqual(trail.map((e) => ({ seq: e.seq, hash: e.hash })));
  });

  it('names an emptied task trail', () => {
    writeFileSync(file(TRAIL), '');
    expect(problemOf(TRAIL)).toMatchObject({
      kind: 'emptied',
      message: `${TRAIL}: the task trail is empty, but the workspace log holds 5 events of task bd-1 (the first at ${LOG}:1): the trail was emptied`,
    });
    expect(verify().ok).toBe(false);
  });

  it('names a deleted task trail, and a deleted task folder', () => {
    rmSync(file(TRAIL));
    expect(problemOf(TRAIL)).toMatchObject({
      kind: 'deleted',
      message: expect.stringContaining('the task trail is missing, but the workspace log holds 5 events'),
    });
    rmSync(file('.factory/bd-1'), { recursive: true });
    expect(problemOf(TRAIL)?.kind).toBe('deleted');
  });

  it('names a trail whose last event was removed (sed -i $d)', () => {
    put(TRAIL, events(TRAIL).slice(0, -1));
    expect(problemOf(TRAIL)).toMatchObject({
      kind: 'truncated',
      seq: 5,
      message: expect.stringContaining(
        `${TRAIL}:4: event 5 is in the workspace log (${LOG}:6) but missing from the end of the task trail, which ends at event 4: removed`,
      ),
    });
  });

  it.each([1, 3, 5])('names a chain recomputed from event %i on', (seq) => {
    rechain(TRAIL, seq - 1, (e) => ({ ...e, outcome: 'forged' }));
    expect(problemOf(TRAIL)).toMatchObject({
      kind: 'diverged',
      seq,
      message: expect.stringContaining(`the task trail was rewritten from event ${seq} and its chain recomputed`),
    });
  });

  it('names a task trail that disagrees with the workspace log: an event removed from the log, or added to the trail only', async () => {
    rechain(LOG, 0, (e) => (e.task === 'bd-1' && e.ref?.seq === 3 ? undefined : e));
    expect(problemOf(TRAIL)).toMatchObject({
      kind: 'diverged',
      seq: 3,
      message: expect.stringContaining('event 3 (status_changed) of task bd-1 is not in the workspace log'),
    });
    repo.cleanup();
    repo = makeEvidenceRepo();
    await appendAuditEvent(repo.root, ev('task_created', 1));
    await appendToChain(file(TRAIL), ev('approved_by_human', 2));
    await appendToChain(file(TRAIL), ev('deployment_step', 3));
    expect(problemOf(TRAIL)).toMatchObject({
      kind: 'diverged',
      seq: 2,
      message: expect.stringContaining('written into the task trail by hand'),
    });
  });

  it("tolerates, with a warning, the trail's last event without its copy (a crash between the two writes), and the next event writes the copy first", async () => {
    await appendToChain(file(TRAIL), ev('deployment_step', 6)); // the trail's write, then the crash
    const r = verify();
    expect(r.ok).toBe(true);
    expect(r.chains[1].warnings).toEqual([
      `${TRAIL}:6: event 6 (deployment_step), the last of task bd-1, is not in the workspace log yet (a crash between the two writes; the task's next event adds it), or it was removed from there`,
    ]);
    await appendAuditEvent(repo.root, ev('deployment_step', 7));
    const after = verify();
    expect(after.ok).toBe(true);
    expect(after.chains[1].warnings).toEqual([]);
    expect(
      events(LOG)
        .filter((e) => e.task === 'bd-1')
        .map((e) => e.ref?.seq),
    ).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it("names a workspace log copy edited and re-hashed, whose content no longer matches the trail's", () => {
    rechain(LOG, 0, (e) => (e.ref?.seq === 2 && e.task === 'bd-1' ? { ...e, actor: 'mallory@example.com' } : e));
    expect(problemOf(TRAIL)).toMatchObject({
      kind: 'diverged',
      message: expect.stringContaining("the workspace log's copy of event 2 of task bd-1 differs"),
    });
  });

  it('catches the newest events removed from both files only with a signed anchor: the approval summary or a checkpoint', async () => {
    const cut = () => {
      put(TRAIL, events(TRAIL).slice(0, -1));
      rechain(LOG, 0, (e) => (e.task === 'bd-1' && e.ref?.seq === 5 ? undefined : e));
    };
    const trail = readFileSync(file(TRAIL), 'utf8');
    const log = readFileSync(file(LOG), 'utf8');
    cut();
    expect(verify().ok).toBe(true); // the two still agree: what anchors are for
    writeFileSync(file(TRAIL), trail);
    writeFileSync(file(LOG), log);

    await writeAuditCheckpoint(repo.root, { key });
    expect(verify()).toMatchObject({ ok: true, checkpoint: { ok: true, owner: 'ann@example.com' } });
    await appendAuditEvent(repo.root, ev('deployment_step', 6)); // appended after the checkpoint: fine
    expect(verify().ok).toBe(true);
    writeFileSync(file(TRAIL), trail);
    writeFileSync(file(LOG), log);
    cut();
    expect(problemOf(TRAIL)).toMatchObject({
      kind: 'truncated',
      message: `${TRAIL}: the signed checkpoint ${AUDIT_CHECKPOINT_FILE} records event 5 of this trail, but it ends at event 4: events were removed`,
    });
    expect(problemOf(LOG)?.kind).toBe('truncated');
  });

  it("checks the trail against its approval summary's anchor", async () => {
    repo.writeResult('unit-test');
    await attestStage(repo.root, { slug: 'bd-1', stage: 'unit-test', codeTree: repo.codeTree(), key });
    const judgement = judgeStageEvidence(repo.root, {
      slug: 'bd-1',
      stages: [{ name: 'unit-test', required: true }],
      codeTree: repo.codeTree(),
    });
    await attestApproval(repo.root, { judgement, approver: 'ann@example.com', key });
    expect(verify().ok).toBe(true);
    put(TRAIL, events(TRAIL).slice(0, 3));
    rechain(LOG, 0, (e) => (e.task === 'bd-1' && (e.ref?.seq ?? 0) > 3 ? undefined : e));
    expect(problemOf(TRAIL)).toMatchObject({
      kind: 'truncated',
      message: expect.stringContaining(
        'the signed approval summary .factory/bd-1/approval.intoto.json records event 5 of this trail, but it ends at event 3',
      ),
    });
  });

  it('refuses a checkpoint that is forged or signed by an untrusted key, and refuses to checkpoint a damaged trail', async () => {
    await writeAuditCheckpoint(repo.root, { key });
    const env = JSON.parse(readFileSync(file(AUDIT_CHECKPOINT_FILE), 'utf8')) as { payload: string };
    writeFileSync(file(AUDIT_CHECKPOINT_FILE), JSON.stringify({ ...env, payload: Buffer.from('{"x":1}').toString('base64') }));
    expect(verify()).toMatchObject({
      ok: false,
      checkpoint: { ok: false, message: expect.stringContaining('does not verify: it was forged') },
    });
    const bob = repo.addKey('bob', false);
    writeFileSync(
      file(AUDIT_CHECKPOINT_FILE),
      JSON.stringify(signEnvelope(Buffer.from(env.payload, 'base64'), 'application/vnd.in-toto+json', bob)),
    );
    expect(verify().checkpoint).toMatchObject({ ok: false, message: expect.stringContaining('not trusted for audit checkpoints') });
    rmSync(file(AUDIT_CHECKPOINT_FILE));
    writeFileSync(file(TRAIL), '');
    await expect(writeAuditCheckpoint(repo.root, { key })).rejects.toThrow(
      /the audit trail does not verify, so no checkpoint was signed:\n {2}- .*emptied/,
    );
  });

  it('still verifies when the workspace log rotates and drops its oldest files', async () => {
    for (let i = 6; i < 60; i++) await appendAuditEvent(repo.root, ev('status_changed', i), { maxBytes: 2500, keep: 3 });
    expect(rotatedFiles(file(LOG)).length).toBe(2);
    expect(events(`${LOG}.${rotatedFiles(file(LOG))[0].n}`)[0].seq).toBeGreaterThan(1);
    const r = verify();
    expect(r.chains.map((c) => [c.file, c.ok, c.problem?.message])).toEqual([
      [LOG, true, undefined],
      [TRAIL, true, undefined],
      ['.factory/bd-2/audit.jsonl', true, undefined],
    ]);
    put(TRAIL, events(TRAIL).slice(0, -1));
    expect(problemOf(TRAIL)?.kind).toBe('truncated');
  });
});
