import { z } from 'zod';
import type { AddedLine } from '../repo/added-lines';
import { compileGlobs } from '../repo/glob';
import { GENERIC_RULE, PRIVATE_KEY_BEGIN, PRIVATE_KEY_END, PRIVATE_KEY_RULE, TOKEN_RULES, type SecretMatch } from './secret-rules';
import { maskSecret, secretFingerprint } from './secret-values';

export { maskSecret, secretFingerprint, shannonEntropy } from './secret-values';
export { SECRET_RULE_IDS } from './secret-rules';

/** A secret found on an added line. Holds a fingerprint and a masked preview, never the secret. */
export const SecretFindingSchema = z.object({
  rule: z.string(),
  file: z.string(),
  line: z.number(),
  /** 1-based column where the secret starts. */
  column: z.number(),
  /** First 16 hex digits of the secret's sha256. */
  fingerprint: z.string(),
  /** `abcd… (40 chars)`: at most the first 4 characters and the length. */
  preview: z.string(),
});
export type SecretFinding = z.infer<typeof SecretFindingSchema>;

/** Secrets to let through: by fingerprint, by path glob, or by rule id. */
export const SecretAllowlistSchema = z.object({
  fingerprints: z.array(z.string()).optional(),
  paths: z.array(z.string()).optional(),
  rules: z.array(z.string()).optional(),
});
export type SecretAllowlist = z.infer<typeof SecretAllowlistSchema>;

/** A comment with this text on a line lets any secret on that line through. */
export const ALLOW_SECRET_MARKER = 'factory:allow-secret';

/** A private key block's body is at most this many lines after its header. */
const MAX_KEY_LINES = 200;
const MIN_KEY_BODY = 20;

function byFile(lines: readonly AddedLine[]): AddedLine[][] {
  const files = new Map<string, AddedLine[]>();
  for (const l of lines) {
    const list = files.get(l.file);
    if (list) list.push(l);
    else files.set(l.file, [l]);
  }
  return [...files.values()].map((list) => list.sort((a, b) => a.line - b.line));
}

/** The body of a private key block starting at `lines[i]`, and how many lines it spans. */
function readKeyBlock(lines: AddedLine[], i: number, headerEnd: number): { body: string; span: number } {
  let body = '';
  let span = 1;
  let text = lines[i].text.slice(headerEnd);
  for (;;) {
    const end = text.indexOf(PRIVATE_KEY_END);
    body += end < 0 ? text : text.slice(0, end);
    const next = lines[i + span];
    if (end >= 0 || span > MAX_KEY_LINES || !next || next.line !== lines[i + span - 1].line + 1) break;
    text = next.text;
    span++;
  }
  return { body: body.replace(/\\[nr]/g, '').replace(/[\s"'`,+]/g, ''), span };
}

const overlaps = (a: SecretMatch, spans: SecretMatch[]) =>
  spans.some((s) => a.index < s.index + s.value.length && s.index < a.index + a.value.length);

/**
 * Scans the ADDED lines of a diff for secrets: private key blocks, cloud and SaaS tokens, JWTs,
 * and high-entropy values assigned to secret-sounding names. Findings hold a fingerprint and a
 * masked preview only. Lines with `factory:allow-secret`, and allowlisted paths, rules and
 * fingerprints, are let through.
 */
export function scanSecrets(lines: AddedLine[], options: { allowlist?: SecretAllowlist } = {}): SecretFinding[] {
  const allow = options.allowlist ?? {};
  const allowedPath = compileGlobs(allow.paths ?? []);
  const allowedRules = new Set(allow.rules ?? []);
  const allowedPrints = new Set((allow.fingerprints ?? []).map((f) => f.toLowerCase()));
  const findings: SecretFinding[] = [];
  const report = (rule: string, at: AddedLine, m: SecretMatch) => {
    if (allowedRules.has(rule)) return;
    const fingerprint = secretFingerprint(m.value);
    if (allowedPrints.has(fingerprint)) return;
    findings.push({ rule, file: at.file, line: at.line, column: m.index + 1, fingerprint, preview: maskSecret(m.value) });
  };

  for (const file of byFile(lines)) {
    if (allowedPath(file[0].file)) continue;
    for (let i = 0; i < file.length; i++) {
      const at = file[i];
      const allowed = at.text.includes(ALLOW_SECRET_MARKER);
      const key = PRIVATE_KEY_BEGIN.exec(at.text);
      if (key) {
        const { body, span } = readKeyBlock(file, i, key.index + key[0].length);
        if (body.length >= MIN_KEY_BODY) {
          if (!allowed) report(PRIVATE_KEY_RULE.id, at, { index: key.index, value: body });
          i += span - 1;
          continue;
        }
      }
      if (allowed) continue;
      const found: SecretMatch[] = [];
      for (const rule of TOKEN_RULES) {
        for (const m of rule.find(at.text)) {
          found.push(m);
          report(rule.id, at, m);
        }
      }
      for (const m of GENERIC_RULE.find(at.text)) if (!overlaps(m, found)) report(GENERIC_RULE.id, at, m);
    }
  }
  return findings;
}
