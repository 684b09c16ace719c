import { z } from 'zod';

/**
 * The shapes of Factory's statements as they are read back (lenient: unknown fields pass).
 * Kept apart from statement.ts so that building a statement on a stage run loads no zod.
 */
const HEX64 = /^[0-9a-f]{64}$/;

export const ResourceDescriptorSchema = z.object({ name: z.string(), digest: z.record(z.string(), z.string()) });
export type ResourceDescriptor = z.infer<typeof ResourceDescriptorSchema>;

/** A task trail's head: the last event's seq and hash. */
export const AuditHeadSchema = z.object({ seq: z.number().int().min(1), hash: z.string().regex(HEX64) });
export type AuditHead = z.infer<typeof AuditHeadSchema>;

export const StatementSchema = z.object({
  _type: z.literal('https://in-toto.io/Statement/v1'),
  subject: z.array(ResourceDescriptorSchema).min(1),
  predicateType: z.string(),
  predicate: z.unknown(),
});
export type Statement<P> = Omit<z.infer<typeof StatementSchema>, 'predicate'> & { predicate: P };

const ScalarSchema = z.union([z.number(), z.string(), z.boolean()]);

/** What a stage run attests (predicate type STAGE_PREDICATE_TYPE). */
export const StagePredicateSchema = z.object({
  task: z.string(),
  stage: z.string(),
  command: z.string(),
  verdict: z.enum(['success', 'failure', 'skipped']),
  advisory: z.boolean(),
  /** The result's 1-2 line summary: the root cause of a failure. */
  cause: z.string(),
  exit_code: z.number().int().nullable(),
  timed_out: z.boolean(),
  metrics: z.record(z.string(), ScalarSchema),
  duration_ms: z.number(),
  started_at: z.string(),
  finished_at: z.string(),
  files: z.object({ result: ResourceDescriptorSchema, log: ResourceDescriptorSchema.optional() }),
  audit_head: AuditHeadSchema.nullable(),
});
export type StagePredicate = z.infer<typeof StagePredicateSchema>;

/**
 * The approval's verification summary (predicate type SUMMARY_PREDICATE_TYPE), shaped after
 * SLSA's Verification Summary Attestation: who verified what, when, with which result, from
 * which input attestations. The attestations themselves are embedded, so a summary committed
 * with the task still proves its evidence after the (git-ignored) results are gone.
 */
export const SummaryPredicateSchema = z.object({
  verifier: z.object({ id: z.string() }),
  timeVerified: z.string(),
  resourceUri: z.string(),
  task: z.string(),
  approver: z.string(),
  verificationResult: z.enum(['PASSED', 'FAILED']),
  inputAttestations: z.array(
    z.object({
      uri: z.string(),
      digest: z.object({ sha256: z.string().regex(HEX64) }),
      stage: z.string(),
      keyid: z.string(),
      verdict: z.string(),
      required: z.boolean(),
    }),
  ),
  /** Stage → the attestation file's exact text (its sha256 is the digest in inputAttestations). */
  attestations: z.record(z.string(), z.string()),
  audit_head: AuditHeadSchema.nullable(),
});
export type SummaryPredicate = z.infer<typeof SummaryPredicateSchema>;

/** A signed checkpoint of audit chain heads (predicate type CHECKPOINT_PREDICATE_TYPE). */
export const CheckpointPredicateSchema = z.object({
  time: z.string(),
  heads: z.array(z.object({ file: z.string(), task: z.string().nullable(), seq: z.number().int().min(1), hash: z.string().regex(HEX64) })),
});
export type CheckpointPredicate = z.infer<typeof CheckpointPredicateSchema>;
