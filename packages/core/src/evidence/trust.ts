import path from 'node:path';
import { z } from 'zod';
import { FactoryError, formatProblem, invalid, valid, type Problem, type Validated } from '../domain/errors';
import { parseWith } from '../domain/zod-problems';
import { readDocumentIfExists } from '../store/atomic';
import { parseConfig } from '../store/config';
import { GLOBAL_FILES } from '../store/paths';
import { readPublicKeys, type PublicKeyEntry } from './key-file';

const StageOrAll = z
  .string()
  .regex(/^(?:\*|[a-z][a-z0-9]*(?:-[a-z0-9]+)*)$/, { message: 'expected "*" or a stage name such as "unit-test"' });

/** What one trusted key may sign. */
export const TrustEntrySchema = z
  .object({
    /** Stages whose attestations it may sign; `"*"`: every stage. */
    stages: z.array(StageOrAll).default(['*']),
    /** Whether it may sign approval verification summaries. */
    approvals: z.boolean().default(true),
    /** Whether it may sign audit checkpoints. */
    audit: z.boolean().default(true),
  })
  .strict();
export type TrustEntry = z.infer<typeof TrustEntrySchema>;

/** The `evidence:` section of `.factory/config.yaml`. */
export const EvidenceConfigSchema = z
  .object({
    /** Key id (64 hex digits) → what it is trusted to sign. A key not listed here is trusted for nothing. */
    trusted_keys: z
      .record(z.string(), TrustEntrySchema)
      .superRefine((keys, ctx) => {
        for (const id of Object.keys(keys))
          if (!/^[0-9a-f]{64}$/.test(id))
            ctx.addIssue({
              code: 'custom',
              path: [id],
              message: `expected a key id of 64 hex digits (see factory keys list), got ${JSON.stringify(id)}`,
            });
      })
      .default({}),
    /** Whether a pipeline without a required stage (empty, or all advisory) may be approved. */
    allow_ungated_approval: z.boolean().default(false),
  })
  .strict();
export type EvidenceConfig = z.infer<typeof EvidenceConfigSchema>;

export function parseEvidenceConfig(section: unknown, file: string = GLOBAL_FILES.config): Validated<EvidenceConfig> {
  const r = parseWith(EvidenceConfigSchema, section ?? {}, file);
  if (!r.value) return invalid(r.errors.map((p) => ({ ...p, field: p.field === '(document)' ? 'evidence' : `evidence.${p.field}` })));
  return valid(r.value);
}

/** Which keys exist (`.factory/keys/`) and what each is trusted for (`evidence:` in the config). */
export interface EvidencePolicy {
  config: EvidenceConfig;
  keys: ReadonlyMap<string, PublicKeyEntry>;
  /** Key files that could not be read: a signature by such a key counts as by an unknown key. */
  keyProblems: readonly Problem[];
}

/** What a signature is checked for: a stage's attestation, an approval summary, an audit checkpoint. */
export type TrustScope = { stage: string } | 'approval' | 'audit';

export type KeyStanding = 'trusted' | 'untrusted' | 'unknown';

export function scopeName(scope: TrustScope): string {
  return typeof scope === 'string' ? (scope === 'approval' ? 'approval summaries' : 'audit checkpoints') : `stage ${scope.stage}`;
}

/** Whether `keyid` is listed and trusted for `scope` (pure). */
export function keyStanding(policy: EvidencePolicy, keyid: string, scope: TrustScope): KeyStanding {
  if (!policy.keys.has(keyid)) return 'unknown';
  const entry = policy.config.trusted_keys[keyid];
  if (!entry) return 'untrusted';
  if (scope === 'approval') return entry.approvals ? 'trusted' : 'untrusted';
  if (scope === 'audit') return entry.audit ? 'trusted' : 'untrusted';
  return entry.stages.includes('*') || entry.stages.includes(scope.stage) ? 'trusted' : 'untrusted';
}

/** Reads the policy: `.factory/config.yaml` (`evidence:`) and `.factory/keys/*.pub`. A bad config is an error naming the field. */
export function loadEvidencePolicy(root: string): EvidencePolicy {
  const c = parseConfig(readDocumentIfExists(path.join(root, GLOBAL_FILES.config), GLOBAL_FILES.config), GLOBAL_FILES.config);
  const e = c.value ? parseEvidenceConfig((c.value as { evidence?: unknown }).evidence) : c;
  if (!e.value) throw new FactoryError('CONFIG', e.errors.map(formatProblem).join('\n'), { file: GLOBAL_FILES.config, field: 'evidence' });
  const { keys, problems } = readPublicKeys(root);
  return { config: e.value as EvidenceConfig, keys, keyProblems: problems };
}
