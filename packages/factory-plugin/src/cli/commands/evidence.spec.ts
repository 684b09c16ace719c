import { jest } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { appendAuditEvent, attestApproval, attestStage, judgeStageEvidence, loadSigningKey, stageResultFiles } from '@factory/core';
import { gitTaskRepo } from '../../testing/git-task-repo';
import { main } from '../main';

jest.setTimeout(90_000);

/** Every file under `dir`, .git included. */
function allFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name);
    return d.isDirectory() ? allFiles(p) : statSync(p).isFile() ? [p] : [];
  });
}

describe('factory evidence, and a private key that never leaves its file', () => {
  let repo: ReturnType<typeof gitTaskRepo>;
  let home: string;
  let elsewhere: string;
  let out: string;
  let env: Record<string, string>;
  const cli = (...argv: string[]) => main(argv, { root: repo.root, out: (t) => (out += t), err: (t) => (out += t), env });
  const codeTree = () => {
    const index = path.join(repo.root, '.git', 'test-index');
    const e = { ...process.env, GIT_INDEX_FILE: index };
    rmSync(index, { force: true });
    execFileSync('git', ['add', '-A', '--', '.', ':(exclude).factory'], { cwd: repo.root, env: e });
    return execFileSync('git', ['write-tree'], { cwd: repo.root, env: e, encoding: 'utf8' }).trim();
  };

  beforeEach(async () => {
    repo = gitTaskRepo();
    home = mkdtempSync(path.join(tmpdir(), 'factory-home-'));
    elsewhere = mkdtempSync(path.join(tmpdir(), 'factory-elsewhere-'));
    env = { XDG_CONFIG_HOME: path.join(home, 'config'), HOME: home, FACTORY_KEYRING: 'off' };
    out = '';
    expect(await cli('keys', 'init', '--owner', 'ann@example.com')).toBe(0);
    const key = (await loadSigningKey({ env, root: repo.root }))?.key;
    await appendAuditEvent(repo.root, { task: 'bd-1', actor: 'ann@example.com', action: 'task_created', outcome: 'success' });
    const files = stageResultFiles('bd-1', 'unit-test');
    repo.write(
      files.json,
      JSON.stringify({ stage_name: 'unit-test', slug: 'bd-1', status: 'success', command: 'node --test test/', summary: '1 passed' }),
    );
    repo.write(files.log, 'ok 1 - ok\n');
    // What the stage runner will call after writing a result (the wiring is the lead's).
    await attestStage(repo.root, { slug: 'bd-1', stage: 'unit-test', codeTree: codeTree(), env });
    const judgement = judgeStageEvidence(repo.root, {
      slug: 'bd-1',
      stages: [{ name: 'unit-test', required: true }],
      codeTree: codeTree(),
    });
    expect(judgement.problems).toEqual([]);
    await attestApproval(repo.root, { judgement, approver: 'ann@example.com', key });
    await appendAuditEvent(repo.root, { task: 'bd-1', actor: 'ann@example.com', action: 'approved_by_human', outcome: 'success' });
    out = '';
  });
  afterEach(() => {
    repo.cleanup();
    rmSync(home, { recursive: true, force: true });
    rmSync(elsewhere, { recursive: true, force: true });
  });

  it('exports a bundle that verifies, stage by stage, in the workspace and anywhere else with --trust', async () => {
    expect(await cli('evidence', 'export', 'bd-1', '--out', path.join(elsewhere, 'bd-1.json'))).toBe(0);
    expect(out).toMatch(/: 1 stage attestation, the approval summary, 2 audit events, 1 public key\.\n$/);
    out = '';
    expect(await cli('evidence', 'verify', path.join(elsewhere, 'bd-1.json'))).toBe(0);
    expect(out).toMatch(
      /^stage unit-test {7}holds\n {2}ok {4}signature {11}signed by key [0-9a-f]{16} \(ann@example\.com\), trusted for stage unit-test\n/m,
    );
    expect(out).toMatch(/^approval {14}holds$/m);
    expect(out).toMatch(/^audit {17}holds$/m);
    expect(out).toMatch(/The evidence holds\.\n$/);

    // Outside any workspace: only the keys named with --trust count.
    const keyid = JSON.parse(readFileSync(path.join(elsewhere, 'bd-1.json'), 'utf8')).keys[0].keyid as string;
    const anywhere = (...argv: string[]) => main(argv, { root: elsewhere, out: (t) => (out += t), err: (t) => (out += t), env });
    out = '';
    expect(await anywhere('evidence', 'verify', path.join(elsewhere, 'bd-1.json'))).toBe(1);
    expect(out).toContain('no key is trusted (outside a workspace, name the keys you trust with --trust <key id>)');
    expect(out).toMatch(/FAIL {2}signature {11}untrusted-key: /);
    out = '';
    expect(await anywhere('evidence', 'verify', path.join(elsewhere, 'bd-1.json'), '--trust', keyid.slice(0, 12), '--json')).toBe(0);
    expect(JSON.parse(out)).toMatchObject({ version: 1, ok: true, task: 'bd-1' });
  });

  it('refuses a bundle of another task, a file that is not JSON, and names an unknown key id', async () => {
    const file = path.join(elsewhere, 'b.json');
    await cli('evidence', 'export', 'bd-1', '--out', file);
    out = '';
    expect(await cli('evidence', 'verify', file, '--task', 'bd-2')).toBe(1);
    expect(out).toBe('factory: the bundle is for task bd-1, not bd-2: a bundle from another task\n');
    out = '';
    expect(await cli('evidence', 'verify', path.join(repo.root, 'src/index.js'))).toBe(1);
    expect(out).toMatch(
      /^factory: .*src\/index\.js: expected a Factory evidence bundle \(JSON from factory evidence export\), got text that is not JSON/,
    );
    out = '';
    expect(await cli('evidence', 'verify', path.join(elsewhere, 'absent.json'))).toBe(1);
    expect(out).toMatch(/absent\.json: cannot read the bundle \(ENOENT\)/);
    rmSync(path.join(repo.root, '.factory/keys'), { recursive: true });
    const b = JSON.parse(readFileSync(file, 'utf8'));
    b.keys = [];
    repo.write('stripped.json', JSON.stringify(b));
    out = '';
    expect(await cli('evidence', 'verify', path.join(repo.root, 'stripped.json'))).toBe(1);
    expect(out).toMatch(/FAIL {2}signature {11}unknown-key: it is signed by an unknown key id "[0-9a-f]{64}"/);
    expect(await cli('evidence', 'export', '../x')).toBe(2);
    expect(await cli('evidence', 'export', 'bd-9')).toBe(1);
  });

  it('canary: the private key appears in no file of the workspace (.git included), no bundle and no output', async () => {
    const pem = readFileSync(path.join(home, 'config/factory/keys/signing-key.pem'), 'utf8');
    const der = Buffer.from(pem.replace(/-----[A-Z ]+-----|\s/g, ''), 'base64');
    const seed = der.subarray(der.length - 32);
    const canaries = [
      der.toString('base64'),
      seed.toString('hex'),
      seed.toString('base64').replace(/=+$/, ''),
      seed.toString('base64url'),
      ...pem.split('\n').filter((l) => l.length > 20 && !l.startsWith('-----')),
    ];
    expect(pem).toContain(canaries[0].slice(0, 40)); // the canaries are really in the key file

    const codes = [
      await cli('evidence', 'export', 'bd-1', '--out', path.join(repo.root, 'bd-1.evidence.json')),
      await cli('evidence', 'export', 'bd-1', '--out', '-'),
      await cli('evidence', 'verify', path.join(repo.root, 'bd-1.evidence.json'), '--json'),
      await cli('audit', 'checkpoint'),
      await cli('audit', 'verify', '--json'),
      await cli('keys', 'list', '--json'),
      await cli('keys', 'init', '--owner', 'ann@example.com'),
    ];
    expect(codes).toEqual([0, 0, 0, 0, 0, 0, 0]);
    repo.git('add', '-A');
    repo.git('commit', '-qm', 'evidence');

    const files = allFiles(repo.root);
    expect(files.length).toBeGreaterThan(20);
    const leaks: string[] = [];
    for (const f of files) {
      const bytes = readFileSync(f);
      const text = bytes.toString('latin1');
      for (const c of canaries)
        if (text.includes(c) || bytes.includes(Buffer.from(seed))) leaks.push(`${path.relative(repo.root, f)} holds ${c.slice(0, 8)}…`);
    }
    for (const c of canaries) if (out.includes(c)) leaks.push(`the output holds ${c.slice(0, 8)}…`);
    expect(leaks).toEqual([]);
    expect(out).not.toContain('PRIVATE KEY');
  });
});
