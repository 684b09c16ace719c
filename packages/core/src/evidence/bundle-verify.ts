import { anchorInEnvelope, checkAnchors } from '../audit/anchors';
import { auditEventProblem, eventBody, hashEvent } from '../audit/chain';
import { judgeCheckpoint } from '../audit/checkpoint';
import { crossCheckTask } from '../audit/cross-check';
import type { AuditEvent } from '../audit/event';
import { verifyChainLines, type LocatedEvent } from '../audit/verify';
import { FactoryError } from '../domain/errors';
import { stageResultFiles, taskPaths } from '../store/paths';
import { embeddedDigests } from './approval-check';
import { attestationFile } from './attest';
import type { EvidenceBundleData as EvidenceBundle } from './bundle-read';
import { sha256Hex } from './digests';
import { judgeAttestation, readEnvelopeText, stagePredicateOf } from './judge-attestation';
import { shortKeyId } from './keys';
import { checkSignatures } from './signature-check';
import { envelopeOfSigstoreBundle } from './sigstore';
import { subjectDigests, SUMMARY_PREDICATE_TYPE, type EvidenceSubjects } from './statement';
import { StatementSchema, SummaryPredicateSchema, type SummaryPredicate } from './statement-schema';
import type { EvidencePolicy } from './trust';

export interface BundleCheck {
  check: string;
  ok: boolean;
  detail: string;
}

export interface BundleSection {
  name: string;
  ok: boolean;
  checks: BundleCheck[];
}

/** What `factory evidence verify` reports (version 1; fields are only ever added). */
export interface BundleReport {
  version: 1;
  ok: boolean;
  task: string;
  exported_at: string;
  stages: BundleSection[];
  approval: BundleSection | null;
  audit: BundleSection;
}

const short = (d: string | undefined) => (d ? `${d.slice(0, 12)}…` : 'none');
const section = (name: string, checks: BundleCheck[]): BundleSection => ({ name, ok: checks.every((c) => c.ok), checks });

/** The envelope text inside a Sigstore bundle (as Factory writes envelope files). */
function envelopeText(bundle: unknown): string {
  const e = envelopeOfSigstoreBundle(bundle);
  return 'value' in e ? JSON.stringify(e.value) : JSON.stringify({ error: e.error });
}

/** The trail's events, read from the bundle's lines, and the chain's own verdict. */
function trailOf(b: EvidenceBundle): { events: LocatedEvent[]; check: BundleCheck } {
  const file = taskPaths(b.task).audit;
  const lines = b.audit.trail.map((text, i) => ({ file, line: i + 1, text }));
  const { report, events } = verifyChainLines(file, [file], lines, []);
  return {
    events,
    check: {
      check: 'trail chain',
      ok: report.ok,
      detail: report.ok
        ? `${report.events} events, head ${report.head?.seq ?? 0} ${short(report.head?.hash)}`
        : (report.problem?.message ?? 'broken'),
    },
  };
}

function anchorCheck(text: string, events: readonly LocatedEvent[], what: string, required: boolean): BundleCheck {
  const a = anchorInEnvelope(text);
  if (!a) return { check: 'audit anchor', ok: !required, detail: `${what} records no trail head` };
  const e = events.find((x) => x.event.seq === a.seq);
  const ok = e?.event.hash === a.hash;
  return {
    check: 'audit anchor',
    ok: ok || !required,
    detail: ok
      ? `event ${a.seq} ${short(a.hash)} is in the trail`
      : `${what} records event ${a.seq} ${short(a.hash)}, which the exported trail ${e ? 'holds with another hash' : 'does not hold'}${required ? '' : ' (made on another branch or clone?)'}`,
  };
}

