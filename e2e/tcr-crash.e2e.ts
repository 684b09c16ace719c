import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { jest } from '@jest/globals';
import { execa } from 'execa';
import { parse, stringify } from 'yaml';
import { E2E_ENV, newWorkspace, type TestWorkspace } from './utils/workspace';

jest.setTimeout(900_000);

/**
 * SIGKILL of a TCR run at several points. The run is paused at a point by a `git` wrapper put
 * first on PATH (it sleeps instead of running the git command named by FACTORY_TEST_PAUSE_ON),
 * by the test stage itself, or by git's own reference-transaction hook while git holds its ref
 * locks; then its whole process group is killed. Afterwards `git fsck` must be clean, the
 * attempt must still exist (in the working copy or under refs/factory/), and the next run must
 * work and clear the stale lock.
 */
const SLUG = 'bd-c';
const WS = `.factory/workspaces/${SLUG}`;
const FAIL = 'const t=require("node:test"),a=require("node:assert");t("bad",()=>a.equal(1,2));\n';
const PASS = 'const t=require("node:test"),a=require("node:assert");t("ok",()=>a.equal(1,1));\n';

const STAGE = `if [ -n "$FACTORY_TEST_PAUSE_STAGE" ]; then echo $$ > "$FACTORY_TEST_PAUSE_MARK"; exec sleep 600; fi; node --test packages/app/test/`;

interface Case {
  name: string;
  /** Which change the run works on: a failing one (revert path) or a passing one (commit path). */
  red: boolean;
  env: Record<string, string>;
}

const CASES: Case[] = [
  { name: 'while the tests run', red: true, env: { FACTORY_TEST_PAUSE_STAGE: '1' } },
  { name: 'after the attempt tree is written, before its commit', red: true, env: { FACTORY_TEST_PAUSE_ON: 'commit-tree' } },
  { name: 'after the attempt commit, before its ref', red: true, env: { FACTORY_TEST_PAUSE_ON: 'update-ref' } },
  { name: 'inside git while it holds the attempt ref lock', red: true, env: { FACTORY_TEST_PAUSE_REFTX: 'refs/factory/' } },
  { name: 'after the attempt is saved, before the revert', red: true, env: { FACTORY_TEST_PAUSE_ON: 'restore' } },
  { name: 'halfway through the revert', red: true, env: { FACTORY_TEST_PAUSE_ON: 'rm' } },
  { name: 'after staging, before the commit', red: false, env: { FACTORY_TEST_PAUSE_ON: 'commit' } },
  {
    name: 'inside git commit while it holds the branch and index locks',
    red: false,
    env: { FACTORY_TEST_PAUSE_REFTX: `refs/heads/factory/${SLUG}` },
  },
];

function files(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    // .git, and node_modules: the main tree's installation, linked in (not the task's files).
    if (f === '.git' || f.startsWith('.git/') || f === 'node_modules' || f.startsWith('node_modules/')) continue;
    const st = statSync(path.join(dir, f));
    if (st.isFile())
      out[f] =
        `${(st.mode & 0o111) !== 0 ? '100755' : '100644'} ${execFileSync('git', ['hash-object', path.join(dir, f)], { encoding: 'utf8' }).trim()}`;
  }
  return out;
}

