import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { jest } from '@jest/globals';
import { execa } from 'execa';
import { CASES, GROUPS, type AdversarialCase, type CaseWorkspace, type Group } from './utils/adversarial-cases';
import { E2E_ENV, newWorkspace, type TestWorkspace } from './utils/workspace';

jest.setTimeout(1_800_000);

/** A frame of a JavaScript stack trace. */
const STACK_LINE = /^\s+at .+:\d+:\d+\)?$/m;
/** Longest a command may take before the case counts as a hang. */
const CASE_TIMEOUT_MS = 60_000;
const GOOD = ['good-1', 'good-2'];

interface Outcome {
  code: number;
  out: string;
  timedOut: boolean;
}

/** Why a case failed (empty: it passed). */
function judge(c: AdversarialCase, r: Outcome): string[] {
  const why: string[] = [];
  if (r.timedOut) why.push(`hung: still running after ${CASE_TIMEOUT_MS / 1000}s`);
  if (r.code === 0) why.push('exit code 0: the bad input was accepted');
  if (STACK_LINE.test(r.out)) why.push(`stack trace: ${STACK_LINE.exec(r.out)?.[0].trim()}`);
  if (c.file && !r.out.includes(c.file)) why.push(`the output does not name the file ${c.file}`);
  if (!r.out.includes(c.field)) why.push(`the output does not name ${c.field}`);
  return why;
}

