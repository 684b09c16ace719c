import { attestationFile } from '../evidence/attest';
import path from 'node:path';
import { z } from 'zod';
import { readTextIfExists } from '../store/atomic';
import { stageResultFiles } from '../store/paths';

/**
 * Fields a stage result may carry beyond what the result schema knows today (the Nx cache
 * hit, test counts, an attestation's verification). Each is read on its own, leniently: one
 * that is missing or malformed is left out without hiding the others.
 */
const TestCountsSchema = z.object({
  passed: z.number().int().min(0),
  failed: z.number().int().min(0),
  skipped: z.number().int().min(0).default(0),
});
export type TestCounts = z.infer<typeof TestCountsSchema>;

/** A verification state as a stage result may record it for its attestation. */
const RecordedVerificationSchema = z.object({
  verified: z.boolean().optional(),
  state: z.string().optional(),
  message: z.string().optional(),
});

export interface AttestationView {
  /** The attestation file, relative to the root. */
  file: string;
  /** The DSSE envelope's signatures' key ids (empty: unsigned). */
  keyids: string[];
  payload_type?: string;
  /** As recorded by whoever verified it (the stage runner or approval), when recorded. */
  verified?: boolean;
  state?: string;
  message?: string;
  /** What could not be read, when the file is not a DSSE envelope. */
  problem?: string;
}

export interface StageExtras {
  cached?: boolean;
  tests?: TestCounts;
  attestation?: AttestationView;
}

function field<T>(schema: z.ZodType<T>, value: unknown): T | undefined {
  const r = schema.safeParse(value);
  return r.success ? r.data : undefined;
}

const EnvelopeSchema = z.object({
  payloadType: z.string(),
  payload: z.string(),
  signatures: z.array(z.object({ keyid: z.string().optional(), sig: z.string() })),
});

function readAttestation(root: string, file: string, recorded: unknown): AttestationView | undefined {
  const text = readTextIfExists(path.join(root, file));
  if (text === undefined) return undefined;
  const v = field(RecordedVerificationSchema, recorded) ?? {};
  const known = { file, ...(v.verified !== undefined ? { verified: v.verified } : {}), ...(v.state ? { state: v.state } : {}) };
  const withMessage = v.message ? { ...known, message: v.message } : known;
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    return { ...withMessage, keyids: [], problem: `${file}: (document): expected JSON (a DSSE envelope): ${(e as Error).message}` };
  }
  const env = EnvelopeSchema.safeParse(data);
  if (!env.success)
    return { ...withMessage, keyids: [], problem: `${file}: (document): expected a DSSE envelope (payloadType, payload, signatures)` };
  return { ...withMessage, keyids: env.data.signatures.map((s) => s.keyid ?? ''), payload_type: env.data.payloadType };
}

/** The test counts a test stage records in its metrics (`tests_passed`, `tests_failed`, …). */
function testCountsOfMetrics(metrics: unknown): TestCounts | undefined {
  if (!metrics || typeof metrics !== 'object') return undefined;
  const m = metrics as Record<string, unknown>;
  const failed = (Number(m.tests_failed) || 0) + (Number(m.tests_errors) || 0);
  return field(TestCountsSchema, { passed: m.tests_passed, failed, skipped: m.tests_skipped ?? 0 });
}

/** The extra fields of one stage's result, and its attestation when there is one. */
export function readStageExtras(root: string, slug: string, stage: string): StageExtras {
  const out: StageExtras = {};
  const text = readTextIfExists(path.join(root, stageResultFiles(slug, stage).json));
  let raw: Record<string, unknown> = {};
  if (text !== undefined) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) raw = parsed as Record<string, unknown>;
    } catch {
      // the result itself reports a corrupt file (task-report.ts)
    }
  }
  if (typeof raw.cached === 'boolean') out.cached = raw.cached;
  const tests = field(TestCountsSchema, raw.tests) ?? testCountsOfMetrics(raw.metrics);
  if (tests) out.tests = tests;
  const attestation = readAttestation(root, attestationFile(slug, stage), raw.attestation ?? raw.verification);
  if (attestation) out.attestation = attestation;
  return out;
}