describe('TCR killed with SIGKILL', () => {
  let ws: TestWorkspace;
  let bin: string;
  let mark: string;
  const dir = () => path.join(ws.root, WS);
  const inWs = (...args: string[]) => execFileSync('git', ['-C', dir(), ...args], { encoding: 'utf8' });

  beforeAll(async () => {
    ws = await newWorkspace();
    expect((await ws.nx(['g', 'factory:task', SLUG, '--no-interactive'])).code).toBe(0);
    const file = `.factory/${SLUG}/contract.yaml`;
    ws.write(
      file,
      stringify({
        ...parse(ws.read(file)),
        allowed_files: ['packages/app/**'],
        working_directory: '.',
        pipeline: [{ name: 'unit-test', description: 't', command: STAGE, timeout_seconds: 300, required_success: true }],
      }),
    );
    await ws.git(['add', '-A']);
    await ws.git(['commit', '-qm', 'task']);
    bin = mkdtempSync(path.join(tmpdir(), 'factory-crash-bin-'));
    mark = path.join(bin, 'paused');
    const realGit = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
    writeFileSync(
      path.join(bin, 'git'),
      `#!/bin/sh\nif [ -n "$FACTORY_TEST_PAUSE_ON" ]; then case " $* " in *" $FACTORY_TEST_PAUSE_ON "*) echo $$ > "$FACTORY_TEST_PAUSE_MARK"; exec sleep 600;; esac; fi\nexec ${realGit} "$@"\n`,
    );
    chmodSync(path.join(bin, 'git'), 0o755);
    const hook = path.join(ws.root, '.git/hooks/reference-transaction');
    writeFileSync(
      hook,
      '#!/bin/sh\nrefs=$(cat)\nif [ "$1" = prepared ] && [ -n "$FACTORY_TEST_PAUSE_REFTX" ]; then case "$refs" in *"$FACTORY_TEST_PAUSE_REFTX"*) echo $$ > "$FACTORY_TEST_PAUSE_MARK"; exec sleep 600;; esac; fi\nexit 0\n',
    );
    chmodSync(hook, 0o755);
  });
  afterAll(() => {
    ws?.cleanup();
    if (bin) rmSync(bin, { recursive: true, force: true });
  });

  const factory = (env: Record<string, string> = {}) =>
    execa(path.join(ws.root, 'node_modules/.bin/factory'), ['tcr', 'run', SLUG], {
      cwd: ws.root,
      env: { ...E2E_ENV, PATH: `${bin}:${process.env.PATH}`, FACTORY_TEST_PAUSE_MARK: mark, ...env },
      reject: false,
      all: true,
      detached: true,
    });

  async function killAtPause(env: Record<string, string>): Promise<string> {
    rmSync(mark, { force: true });
    const run = factory(env);
    const started = Date.now();
    while (!existsSync(mark) || readFileSync(mark, 'utf8').trim() === '') {
      if (Date.now() - started > 180_000) throw new Error('the run never reached the pause point');
      if (run.exitCode !== null && run.exitCode !== undefined)
        throw new Error(`the run ended before the pause point:\n${String((await run).all)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const paused = Number(readFileSync(mark, 'utf8').trim());
    process.kill(-(run.pid as number), 'SIGKILL');
    // The stage command runs in a process group of its own (so a timeout can kill its tree).
    try {
      process.kill(-paused, 'SIGKILL');
    } catch {
      // It was in the run's group, already gone.
    }
    try {
      process.kill(paused, 'SIGKILL');
    } catch {
      // Gone.
    }
    return String((await run).all ?? '');
  }

  /** Whether a ref under refs/factory/<slug>/ holds exactly these files. */
  function savedAs(expected: Record<string, string>): string | undefined {
    const refs = execFileSync('git', ['-C', ws.root, 'for-each-ref', '--format=%(refname)', `refs/factory/${SLUG}/`], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean);
    for (const ref of refs) {
      const listed: Record<string, string> = {};
      for (const line of execFileSync('git', ['-C', ws.root, 'ls-tree', '-r', ref], { encoding: 'utf8' }).split('\n').filter(Boolean)) {
        const [meta, p] = line.split('\t');
        const [mode, , id] = meta.split(' ');
        listed[p] = `${mode} ${id}`;
      }
      if (JSON.stringify(Object.entries(listed).sort()) === JSON.stringify(Object.entries(expected).sort())) return ref;
    }
    return undefined;
  }

  function lockHolders(): number {
    const file = path.join(ws.root, `.factory/${SLUG}/.lock/run.json`);
    return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { holders: unknown[] }).holders.length : 0;
  }

  function fsckClean(): void {
    const out = execFileSync('git', ['-C', ws.root, 'fsck', '--no-progress', '--no-dangling'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    expect(out).not.toMatch(/error|missing|broken|corrupt/i);
  }

  it.each(CASES)('$name', async (c) => {
    if (c.red) {
      ws.write(`${WS}/packages/app/src/index.ts`, `export const attempt = ${JSON.stringify(c.name)};\n`);
      ws.write(`${WS}/packages/app/src/added.ts`, 'export const added = 1;\n');
      rmSync(path.join(dir(), 'packages/app/tsconfig.json'), { force: true });
      ws.write(`${WS}/packages/app/test/b.test.js`, FAIL);
    } else {
      ws.write(`${WS}/packages/app/src/green.ts`, `export const green = ${JSON.stringify(c.name)};\n`);
      ws.write(`${WS}/packages/app/test/b.test.js`, PASS);
    }
    const attempt = files(dir());
    await killAtPause(c.env);

    fsckClean();
    // The killed run still holds the lock: its record names it.
    expect(lockHolders()).toBeGreaterThan(0);
    if (c.red) {
      // No attempt is lost: it is still the working copy, or it is saved.
      const kept = JSON.stringify(files(dir())) === JSON.stringify(attempt) || savedAs(attempt) !== undefined;
      expect([c.name, kept]).toEqual([c.name, true]);
    } else {
      const tree = files(dir());
      expect(tree['packages/app/src/green.ts']).toBe(attempt['packages/app/src/green.ts']);
    }

    const next = await factory();
    expect([c.name, next.exitCode, String(next.all)]).toEqual([
      c.name,
      c.red ? 1 : 0,
      expect.stringMatching(c.red ? /tcr: .*revert/ : /tcr: committed/),
    ]);
    // Free again: the record stays (its seq counts changes) with no holder.
    expect(lockHolders()).toBe(0);
    fsckClean();
    if (c.red) {
      expect(savedAs(attempt)).toBeDefined();
      // Relaxed: the failing test stays; everything else is back on the last commit.
      expect(inWs('status', '--porcelain', '--untracked-files=all')).toBe('?? packages/app/test/b.test.js\n');
      rmSync(path.join(dir(), 'packages/app/test/b.test.js'));
    } else {
      expect(inWs('log', '-1', '--format=%B')).toMatch(new RegExp(`^${SLUG}: [\\s\\S]*Factory-Task: ${SLUG}\\n`));
      expect(inWs('status', '--porcelain')).toBe('');
    }
  });
});
