import type { AuditHead, ResourceDescriptor, StagePredicate, Statement } from './statement-schema';

/**
 * in-toto Statement v1 (https://github.com/in-toto/attestation/blob/main/spec/v1/statement.md)
 * and Factory's predicates. Zod-free: the stage runner builds statements on every run; the
 * schemas that read them back are in statement-schema.ts.
 */
export const STATEMENT_TYPE = 'https://in-toto.io/Statement/v1';

/**
 * Factory's predicate types. `.invalid` (RFC 2606) is a top-level domain that never resolves,
 * so these URIs claim nobody's domain; in-toto only needs them to be unique.
 */
export const STAGE_PREDICATE_TYPE = 'https://factory.invalid/attestations/stage-result/v1';
export const SUMMARY_PREDICATE_TYPE = 'https://factory.invalid/attestations/verification-summary/v1';
export const CHECKPOINT_PREDICATE_TYPE = 'https://factory.invalid/attestations/audit-checkpoint/v1';

/** The subject name of the judged code (its digest: `{ gitTree }`). */
export const CODE_SUBJECT = 'code';

/** What an attestation is about: the code (a git tree id) and the effective contract (sha256). */
export interface EvidenceSubjects {
  codeTree: string;
  contractDigest: string;
}

export function subjectsOf(slug: string, s: EvidenceSubjects): ResourceDescriptor[] {
  return [
    { name: CODE_SUBJECT, digest: { gitTree: s.codeTree } },
    { name: `.factory/${slug}/contract.yaml`, digest: { sha256: s.contractDigest } },
  ];
}

/** The code and contract digests a statement names (undefined when a subject is missing). */
export function subjectDigests(slug: string, subjects: readonly ResourceDescriptor[]): Partial<EvidenceSubjects> {
  return {
    codeTree: subjects.find((s) => s.name === CODE_SUBJECT)?.digest.gitTree,
    contractDigest: subjects.find((s) => s.name === `.factory/${slug}/contract.yaml`)?.digest.sha256,
  };
}

/** The fields of `results/stage-<name>.json` that an attestation carries. */
export interface StageResultFields {
  command?: unknown;
  status?: unknown;
  advisory?: unknown;
  summary?: unknown;
  exit_code?: unknown;
  timed_out?: unknown;
  metrics?: unknown;
  duration_ms?: unknown;
  started_at?: unknown;
  finished_at?: unknown;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

export interface StageStatementInput {
  slug: string;
  stage: string;
  subjects: EvidenceSubjects;
  /** The stage's result as written (read back as plain JSON). */
  result: StageResultFields;
  /** The result and log files, relative to the root, with their sha256 (log: undefined when absent). */
  files: { result: { name: string; sha256: string }; log?: { name: string; sha256: string } };
  /** The task trail's head when the stage finished: anchors the audit chain in a signature. */
  auditHead: AuditHead | null;
}

/** The statement a stage run signs. */
export function stageStatement(i: StageStatementInput): Statement<StagePredicate> {
  const r = i.result;
  const verdict = r.status === 'success' || r.status === 'failure' || r.status === 'skipped' ? r.status : 'failure';
  const metrics = r.metrics && typeof r.metrics === 'object' && !Array.isArray(r.metrics) ? (r.metrics as StagePredicate['metrics']) : {};
  return {
    _type: STATEMENT_TYPE,
    subject: subjectsOf(i.slug, i.subjects),
    predicateType: STAGE_PREDICATE_TYPE,
    predicate: {
      task: i.slug,
      stage: i.stage,
      command: str(r.command),
      verdict,
      advisory: r.advisory === true,
      cause: str(r.summary),
      exit_code: typeof r.exit_code === 'number' ? r.exit_code : null,
      timed_out: r.timed_out === true,
      metrics,
      duration_ms: typeof r.duration_ms === 'number' ? r.duration_ms : 0,
      started_at: str(r.started_at),
      finished_at: str(r.finished_at),
      files: {
        result: { name: i.files.result.name, digest: { sha256: i.files.result.sha256 } },
        ...(i.files.log ? { log: { name: i.files.log.name, digest: { sha256: i.files.log.sha256 } } } : {}),
      },
      audit_head: i.auditHead,
    },
  };
}

/** The bytes a statement is signed as (plain JSON: DSSE signs bytes, no canonical form needed). */
export const statementBytes = (s: Statement<unknown>): Buffer => Buffer.from(JSON.stringify(s), 'utf8');
