import { GENERIC_RULE, TOKEN_RULES } from '../gates/secret-rules';

/**
 * Names of environment variables that hold secrets: `*_KEY`, `*_TOKEN`, `*_SECRET`,
 * `*_PASSWORD` (and `*_PASSWD`, `*_CREDENTIALS`, `*_API_KEY`, `*_PRIVATE_KEY`), whatever the case.
 */
export const SECRET_VARIABLE = /(^|_)(KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIALS?)$/i;

/** Values this short are not masked: they would mangle ordinary text and are no secret anyway. */
const MIN_SECRET_LENGTH = 6;

/** The secret values of an environment: variables named like secrets, plus the named ones (e.g. the configured LLM key). */
export function secretValues(env: Record<string, string | undefined>, names: readonly string[] = []): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined || v.length < MIN_SECRET_LENGTH) continue;
    if (SECRET_VARIABLE.test(k) || names.includes(k)) out.set(v, k);
  }
  return out;
}

/** A function masking the given secret values (value → the name shown instead), longest first. */
export function valueRedactor(secrets: ReadonlyMap<string, string>): (text: string) => string {
  const values = [...secrets.keys()].sort((a, b) => b.length - a.length);
  if (!values.length) return (text) => text;
  return (text) => {
    let out = text;
    for (const v of values) if (out.includes(v)) out = out.split(v).join(`[REDACTED:${secrets.get(v)}]`);
    return out;
  };
}

/** Masks the secrets of an environment (see `secretValues`) in any text: stage output, results, events. */
export function environmentRedactor(env: Record<string, string | undefined>, names: readonly string[] = []): (text: string) => string {
  return valueRedactor(secretValues(env, names));
}

/**
 * Masks what the security stage's rules recognise as a secret (cloud and SaaS tokens, private
 * keys' bodies, high-entropy values assigned to secret-sounding names) in a text, e.g. a diff
 * about to be sent to an LLM. Nothing of the secret is left: `[REDACTED:<rule>]`.
 */
export function redactRecognisedSecrets(text: string): string {
  let out = text.replace(/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)/g, '[REDACTED:private-key]');
  const lines = out.split('\n').map((line) => {
    let l = line;
    for (const rule of [...TOKEN_RULES, GENERIC_RULE]) {
      for (const m of rule.find(l)) if (m.value.length >= MIN_SECRET_LENGTH) l = l.split(m.value).join(`[REDACTED:${rule.id}]`);
    }
    return l;
  });
  out = lines.join('\n');
  return out;
}