function stageSection(
  b: EvidenceBundle,
  stage: string,
  text: string,
  policy: EvidencePolicy,
  approved: EvidenceSubjects | undefined,
  events: readonly LocatedEvent[],
): BundleSection {
  const checks: BundleCheck[] = [];
  const read = readEnvelopeText(text);
  if ('reason' in read) return section(stage, [{ check: 'envelope', ok: false, detail: read.detail }]);
  const sig = checkSignatures(read.value, policy, { stage });
  checks.push({
    check: 'signature',
    ok: sig.ok,
    detail: sig.ok ? `signed by key ${shortKeyId(sig.keyid)} (${sig.owner}), trusted for stage ${stage}` : `${sig.reason}: ${sig.message}`,
  });
  if (!sig.ok) return section(stage, checks);
  const st = stagePredicateOf(read.value.payload);
  if ('error' in st) return section(stage, [...checks, { check: 'statement', ok: false, detail: st.error }]);
  const p = st.value.predicate;
  const mine = p.task === b.task && p.stage === stage;
  checks.push({
    check: 'statement',
    ok: mine,
    detail: mine ? `stage ${stage} of task ${b.task}` : `it attests stage ${p.stage} of task ${p.task}: from another task or stage`,
  });
  const s = subjectDigests(b.task, st.value.subject);
  const matches = !approved || (s.codeTree === approved.codeTree && s.contractDigest === approved.contractDigest);
  checks.push({
    check: 'subjects',
    ok: matches,
    detail: `code tree ${short(s.codeTree)}, contract ${short(s.contractDigest)}${approved ? (matches ? ': the approved ones' : `: not the approved code tree ${short(approved.codeTree)} / contract ${short(approved.contractDigest)}`) : ''}`,
  });
  const passed = p.verdict === 'success' || p.advisory;
  checks.push({
    check: 'verdict',
    ok: passed,
    detail: `${p.verdict}${p.advisory ? ' (advisory)' : ''}${p.cause ? `: ${p.cause.split('\n')[0]}` : ''}`,
  });
  checks.push(anchorCheck(text, events, 'its attestation', false));
  checks.push({
    check: 'result files',
    ok: true,
    detail: `sha256 attested (${short(p.files.result.digest.sha256)}); the files are not in the bundle`,
  });
  return section(stage, checks);
}

function approvalSection(
  b: EvidenceBundle,
  text: string,
  policy: EvidencePolicy,
  events: readonly LocatedEvent[],
): { section: BundleSection; subjects?: EvidenceSubjects } {
  const read = readEnvelopeText(text);
  if ('reason' in read) return { section: section('approval', [{ check: 'envelope', ok: false, detail: read.detail }]) };
  const sig = checkSignatures(read.value, policy, 'approval');
  const checks: BundleCheck[] = [
    {
      check: 'signature',
      ok: sig.ok,
      detail: sig.ok ? `signed by key ${shortKeyId(sig.keyid)} (${sig.owner}), trusted for approvals` : `${sig.reason}: ${sig.message}`,
    },
  ];
  if (!sig.ok) return { section: section('approval', checks) };
  let predicate: SummaryPredicate;
  let subjects: EvidenceSubjects;
  try {
    const st = StatementSchema.parse(JSON.parse(read.value.payload.toString('utf8')));
    if (st.predicateType !== SUMMARY_PREDICATE_TYPE) throw new Error(`predicateType is ${JSON.stringify(st.predicateType.slice(0, 120))}`);
    predicate = SummaryPredicateSchema.parse(st.predicate);
    const d = subjectDigests(b.task, st.subject);
    subjects = { codeTree: d.codeTree ?? '', contractDigest: d.contractDigest ?? '' };
  } catch (e) {
    return {
      section: section('approval', [
        ...checks,
        { check: 'statement', ok: false, detail: `not a Factory verification summary (${(e as Error).message.split('\n')[0]})` },
      ]),
    };
  }
  const mine = predicate.task === b.task;
  checks.push({
    check: 'statement',
    ok: mine,
    detail: mine
      ? `approved by ${predicate.approver} at ${predicate.timeVerified}`
      : `it approves task ${predicate.task}: from another task`,
  });
  const bad: string[] = [];
  for (const input of predicate.inputAttestations) {
    const embedded = predicate.attestations[input.stage];
    const v =
      embedded === undefined || sha256Hex(embedded) !== input.digest.sha256
        ? { ok: false, message: `stage ${input.stage}: its embedded attestation is missing or does not match its sha256` }
        : judgeAttestation({
            slug: b.task,
            stage: input.stage,
            text: embedded,
            expected: subjects,
            current: embeddedDigests(embedded, stageResultFiles(b.task, input.stage)),
            policy,
            file: attestationFile(b.task, input.stage),
          });
    if (!v.ok) bad.push(v.message);
  }
  checks.push({
    check: 'approved evidence',
    ok: !bad.length,
    detail: bad.length
      ? bad.join('; ')
      : `${predicate.inputAttestations.length} stage attestations, each trusted, for the approved code tree ${short(subjects.codeTree)} and contract ${short(subjects.contractDigest)}`,
  });
  checks.push(anchorCheck(text, events, 'the approval summary', true));
  return { section: section('approval', checks), subjects };
}