describe('hardening: bad input everywhere gives a clear error naming file and field; the other tasks stay', () => {
  let ws: TestWorkspace;
  let outside: string;
  const results: Array<{ c: AdversarialCase; why: string[]; ms: number }> = [];

  /** Runs `nx …` or `factory …` in the workspace, killed (with its process group) after CASE_TIMEOUT_MS. */
  async function exec(command: AdversarialCase['command'], env: Record<string, string> = {}): Promise<Outcome> {
    const [tool, ...args] = command;
    const bin = path.join(ws.root, 'node_modules', '.bin', tool);
    const sub = execa(bin, args, {
      cwd: ws.root,
      env: {
        ...E2E_ENV,
        NX_CACHE_DIRECTORY: path.join(ws.root, '.nx', 'cache'),
        // No key of this machine's user: keys live in a private config home, never the keyring.
        XDG_CONFIG_HOME: path.join(outside, 'config'),
        FACTORY_KEYRING: 'off',
        FACTORY_SIGNING_KEY: undefined,
        FACTORY_LOCK_WAIT: undefined,
        ...env,
      },
      reject: false,
      all: true,
      stdin: 'ignore',
      // Its own process group, so that a hang is ended with every process it started.
      detached: true,
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        if (sub.pid) process.kill(-sub.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }, CASE_TIMEOUT_MS);
    const r = await sub.finally(() => clearTimeout(timer));
    return { code: r.exitCode ?? 1, out: String(r.all ?? ''), timedOut };
  }

  /** `nx show projects`: exits 0 and lists every good task. */
  async function graphHolds(): Promise<string[]> {
    const r = await exec(['nx', 'show', 'projects']);
    const listed = r.out.split('\n').map((l) => l.trim());
    const why: string[] = [];
    if (r.timedOut) why.push('nx show projects hung');
    if (r.code !== 0) why.push(`nx show projects failed (${r.code}): ${r.out.slice(-600)}`);
    for (const g of GOOD) if (!listed.includes(g)) why.push(`nx show projects no longer lists ${g}`);
    return why;
  }

  function caseWorkspace(): CaseWorkspace {
    const abs = (f: string) => (path.isAbsolute(f) ? f : path.join(ws.root, f));
    return {
      root: ws.root,
      outside,
      write(file, data, mode) {
        mkdirSync(path.dirname(abs(file)), { recursive: true });
        writeFileSync(abs(file), data);
        if (mode !== undefined) chmodSync(abs(file), mode);
      },
      remove: (file) => rmSync(abs(file), { recursive: true, force: true }),
      mkdir: (dir) => mkdirSync(abs(dir), { recursive: true }),
      symlink(target, file) {
        mkdirSync(path.dirname(abs(file)), { recursive: true });
        symlinkSync(target, abs(file));
      },
      run: async (command) => {
        const r = await exec(command);
        if (r.code !== 0) throw new Error(`${command.join(' ')} failed (${r.code}): ${r.out.slice(-1000)}`);
      },
      fifo: async (file) => {
        mkdirSync(path.dirname(abs(file)), { recursive: true });
        await execa('mkfifo', [abs(file)]);
      },
    };
  }

  /** Puts the workspace back as committed: tracked files restored, untracked ones removed (ignored ones too under .factory/<new task>). */
  function restore(): void {
    const git = (...args: string[]) => execFileSync('git', args, { cwd: ws.root, stdio: 'pipe' });
    for (const dir of ['adv', 'Bad_Folder', 'GOOD-1', 'app', 'ok-1'])
      rmSync(path.join(ws.root, '.factory', dir), { recursive: true, force: true });
    if (statSync(path.join(ws.root, '.factory', 'config.yaml'), { throwIfNoEntry: false })?.isDirectory())
      rmSync(path.join(ws.root, '.factory', 'config.yaml'), { recursive: true });
    git('clean', '-fdq');
    git('checkout', '-q', '--', '.');
  }

  beforeAll(async () => {
    ws = await newWorkspace();
    outside = mkdtempSync(path.join(tmpdir(), 'factory-e2e-outside-'));
    for (const slug of GOOD) {
      const r = await ws.nx(['g', 'factory:task', slug, '--directory=packages/app', '--skipWorkspace', '--no-interactive']);
      if (r.code !== 0) throw new Error(r.out);
    }
    await ws.git(['add', '-A']);
    await ws.git(['commit', '-qm', 'two good tasks']);
    const first = await graphHolds();
    if (first.length) throw new Error(first.join('\n'));
  });

  afterAll(() => {
    ws?.cleanup();
    if (outside) rmSync(outside, { recursive: true, force: true });
  });

  it('has at least 100 cases, at least 10 in each group', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(100);
    for (const g of GROUPS) expect({ g, n: CASES.filter((c) => c.group === g).length >= 10 }).toEqual({ g, n: true });
    expect(new Set(CASES.map((c) => `${c.group}: ${c.name}`)).size).toBe(CASES.length);
  });

  it('refuses every case clearly, and every other task stays in the graph', async () => {
    let cliSinceGraph = false;
    for (const c of CASES) {
      const started = Date.now();
      const why: string[] = [];
      try {
        const cw = caseWorkspace();
        await c.setup?.(cw);
        const r = await exec(c.command, c.env?.(cw));
        why.push(...judge(c, r));
        if (why.length) why.push(`output:\n${r.out.slice(-1500)}`);
        // Whatever wrote into .factory (a setup, the generator, a stage run) is followed by its own graph check.
        if (c.setup || c.command[0] === 'nx') why.push(...(await graphHolds()));
        else cliSinceGraph = true;
      } catch (e) {
        why.push(`the case itself failed: ${(e as Error).message}`);
      } finally {
        restore();
      }
      results.push({ c, why, ms: Date.now() - started });
      // Progress as it goes (a run is long on a loaded machine); the summary follows at the end.
      process.stderr.write(
        `hardening ${results.length}/${CASES.length} ${why.length ? 'FAIL' : 'ok  '} [${c.group}] ${c.name}${why.length ? `: ${why.join('; ')}` : ''}\n`,
      );
    }
    // The CLI cases wrote nothing into .factory: one graph check for all of them.
    if (cliSinceGraph) {
      const why = await graphHolds();
      if (why.length) results.push({ c: { group: 'cli', name: 'graph after the CLI cases', command: ['nx'], field: '' }, why, ms: 0 });
    }

    const rows = GROUPS.map((g) => {
      const of = results.filter((r) => r.c.group === g);
      return { group: g, cases: of.length, passed: of.filter((r) => !r.why.length).length };
    });
    const total = { group: 'total' as Group | 'total', cases: results.length, passed: results.filter((r) => !r.why.length).length };
    console.log(
      [
        'hardening: adversarial cases',
        ...[...rows, total].map(
          (r) => `  ${r.group.padEnd(12)} ${String(r.cases).padStart(4)} cases ${String(r.passed).padStart(4)} passed`,
        ),
        `  slowest: ${[...results]
          .sort((a, b) => b.ms - a.ms)
          .slice(0, 3)
          .map((r) => `${r.c.name} (${(r.ms / 1000).toFixed(1)}s)`)
          .join(', ')}`,
      ].join('\n'),
    );
    const failed = results.filter((r) => r.why.length).map((r) => `[${r.c.group}] ${r.c.name}: ${r.why.join('; ')}`);
    expect(failed).toEqual([]);
    expect(total.cases).toBeGreaterThanOrEqual(100);
    expect(total.passed).toBe(total.cases);
  });

  it('leaves the committed tree as it was', async () => {
    expect(await ws.git(['status', '--porcelain'])).toBe('');
  });
});
