// Shared helpers for Factory's benchmarks: a real temporary Nx workspace with the packed
// plugin installed (as a user has it), and side-by-side timing of two commands.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const ENV = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false', FORCE_COLOR: '0', CI: '' };
delete ENV.CI;

const log = (m) => process.stderr.write(`${m}\n`);

export function sh(file, args, cwd, opts = {}) {
  return execFileSync(file, args, { cwd, env: ENV, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 28, ...opts });
}

/** A fresh Nx workspace with the packed plugin; the install is cached per build of the packages. */
export function workspace() {
  const staging = mkdtempSync(path.join(tmpdir(), 'factory-bench-pack-'));
  for (const p of ['core', 'llm', 'factory-plugin'])
    sh('npm', ['pack', `./packages/${p}`, '--pack-destination', staging, '--silent'], ROOT);
  const h = createHash('sha256');
  for (const f of readdirSync(staging).sort()) h.update(readFileSync(path.join(staging, f)));
  const tpl = path.join(tmpdir(), `factory-bench-template-${h.digest('hex').slice(0, 16)}`);
  if (!existsSync(path.join(tpl, '.ready'))) {
    log(`bench: installing a template workspace in ${tpl} (once per build)`);
    rmSync(tpl, { recursive: true, force: true });
    mkdirSync(path.join(tpl, 'packages/app/src'), { recursive: true });
    cpSync(staging, path.join(tpl, '.tarballs'), { recursive: true });
    writeFileSync(path.join(tpl, 'package.json'), '{ "name": "bench", "private": true, "workspaces": ["packages/*"] }\n');
    writeFileSync(path.join(tpl, 'nx.json'), '{ "analytics": false }\n');
    writeFileSync(path.join(tpl, '.gitignore'), 'node_modules\n.nx\n.tarballs\n');
    writeFileSync(path.join(tpl, 'packages/app/package.json'), '{ "name": "app", "version": "1.0.0" }\n');
    writeFileSync(path.join(tpl, 'packages/app/src/index.ts'), 'export const x = 1;\n');
    const tgz = readdirSync(path.join(tpl, '.tarballs')).map((f) => `./.tarballs/${f}`);
    sh('npm', ['install', '--no-audit', '--no-fund', '-D', 'nx@23.3.1', '@nx/devkit@23.3.1', 'typescript@5.9.3', ...tgz], tpl);
    sh('git', ['init', '-q', '-b', 'main'], tpl);
    sh('node_modules/.bin/nx', ['g', 'factory:init', '--no-interactive'], tpl);
    sh('git', ['add', '-A'], tpl);
    sh('git', ['-c', 'user.email=b@b', '-c', 'user.name=bench', 'commit', '-qm', 'init'], tpl);
    writeFileSync(path.join(tpl, '.ready'), '');
  }
  rmSync(staging, { recursive: true, force: true });
  const dir = mkdtempSync(path.join(tmpdir(), 'factory-bench-'));
  cpSync(tpl, dir, { recursive: true, verbatimSymlinks: true });
  return dir;
}

function once(cmd, cwd) {
  const t = process.hrtime.bigint();
  const r = spawnSync(cmd[0], cmd.slice(1), { cwd, env: ENV, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 28 });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  if (r.status !== 0) throw new Error(`${cmd.join(' ')} failed:\n${String(r.stdout).slice(-2000)}\n${String(r.stderr).slice(-2000)}`);
  return ms;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/**
 * Times two commands side by side: one warm-up each, then `runs` rounds alternating which goes
 * first, so that drift in the machine's load hits both alike. `prepare` runs before each timing.
 */
export function compare({ name, goal, factory, baseline, cwd, runs = 10, prepareFactory, prepareBaseline }) {
  const a = [];
  const b = [];
  const runA = () => (prepareFactory?.(), once(factory, cwd));
  const runB = () => (prepareBaseline?.(), once(baseline, cwd));
  runA();
  runB();
  for (let i = 0; i < runs; i++) {
    if (i % 2) {
      a.push(runA());
      b.push(runB());
    } else {
      b.push(runB());
      a.push(runA());
    }
  }
  const ma = median(a);
  const mb = median(b);
  const ratio = ma / mb;
  const r = {
    name,
    factoryMs: Math.round(ma),
    baselineMs: Math.round(mb),
    ratio: Number(ratio.toFixed(3)),
    goal,
    met: ratio <= goal,
    runs,
  };
  console.log(
    `${name}: factory ${r.factoryMs} ms, baseline ${r.baselineMs} ms, ratio ${r.ratio}x (goal <= ${goal}x) ${r.met ? 'MET' : 'NOT MET'}`,
  );
  return r;
}

export function machine() {
  const c = cpus();
  return `${c.length} × ${c[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${process.platform}`;
}
