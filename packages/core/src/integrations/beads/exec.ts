/** What running a program gave back. `exitCode` is null when it could not start or was killed. */
export interface BeadsExecResult {
  exitCode: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `file` with an argument array (no shell) in `cwd`. Injected into the Beads client. */
export type BeadsExec = (file: string, args: readonly string[], options: { cwd: string }) => Promise<BeadsExecResult>;

export interface BeadsExecOptions {
  /** Kill the program after this long (default 60 s): a wedged bd must not hang a pipeline. */
  timeoutMs?: number;
  env?: Record<string, string | undefined>;
}

/**
 * The default {@link BeadsExec}: execa with an argument array, stdin closed, never rejecting.
 * When the program cannot start (not installed) or is killed, `exitCode` is null and `stderr`
 * says why.
 */
export function createBeadsExec(defaults: BeadsExecOptions = {}): BeadsExec {
  return async (file, args, { cwd }) => {
    // Loaded on first use: every CLI command loads core, few run a program through execa.
    const { execa } = await import('execa');
    const r = await execa(file, [...args], {
      cwd,
      env: defaults.env,
      extendEnv: true,
      stdin: 'ignore',
      reject: false,
      timeout: defaults.timeoutMs ?? 60_000,
      windowsHide: true,
    });
    const stderr = typeof r.stderr === 'string' ? r.stderr : '';
    const stdout = typeof r.stdout === 'string' ? r.stdout : '';
    if (r.exitCode === undefined || r.timedOut || r.isTerminated) {
      const why = r.timedOut ? 'timed out and was killed' : (r.shortMessage ?? 'could not be run');
      return { exitCode: null, stdout, stderr: stderr ? `${stderr}\n${why}` : why };
    }
    return { exitCode: r.exitCode, stdout, stderr };
  };
}

export const defaultBeadsExec: BeadsExec = createBeadsExec();
