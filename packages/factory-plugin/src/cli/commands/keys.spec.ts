import { jest } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parsePrivateKey } from '@factory/core';
import { gitTaskRepo } from '../../testing/git-task-repo';
import { main } from '../main';

jest.setTimeout(60_000);

describe('factory keys', () => {
  let repo: ReturnType<typeof gitTaskRepo>;
  let home: string;
  let out: string;
  let env: Record<string, string>;
  const cli = (...argv: string[]) => main(argv, { root: repo.root, out: (t) => (out += t), err: (t) => (out += t), env });
  const keyFile = () => path.join(home, 'config/factory/keys/signing-key.pem');
  beforeEach(() => {
    repo = gitTaskRepo();
    home = mkdtempSync(path.join(tmpdir(), 'factory-home-'));
    // FACTORY_KEYRING=off: a test must not write into a developer's real keyring.
    env = { XDG_CONFIG_HOME: path.join(home, 'config'), HOME: home, FACTORY_KEYRING: 'off' };
    out = '';
  });
  afterEach(() => {
    repo.cleanup();
    rmSync(home, { recursive: true, force: true });
  });

  it('init makes a key outside the workspace, lists its public key with its owner, trusts it, and reuses it next time', async () => {
    expect(await cli('keys', 'init', '--owner', 'ann@example.com')).toBe(0);
    const key = parsePrivateKey(readFileSync(keyFile(), 'utf8'), keyFile());
    expect(statSync(keyFile()).mode & 0o777).toBe(0o600);
    const id = key.keyid.slice(0, 16);
    expect(out).toBe(
      [
        `Made a new signing key ${id} (ann@example.com), kept in ${keyFile()}.`,
        `Listed its public key in .factory/keys/${key.keyid}.pub.`,
        'Trusted it for every stage, approvals and audit checkpoints in .factory/config.yaml (the contract digest changes: stages run again).',
        `Commit .factory/keys/${key.keyid}.pub and .factory/config.yaml.`,
        '',
      ].join('\n'),
    );
    expect(repo.read(`.factory/keys/${key.keyid}.pub`)).toMatch(
      new RegExp(`^# Factory.*\nkeyid: ${key.keyid}\nowner: ann@example.com\ncreated: .*\n-----BEGIN PUBLIC KEY-----\n`),
    );
    expect(repo.read('.factory/config.yaml')).toBe(
      `evidence:\n  trusted_keys:\n    ${key.keyid}:\n      stages:\n        - "*"\n      approvals: true\n      audit: true\n`,
    );
    out = '';
    expect(await cli('keys', 'init', '--owner', 'ann@example.com')).toBe(0);
    expect(out).toMatch(
      new RegExp(
        `^Using the signing key ${id} \\(ann@example.com\\), kept in ${keyFile().replace(/[.]/g, '\\.')}\\.\nIts public key is listed in .*already\\.\n`,
      ),
    );
  });

  it('init takes the key from FACTORY_SIGNING_KEY (CI) and names it when malformed, never printing it', async () => {
    await cli('keys', 'init', '--owner', 'ann@example.com');
    const pem = readFileSync(keyFile(), 'utf8');
    rmSync(keyFile());
    out = '';
    env.FACTORY_SIGNING_KEY = pem;
    expect(await cli('keys', 'init', '--owner', 'ci-bot')).toBe(0);
    expect(out).toMatch(/^Using the signing key [0-9a-f]{16} \(ci-bot\), kept in the environment variable FACTORY_SIGNING_KEY\./);
    env.FACTORY_SIGNING_KEY = 'bm90IGEga2V5IGF0IGFsbCwgc29ycnk=';
    out = '';
    expect(await cli('keys', 'init', '--owner', 'ci-bot')).toBe(1);
    expect(out).toMatch(/^factory: the environment variable FACTORY_SIGNING_KEY: expected an Ed25519 private key/);
    expect(out).not.toContain('bm90IGEga2V5');
  });

  it('init needs an owner', async () => {
    expect(await cli('keys', 'init')).toBe(2);
    expect(out).toContain('factory keys init: say whose key this is: --owner you@example.com');
  });

  it('list shows owners, trust and this machine; trust and untrust edit the config', async () => {
    await cli('keys', 'init', '--owner', 'ann@example.com');
    const mine = parsePrivateKey(readFileSync(keyFile(), 'utf8'), 'k').keyid;
    rmSync(path.join(home, 'config'), { recursive: true });
    await cli('keys', 'init', '--owner', 'bob@example.com', '--no-trust');
    const bob = parsePrivateKey(readFileSync(keyFile(), 'utf8'), 'k').keyid;
    out = '';
    expect(await cli('keys', 'list', '--json')).toBe(0);
    const listed = JSON.parse(out) as { keys: { keyid: string; owner: string; trusted: unknown; this_machine: boolean }[] };
    const byId = Object.fromEntries(listed.keys.map((k) => [k.keyid, k]));
    expect(byId[mine]).toMatchObject({
      owner: 'ann@example.com',
      trusted: { stages: ['*'], approvals: true, audit: true },
      this_machine: false,
    });
    expect(byId[bob]).toMatchObject({ owner: 'bob@example.com', trusted: null, this_machine: true });

    out = '';
    expect(await cli('keys', 'trust', bob.slice(0, 10), '--stages', 'unit-test,lint', '--no-approvals')).toBe(0);
    expect(out).toBe(`Key ${bob.slice(0, 16)} is trusted for stages unit-test, lint, audit (.factory/config.yaml).\n`);
    expect(await cli('keys', 'untrust', mine)).toBe(0);
    out = '';
    await cli('keys', 'list');
    expect(out).toContain(`${bob.slice(0, 16)}  bob@example.com  stages unit-test, lint, audit  yes`);
    expect(out).toContain(`${mine.slice(0, 16)}  ann@example.com  nothing`);
  });

  it('trust names what is wrong: an unknown key, an ambiguous or short id, a bad stage name', async () => {
    await cli('keys', 'init', '--owner', 'ann@example.com');
    const mine = parsePrivateKey(readFileSync(keyFile(), 'utf8'), 'k').keyid;
    out = '';
    expect(await cli('keys', 'trust', '0123456789abcdef')).toBe(2);
    expect(out).toContain('factory keys trust: no key 0123456789abcdef… is listed in .factory/keys/ (see factory keys list)');
    expect(await cli('keys', 'trust', 'abc')).toBe(2);
    expect(out).toContain('expected a key id (64 hex digits, or a unique prefix of at least 8), got "abc"');
    expect(await cli('keys', 'trust', mine, '--stages', 'Unit Test')).toBe(2);
    expect(out).toContain('factory keys trust: --stages: expected a stage name of 2-40 lower-case letters');
    expect(await cli('keys', 'rotate')).toBe(2);
  });

  it('names a malformed public key file in list', async () => {
    await cli('keys', 'init', '--owner', 'ann@example.com');
    repo.write(`.factory/keys/${'0'.repeat(64)}.pub`, 'owner: x\nnot a key\n');
    out = '';
    expect(await cli('keys', 'list')).toBe(1);
    expect(out).toContain(
      `.factory/keys/${'0'.repeat(64)}.pub: (document): expected an Ed25519 public key as PEM ("-----BEGIN PUBLIC KEY-----"), got no PEM block`,
    );
  });
});
