import { isPlaceholder, isSecretName, looksLikeSecretValue, shannonEntropy } from './secret-values';

/** A match of a secret rule on one line: where the secret starts (0-based) and its value. */
export interface SecretMatch {
  index: number;
  value: string;
}

/**
 * A rule that finds secrets on one line. Every pattern is linear: no nested unbounded
 * quantifiers, and each alternative starts with a literal prefix or a bounded run.
 */
export interface SecretRule {
  id: string;
  description: string;
  find(text: string): SecretMatch[];
}

/** A rule whose whole match (or group 1) is the secret. */
function tokenRule(
  id: string,
  description: string,
  pattern: RegExp,
  accept: (v: string) => boolean = (v) => !isPlaceholder(v),
): SecretRule {
  return {
    id,
    description,
    find(text) {
      const out: SecretMatch[] = [];
      for (const m of text.matchAll(pattern)) {
        const value = m[1] ?? m[0];
        if (accept(value)) out.push({ index: (m.index ?? 0) + m[0].lastIndexOf(value), value });
      }
      return out;
    },
  };
}

/** `name = value`, `name: value`, `"name": "value"`, `name := value`, `name => value`. */
const ASSIGNMENT =
  /([A-Za-z_][A-Za-z0-9_.-]{0,79})["']?[ \t]{0,10}(?::=|=>|={1,3}|:)[ \t]{0,10}(?:"([^"\n]{1,1000})"|'([^'\n]{1,1000})'|`([^`\n]{1,1000})`|([^\s"'`,;&()[\]{}<>]{1,1000}))/g;

const genericRule: SecretRule = {
  id: 'generic-secret',
  description: 'a credential (high-entropy, or with a known key prefix) assigned to a name like key, secret, token or password',
  find(text) {
    const out: SecretMatch[] = [];
    const re = new RegExp(ASSIGNMENT.source, 'g');
    let m: RegExpExecArray | null;
    while ((m = re.exec(text)) !== null) {
      const [whole, name, dq, sq, bq, bare] = m;
      const value = dq ?? sq ?? bq ?? bare;
      const valueStart = m.index + whole.length - value.length - (bare === undefined ? 1 : 0);
      if (!isSecretName(name)) {
        re.lastIndex = Math.max(m.index + 1, valueStart);
        continue;
      }
      if (looksLikeSecretValue(value, bare === undefined)) out.push({ index: valueStart, value });
    }
    return out;
  },
};

/** Prefixed tokens, checked before the generic rule; the generic rule skips their spans. */
export const TOKEN_RULES: readonly SecretRule[] = [
  tokenRule('aws-access-key-id', 'an AWS access key id (AKIA…/ASIA…)', /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/g),
  tokenRule(
    'aws-secret-access-key',
    'an AWS secret access key assigned to an aws…secret… name',
    /aws[A-Za-z0-9_.-]{0,30}secret[A-Za-z0-9_.-]{0,30}["']?[ \t]{0,10}(?::=|=>|=|:)[ \t]{0,10}["']?([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])/gi,
    (v) => !isPlaceholder(v) && shannonEntropy(v) >= 3,
  ),
  tokenRule(
    'github-token',
    'a GitHub token (ghp_, gho_, ghu_, ghs_, ghr_, github_pat_)',
    /\b(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})(?![A-Za-z0-9_])/g,
  ),
  tokenRule('gitlab-token', 'a GitLab personal access token (glpat-)', /\bglpat-[A-Za-z0-9_-]{20,}/g),
  tokenRule('slack-token', 'a Slack token (xoxa-, xoxb-, xoxp-, xoxr-, xoxs-)', /\bxox[abprs]-[A-Za-z0-9-]{10,}/g),
  tokenRule('stripe-key', 'a Stripe live secret or restricted key (sk_live_, rk_live_)', /\b[rs]k_live_[A-Za-z0-9]{20,}/g),
  tokenRule('google-api-key', 'a Google API key (AIza…)', /\bAIza[A-Za-z0-9_-]{35}(?![A-Za-z0-9_-])/g),
  tokenRule('anthropic-key', 'an Anthropic API key (sk-ant-…)', /\bsk-ant-[A-Za-z0-9_-]{20,}/g),
  tokenRule(
    'openai-key',
    'an OpenAI API key (sk-…, sk-proj-…)',
    /\bsk-(?:(?:proj|svcacct|admin)-[A-Za-z0-9_-]{20,}|[A-Za-z0-9]{32,}(?![A-Za-z0-9_-]))/g,
  ),
  tokenRule('jwt', 'a JSON Web Token', /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{10,}/g),
];

export const GENERIC_RULE: SecretRule = genericRule;

/** `-----BEGIN … PRIVATE KEY-----` (RSA, EC, DSA, OPENSSH, ENCRYPTED, PGP … BLOCK). */
export const PRIVATE_KEY_BEGIN = /-----BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----/;
export const PRIVATE_KEY_END = '-----END';
export const PRIVATE_KEY_RULE = { id: 'private-key', description: 'a private key block (-----BEGIN … PRIVATE KEY-----)' } as const;

/** Every rule id, for allowlists and documentation. */
export const SECRET_RULE_IDS: readonly string[] = [PRIVATE_KEY_RULE.id, ...TOKEN_RULES.map((r) => r.id), genericRule.id];
