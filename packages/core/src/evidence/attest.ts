import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { chainFiles, lastCompleteLine } from '../audit/files';
import { FactoryError } from '../domain/errors';
import { validateStageName } from '../domain/slug';
import { writeFileAtomicSync } from '../store/atomic';
import { stageResultFiles, taskPaths } from '../store/paths';
import { effectiveContractDigest, GIT_TREE_RE, sha256Hex } from './digests';
import { IN_TOTO_PAYLOAD_TYPE, signEnvelope } from './dsse';
import type { SigningKey } from './keys';
import { loadSigningKey, type Env, type KeyringStore } from './signing-key';
import { stageStatement, statementBytes, type StageResultFields } from './statement';
import type { AuditHead } from './statement-schema';

/** The attestation beside a stage's result: `results/stage-<name>.intoto.json` (an Nx output with it). */
export function attestationFile(slug: string, stage: string): string {
  return `${taskPaths(slug).results}/stage-${stage}.intoto.json`;
}

/** The last event of a task's trail as `{ seq, hash }`, or null for an empty trail (reads the tail only). */
export function taskAuditHead(root: string, slug: string): AuditHead | null {
  for (const file of chainFiles(path.join(root, taskPaths(slug).audit)).reverse()) {
    const line = lastCompleteLine(file);
    if (line === undefined) continue;
    try {
      const e = JSON.parse(line) as { seq?: unknown; hash?: unknown };
      if (typeof e.seq === 'number' && typeof e.hash === 'string') return { seq: e.seq, hash: e.hash };
    } catch {
      // a damaged line: audit verify names it; the anchor is left out
    }
    return null;
  }
  return null;
}

export interface AttestStageInput {
  slug: string;
  stage: string;
  /** The git tree id of the judged code (the task's whole working tree, `.factory/` excluded). */
  codeTree: string;
  /** The sha256 of the effective contract; default `effectiveContractDigest(root, slug)`. */
  contractDigest?: string;
  /** The signing key; default: `loadSigningKey` (env, key file, keyring); null: write an unsigned envelope. */
  key?: SigningKey | null;
  env?: Env;
  keyring?: KeyringStore | null;
}

export interface AttestOutcome {
  /** The envelope file, relative to the root. */
  file: string;
  signed: boolean;
  keyid?: string;
  /** sha256 of the envelope file's bytes: how summaries refer to it. */
  sha256: string;
  /** When unsigned: why, and what to do (approval will refuse this stage as unsigned). */
  warning?: string;
}

/**
 * Signs what a stage run produced: an in-toto Statement v1 (subjects: the code's git tree and
 * the effective contract; predicate: the stage's verdict, cause, metrics and the sha256 of its
 * result and log files, plus the task trail's head) in a DSSE envelope, written atomically to
 * `results/stage-<name>.intoto.json`. Call it after the result and log are written. Without a
 * signing key the envelope is written unsigned (so approval says "unsigned", not "missing").
 * On an error the previous attestation is removed, so a stale one never sits beside a new result.
 */
export async function attestStage(root: string, input: AttestStageInput): Promise<AttestOutcome> {
  const { slug, stage } = input;
  const file = attestationFile(slug, stage);
  const abs = path.join(root, file);
  try {
    const v = validateStageName(stage);
    if (!v.ok) throw new FactoryError('EVIDENCE', `attestStage: ${v.error}`, { field: 'stage' });
    if (!GIT_TREE_RE.test(input.codeTree))
      throw new FactoryError(
        'EVIDENCE',
        `attestStage: codeTree: expected a git tree id (40 or 64 hex digits), got ${JSON.stringify(input.codeTree)}`,
      );
    const contractDigest = input.contractDigest ?? effectiveContractDigest(root, slug);
    if (!/^[0-9a-f]{64}$/.test(contractDigest))
      throw new FactoryError('EVIDENCE', `attestStage: contractDigest: expected 64 hex digits, got ${JSON.stringify(contractDigest)}`);
    const files = stageResultFiles(slug, stage);
    let resultBytes: Buffer;
    try {
      resultBytes = readFileSync(path.join(root, files.json));
    } catch (e) {
      throw new FactoryError('EVIDENCE', `${files.json}: expected the stage's result to attest, got nothing (${(e as Error).message})`, {
        file: files.json,
        cause: e,
      });
    }
    let result: StageResultFields;
    try {
      result = JSON.parse(resultBytes.toString('utf8')) as StageResultFields;
    } catch (e) {
      throw new FactoryError('EVIDENCE', `${files.json}: expected the stage's result as JSON, got text that is not JSON`, {
        file: files.json,
        cause: e,
      });
    }
    let logSha: string | undefined;
    try {
      logSha = sha256Hex(readFileSync(path.join(root, files.log)));
    } catch {
      logSha = undefined;
    }
    const loaded = input.key === undefined ? await loadSigningKey({ env: input.env, keyring: input.keyring, root }) : undefined;
    const key = input.key === undefined ? loaded?.key : (input.key ?? undefined);
    const statement = stageStatement({
      slug,
      stage,
      subjects: { codeTree: input.codeTree, contractDigest },
      result,
      files: {
        result: { name: files.json, sha256: sha256Hex(resultBytes) },
        ...(logSha ? { log: { name: files.log, sha256: logSha } } : {}),
      },
      auditHead: taskAuditHead(root, slug),
    });
    const envelope = signEnvelope(statementBytes(statement), IN_TOTO_PAYLOAD_TYPE, key);
    // One line: the envelope is read by machines, and `"signatures":[{` stays greppable.
    const text = `${JSON.stringify(envelope)}\n`;
    writeFileAtomicSync(abs, text);
    return {
      file,
      signed: Boolean(key),
      sha256: sha256Hex(text),
      ...(key
        ? { keyid: key.keyid }
        : { warning: `stage ${stage}: no signing key, so its attestation is unsigned; run factory keys init` }),
    };
  } catch (e) {
    rmSync(abs, { force: true });
    throw e;
  }
}
