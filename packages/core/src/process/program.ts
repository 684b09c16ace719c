import { spawn, spawnSync } from 'node:child_process';
import { FactoryError } from '../domain/errors';

export interface ProgramOptions {
  cwd: string;
  /** The whole environment of the program (the caller merges it with process.env). */
  env?: NodeJS.ProcessEnv;
  /** Written to the program's stdin; without it stdin is closed. */
  input?: string;
  /** Exit codes other than 0 that are answers rather than failures (`git diff --no-index` exits 1). */
  allowExitCodes?: number[];
  /** How the program is shown in messages (default: its name and arguments). */
  shown?: string;
}

export interface ProgramResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/** Enough for the diff of a very large change; above it the output is refused rather than truncated. */
const MAX_BUFFER = 256 * 1024 * 1024;

const shownOf = (file: string, args: readonly string[], opts: ProgramOptions) => opts.shown ?? [file, ...args].join(' ');

function failure(shown: string, cwd: string, exitCode: number, stdout: string, stderr: string, signal?: string | null): FactoryError {
  const first = stderr.split('\n').find((l) => l.trim() !== '') ?? (signal ? `killed by ${signal}` : '(no message)');
  return new FactoryError('VCS', `${shown} failed in ${cwd} (exit ${exitCode}): ${first.trim()}`, { cause: { stdout, stderr, exitCode } });
}

const notStarted = (shown: string, cwd: string, file: string, e: Error) =>
  new FactoryError('VCS', `could not run ${shown} in ${cwd}: ${e.message}; check that ${file} is installed and the directory exists`, {
    cause: e,
  });

/**
 * Runs a program with an argument array (never a shell) and collects its output. Resolves when
 * it exits 0 or with an allowed code; otherwise rejects with a `VCS` FactoryError naming the
 * command and the first line of its stderr. The one asynchronous way Factory starts git and jj.
 */
export function runProgram(file: string, args: readonly string[], opts: ProgramOptions): Promise<ProgramResult> {
  const shown = shownOf(file, args, opts);
  return new Promise((resolve, reject) => {
    const child = spawn(file, [...args], {
      cwd: opts.cwd,
      env: opts.env ?? process.env,
      stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      windowsHide: true,
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let size = 0;
    const collect = (into: Buffer[]) => (b: Buffer) => {
      size += b.length;
      if (size > MAX_BUFFER) child.kill('SIGKILL');
      else into.push(b);
    };
    child.stdout?.on('data', collect(out));
    child.stderr?.on('data', collect(err));
    child.on('error', (e) => reject(notStarted(shown, opts.cwd, file, e)));
    child.on('close', (code, signal) => {
      const stdout = Buffer.concat(out).toString('utf8');
      const stderr = Buffer.concat(err).toString('utf8');
      if (size > MAX_BUFFER)
        return reject(new FactoryError('VCS', `could not run ${shown} in ${opts.cwd}: its output exceeded ${MAX_BUFFER} bytes`));
      const exitCode = code ?? 128;
      if (exitCode !== 0 && !(opts.allowExitCodes ?? []).includes(exitCode))
        return reject(failure(shown, opts.cwd, exitCode, stdout, stderr, signal));
      resolve({ stdout, stderr, exitCode });
    });
    if (opts.input !== undefined) {
      child.stdin?.on('error', () => undefined);
      child.stdin?.end(opts.input);
    }
  });
}

/** The synchronous twin of `runProgram`, for the few callers that cannot await (a cache-key path). */
export function runProgramSync(file: string, args: readonly string[], opts: ProgramOptions): ProgramResult {
  const shown = shownOf(file, args, opts);
  const r = spawnSync(file, [...args], {
    cwd: opts.cwd,
    env: opts.env ?? process.env,
    input: opts.input,
    stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    maxBuffer: MAX_BUFFER,
    encoding: 'utf8',
    windowsHide: true,
  });
  if (r.error) throw notStarted(shown, opts.cwd, file, r.error);
  const exitCode = r.status ?? 128;
  if (exitCode !== 0 && !(opts.allowExitCodes ?? []).includes(exitCode))
    throw failure(shown, opts.cwd, exitCode, r.stdout, r.stderr, r.signal);
  return { stdout: r.stdout, stderr: r.stderr, exitCode };
}