function auditSection(b: EvidenceBundle, trail: ReturnType<typeof trailOf>, policy: EvidencePolicy): BundleSection {
  const checks: BundleCheck[] = [trail.check];
  const file = taskPaths(b.task).audit;
  const log: LocatedEvent[] = [];
  const broken: string[] = [];
  b.audit.log.forEach((text, i) => {
    try {
      const e = JSON.parse(text) as AuditEvent;
      if (auditEventProblem(e) || hashEvent(eventBody(e)) !== e.hash) broken.push(`copy ${i + 1}`);
      else if (e.task === b.task) log.push({ event: e, file: '.factory/audit.log', line: i + 1 });
    } catch {
      broken.push(`copy ${i + 1}`);
    }
  });
  let first: AuditEvent | undefined;
  try {
    first = b.audit.log_first ? (JSON.parse(b.audit.log_first) as AuditEvent) : undefined;
  } catch {
    first = undefined;
  }
  const cross = trail.check.ok
    ? crossCheckTask({ task: b.task, trailFile: file, trailExists: true, trail: trail.events, log, logFirst: first })
    : undefined;
  checks.push({
    check: 'workspace log copies',
    ok: !broken.length && !cross?.problem,
    detail: broken.length
      ? `${broken.join(', ')} of the workspace log do not match their own hash`
      : (cross?.problem?.message ?? `${log.length} copies agree with the trail`),
  });
  if (b.audit.checkpoint) {
    const cp = judgeCheckpoint(envelopeText(b.audit.checkpoint), () => policy);
    const anchors = (cp?.heads ?? [])
      .filter((h) => h.file === file)
      .map((h) => ({ seq: h.seq, hash: h.hash, source: 'the signed checkpoint' }));
    const problem = cp?.ok ? checkAnchors(anchors, { file, exists: true, events: trail.events }) : undefined;
    checks.push({ check: 'checkpoint', ok: !!cp?.ok && !problem, detail: problem?.message ?? cp?.message ?? 'unreadable' });
  }
  return section('audit', checks);
}

/**
 * Checks an exported bundle offline (pure), stage by stage: each attestation's signature by a
 * trusted key, its statement, its subjects (against the approved ones, when the bundle has an
 * approval), its verdict, its anchor in the trail; the approval summary's signature, the
 * evidence it embeds and its anchor; the trail's chain, the workspace log's copies and the
 * checkpoint. `expectTask` set: a bundle of another task is an error.
 */
export function verifyEvidenceBundle(b: EvidenceBundle, policy: EvidencePolicy, options: { expectTask?: string } = {}): BundleReport {
  if (options.expectTask && options.expectTask !== b.task)
    throw new FactoryError('EVIDENCE_BUNDLE', `the bundle is for task ${b.task}, not ${options.expectTask}: a bundle from another task`, {
      field: 'task',
    });
  const trail = trailOf(b);
  const approval = b.approval ? approvalSection(b, envelopeText(b.approval.bundle), policy, trail.events) : undefined;
  const stages = b.attestations.map((a) => stageSection(b, a.stage, envelopeText(a.bundle), policy, approval?.subjects, trail.events));
  const audit = auditSection(b, trail, policy);
  const sections = [...stages, ...(approval ? [approval.section] : []), audit];
  return {
    version: 1,
    ok: sections.every((s) => s.ok) && sections.length > 1,
    task: b.task,
    exported_at: b.exported_at,
    stages,
    approval: approval?.section ?? null,
    audit,
  };
}
