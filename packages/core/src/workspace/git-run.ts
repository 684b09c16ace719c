import { spawn } from 'node:child_process';
import { FactoryError } from '../domain/errors';
import { formatGitCommand, gitEnv, type GitOptions, type GitResult } from '../repo/git';

const GLOBAL_ARGS = ['--no-pager', '-c', 'core.quotepath=off', '-c', 'color.ui=false'];
const MAX_BUFFER = 256 * 1024 * 1024;

/**
 * `runGit` (repo/git.ts) with the same arguments, environment and errors, on node's own
 * `spawn` (an argument array, never a shell). TCR's commit, save and revert run several git
 * commands each; measured here, a git call through execa costs about twice what it costs
 * through spawn (18-40 ms against 8-22 ms for `git rev-parse HEAD` on a loaded 2-core machine),
 * which decided whether a TCR commit stays within 1.3× of `git add -A && git commit`.
 */
export function gitRun(args: readonly string[], opts: GitOptions): Promise<GitResult> {
  const command = formatGitCommand(args);
  return new Promise((resolve, reject) => {
    const child = spawn('git', [...GLOBAL_ARGS, ...args], {
      cwd: opts.cwd,
      env: { ...process.env, ...gitEnv(opts.env) },
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
    child.on('error', (e) =>
      reject(new FactoryError('VCS', `could not run ${command} in ${opts.cwd}: ${e.message}; check that git is installed and the directory exists`, { cause: e })),
    );
    child.on('close', (code, signal) => {
      const stdout = Buffer.concat(out).toString('utf8');
      const stderr = Buffer.concat(err).toString('utf8');
      if (size > MAX_BUFFER) return reject(new FactoryError('VCS', `could not run ${command} in ${opts.cwd}: its output exceeded ${MAX_BUFFER} bytes`));
      const exitCode = code ?? 128;
      if (exitCode !== 0 && !(opts.allowExitCodes ?? []).includes(exitCode)) {
        const first = stderr.split('\n').find((l) => l.trim() !== '') ?? (signal ? `killed by ${signal}` : '(no message)');
        return reject(new FactoryError('VCS', `${command} failed in ${opts.cwd} (exit ${exitCode}): ${first.trim()}`, { cause: { stdout, stderr, exitCode } }));
      }
      resolve({ stdout, stderr, exitCode });
    });
    if (opts.input !== undefined) {
      child.stdin?.on('error', () => undefined);
      child.stdin?.end(opts.input);
    }
  });
}
