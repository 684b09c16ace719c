import { createHash } from 'node:crypto';

/** Shannon entropy in bits per character. */
export function shannonEntropy(value: string): number {
  if (value.length === 0) return 0;
  const counts = new Map<string, number>();
  for (let i = 0; i < value.length; i++) counts.set(value[i], (counts.get(value[i]) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) {
    const p = n / value.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/** A form of a secret safe to show: its length only, never any of its characters. */
export function maskSecret(value: string): string {
  return `${value.length} chars`;
}

/** The first 16 hex digits of the secret's sha256: stable, for allowlists, and not reversible. */
export function secretFingerprint(value: string): string {
  return createHash('sha256').update(value).digest('hex').slice(0, 16);
}

const PLACEHOLDER =
  /x{4,}|\*{3,}|#{3,}|\.{3}|<[^>]*>|\$\{|\{\{|%\(|example|placeholder|changeme|change[_-]me|redacted|dummy|your[_-]?(?:api[_-]?)?(?:key|token|secret|password)/i;

/** Values written to be replaced: `changeme`, `xxxx`, `<your-key>`, `${VAR}`, `{{ var }}`, `…EXAMPLE`. */
export function isPlaceholder(value: string): boolean {
  return PLACEHOLDER.test(value) || /^(.)\1*$/.test(value);
}

const CODE_REFERENCE =
  /^(?:process\.env|import\.meta\.env|os\.getenv|os\.environ|getenv|System\.getenv|Environment\.|ENV\[|env\(|\$|secrets\.|config\.|settings\.)/;
const DOTTED_NAME = /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+$/;
const URL = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//;
const URL_WITH_PASSWORD = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/@\s:]*:[^/@\s]+@/;

export const GENERIC_MIN_LENGTH = 16;
export const GENERIC_MIN_ENTROPY = 3.5;
/** Hex has at most 4 bits per character, so hex values get a lower bar and a longer minimum. */
export const GENERIC_MIN_HEX_LENGTH = 32;
export const GENERIC_MIN_HEX_ENTROPY = 3;

/**
 * Prefixes that only credentials carry (AWS key ids, GitHub, GitLab, Slack, Stripe, Anthropic,
 * OpenAI and Google keys). Assigned to a secret-sounding name, a value starting with one is a
 * secret even when it is too short or too regular to pass the entropy test (a truncated key).
 */
const CREDENTIAL_PREFIX = /^(?:AKIA|ASIA|gh[pousr]_|github_pat_|glpat-|xox[abprs]-|[rs]k_live_|sk-ant-|sk-proj-|AIza)[A-Za-z0-9_-]+$/;

/** Whether a value assigned to a secret-sounding name looks like a real secret. */
export function looksLikeSecretValue(value: string, quoted: boolean): boolean {
  if (/\s/.test(value) || isPlaceholder(value)) return false;
  if (CREDENTIAL_PREFIX.test(value)) return true;
  if (value.length < GENERIC_MIN_LENGTH) return false;
  if (CODE_REFERENCE.test(value) || DOTTED_NAME.test(value)) return false;
  if (URL.test(value) && !URL_WITH_PASSWORD.test(value)) return false;
  if (!quoted && /^[A-Za-z_]+$/.test(value)) return false;
  const entropy = shannonEntropy(value);
  if (/^[0-9a-fA-F]+$/.test(value)) return value.length >= GENERIC_MIN_HEX_LENGTH && entropy >= GENERIC_MIN_HEX_ENTROPY;
  return entropy >= GENERIC_MIN_ENTROPY;
}

const SECRET_NAME = /secret|token|passw(?:or)?d|pwd|credential|apikey|accesskey|privatekey|authkey|signingkey|encryptionkey/;

/** Whether an identifier names a secret (`apiKey`, `DB_PASSWORD`, `client_secret`), not a public key. */
export function isSecretName(name: string): boolean {
  const n = name.toLowerCase().replace(/[^a-z0-9]/g, '');
  if (n.includes('public') || n.includes('pubkey')) return false;
  return SECRET_NAME.test(n) || n.endsWith('key');
}
