import type { AddedLine } from '../repo/added-lines';
import { maskSecret, scanSecrets, secretFingerprint } from './secrets';

/** Made-up values with the real shapes (a fixed pseudo-random alphabet walk, never a real key). */
const chars = (n: number, alphabet = 'A1b2C3d4E5f6G7h8J9k0LmNpQrStUvWxYz') =>
  Array.from({ length: n }, (_, i) => alphabet[(i * 7 + 3) % alphabet.length]).join('');
const upper = (n: number) => chars(n, 'QWERTZUPASDFGHJKLYXCVBNM23456789');

const lines = (file: string, ...texts: string[]): AddedLine[] => texts.map((text, i) => ({ file, line: i + 1, text }));
const rules = (ls: AddedLine[]) => scanSecrets(ls).map((f) => f.rule);

describe('scanSecrets', () => {
  it.each([
    ['aws-access-key-id', `const id = "AKIA${upper(16)}";`],
    ['github-token', `token: ghp_${chars(36)}`],
    ['gitlab-token', `GITLAB=glpat-${chars(20)}`],
    ['slack-token', `hook = "xoxb-${chars(24)}"`],
    ['stripe-key', `stripe("sk_live_${chars(24)}")`],
    ['google-api-key', `key=AIza${chars(35)}`],
    ['anthropic-key', `client = Anthropic("sk-ant-${chars(40)}")`],
    ['openai-key', `OpenAI(api_key="sk-proj-${chars(40)}")`],
    ['jwt', `Authorization: Bearer eyJ${chars(20)}.eyJ${chars(30)}.${chars(40)}`],
    ['generic-secret', `DB_PASSWORD = "${chars(24)}"`],
  ])('finds %s', (rule, text) => {
    expect(rules(lines('a.ts', text))).toEqual([rule]);
  });

  it('finds a private key block once, at its header line', () => {
    const block = ['-----BEGIN RSA PRIVATE KEY-----', chars(64), chars(64), '-----END RSA PRIVATE KEY-----'];
    expect(scanSecrets(lines('id_rsa', ...block)).map((f) => [f.rule, f.line])).toEqual([['private-key', 1]]);
  });

  it('finds a credential-prefixed value assigned to a secret name even when truncated', () => {
    expect(rules(lines('cloud.ts', 'export const awsKey = "AKIA7Q2Z9";'))).toEqual(['generic-secret']);
  });

  it('leaves placeholders, references and ordinary assignments alone', () => {
    const ok = [
      'const apiKey = process.env.API_KEY;',
      'password: "changeme"',
      'aws_secret = "AKIAIOSFODNN7EXAMPLE"',
      'token = "<your-token>"',
      'secret_key = "${SECRET_KEY}"',
      'primaryKey = "id"',
      'const publicKey = "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE"',
      'const message = "hello world, this is a long sentence"',
      'token = config.auth.token',
    ];
    expect(scanSecrets(lines('a.ts', ...ok))).toEqual([]);
  });

  it('reports where the secret is, with a masked preview and a fingerprint, never the value', () => {
    const value = `ghp_${chars(36)}`;
    const [f] = scanSecrets(lines('src/x.ts', 'a', `  const t = '${value}';`));
    expect(f).toEqual({
      rule: 'github-token',
      file: 'src/x.ts',
      line: 2,
      column: 14,
      fingerprint: secretFingerprint(value),
      preview: maskSecret(value),
    });
    expect(JSON.stringify(f)).not.toContain(value);
    expect(f.preview).toBe('40 chars');
  });

  it('lets through allowlisted fingerprints, paths and rules, and lines marked factory:allow-secret', () => {
    const a = `AKIA${upper(16)}`;
    const b = `ghp_${chars(36)}`;
    const all = [...lines('src/a.ts', `x = "${a}"`, `y = "${b}" // factory:allow-secret`), ...lines('test/fixtures/k.ts', `z = "${b}"`)];
    expect(scanSecrets(all).map((f) => f.file)).toEqual(['src/a.ts', 'test/fixtures/k.ts']);
    expect(scanSecrets(all, { allowlist: { fingerprints: [secretFingerprint(a)], paths: ['test/fixtures/**'] } })).toEqual([]);
    expect(scanSecrets(all, { allowlist: { rules: ['aws-access-key-id', 'github-token'] } })).toEqual([]);
  });
});
