import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { secretFingerprint } from '../../gates/secret-values';
import { removeTempDirs } from '../../repo/__fixtures__/temp-repo';
import { SLUG, taskRepo } from './__fixtures__/task-repo';

afterEach(removeTempDirs);

/** A made-up AWS access key id: the real prefix and 16 random upper-case letters and digits. */
function fakeAwsKey(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  return `AKIA${[...randomBytes(16)].map((b) => alphabet[b % alphabet.length]).join('')}`;
}

/** Every file under `dir`, as text. */
function allText(dir: string): string {
  let text = '';
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    text += e.isDirectory() ? allText(p) : fs.readFileSync(p, 'utf8');
  }
  return text;
}

describe('security stage', () => {
  it('fails on a planted key, naming file, line and rule, and never writes or prints the value', async () => {
    const repo = taskRepo();
    const key = fakeAwsKey();
    repo.write('src/app.ts', `export const app = 1;\nexport const region = 'eu-west-1';\nexport const awsKey = "${key}";\n`);
    const { result, out, log } = await repo.stage('security');
    expect(result.status).toBe('failure');
    expect(result.summary).toMatch(
      /^src\/app\.ts:3:24: aws-access-key-id: an AWS access key id \(AKIA…\/ASIA…\) is added \(20 chars, fingerprint [0-9a-f]{16}\); the value is not shown/,
    );
    expect(result.findings).toEqual([expect.objectContaining({ rule: 'aws-access-key-id', file: 'src/app.ts', line: 3, column: 24 })]);
    expect(result.metrics).toMatchObject({ secrets_found: 1, files_scanned: 1 });
    expect(out + log).not.toContain(key);
    expect(allText(path.join(repo.dir, '.factory'))).not.toContain(key);
  });

  it('scans committed and untracked additions since the base commit, but not removed lines', async () => {
    const repo = taskRepo();
    const committed = fakeAwsKey();
    repo.write('src/committed.ts', `const k = "${committed}";\n`);
    repo.commitAll('key');
    repo.write('src/untracked.env.ts', `export const token = "ghp_${randomBytes(27).toString('hex').slice(0, 36)}";\n`);
    const { result } = await repo.stage('security');
    expect(result.findings?.map((f) => [f.file, f.rule])).toEqual([
      ['src/committed.ts', 'aws-access-key-id'],
      ['src/untracked.env.ts', 'github-token'],
    ]);
    repo.remove('src/committed.ts');
    repo.remove('src/untracked.env.ts');
    expect((await repo.stage('security')).result.status).toBe('success');
  });

  it('lets a false positive through by fingerprint in secrets_allowlist, or by an allow comment', async () => {
    const repo = taskRepo();
    const a = fakeAwsKey();
    const b = fakeAwsKey();
    repo.write('src/a.ts', `const a = "${a}";\nconst b = "${b}"; // factory:allow-secret (test fixture)\n`);
    repo.contract({ secrets_allowlist: { fingerprints: [secretFingerprint(a)] } });
    const { result } = await repo.stage('security');
    expect(result).toMatchObject({ status: 'success', summary: 'no secrets in 2 added lines of 1 file' });
  });

  it('does not scan Factory state under .factory/', async () => {
    const repo = taskRepo();
    repo.write(`.factory/${SLUG}/spec.md`, `key: ${fakeAwsKey()}\n`);
    expect((await repo.stage('security')).result.status).toBe('success');
  });

  it('fails naming the contract field of an allowlist rule that does not exist', async () => {
    const repo = taskRepo();
    repo.contract({ secrets_allowlist: { rules: ['aws'] } });
    const { result } = await repo.stage('security');
    expect(result.summary).toMatch(
      new RegExp(
        `^\\.factory/${SLUG}/contract\\.yaml: secrets_allowlist\\.rules\\.0: expected a secret rule id \\(private-key, aws-access-key-id`,
      ),
    );
  });
});
