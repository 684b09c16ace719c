import path from 'node:path';
import { extractErrorSummary, insideRoot, runShellCommand, type Stage } from '@factory/core';
import { commitFiles, type TcrStep } from './tcr';

/** One command a TCR step tests with: a stage of the task's pipeline. */
export interface TcrTest {
  name: string;
  command: string;
  /** Relative to the code root. */
  workingDirectory: string;
  timeoutMs: number;
}

/** The pipeline stages a change order's TCR tests with: `names`, or implement and unit-test where the pipeline has them. */
export function tcrTests(pipeline: readonly Stage[], workingDirectory: string, names?: readonly string[]): TcrTest[] {
  const wanted = names ?? ['implement', 'unit-test'];
  const missing = wanted.filter((n) => !pipeline.some((s) => s.name === n));
  if (names && missing.length) throw new Error(`change_order.test_stages names ${missing.join(', ')}, which the task's pipeline does not have (it has ${pipeline.map((s) => s.name).join(', ')})`);
  return pipeline
    .filter((s) => wanted.includes(s.name) && !(s as { builtin?: string }).builtin)
    .map((s) => ({ name: s.name, command: s.command, workingDirectory: s.working_directory ?? workingDirectory, timeoutMs: s.timeout_seconds * 1000 }));
}

export interface TestThenCommitOptions {
  /** Variables removed from (undefined) or added to the tests' environment, e.g. the API key's name → undefined. */
  env?: Record<string, string | undefined>;
  out?: (text: string) => void;
}

/**
 * A TCR step that runs the task's test stages in the code root; all pass → the edited files are
 * committed; one fails → the edited files are restored and its 1-2 line root cause returned.
 * This is the change order's own TCR step, used until core provides the workspace-level one
 * (`refs/factory/<slug>/reverted/<n>`), which plugs in through the same `TcrStep` interface.
 */
export function testThenCommit(tests: readonly TcrTest[], options: TestThenCommitOptions = {}): TcrStep {
  return async (req) => {
    for (const test of tests) {
      const cwd = insideRoot(req.codeRoot, test.workingDirectory);
      options.out?.(`factory › ${req.slug} › change-order attempt ${req.attempt}: testing with ${test.name} (${test.command}) in ${path.relative(req.root, cwd) || '.'}\n`);
      const run = await runShellCommand(test.command, { cwd, env: { ...options.env, FORCE_COLOR: '0', NO_COLOR: '1' }, timeoutMs: test.timeoutMs, signal: req.signal });
      if (run.spawnError || run.exitCode !== 0) {
        req.restore();
        const why = run.spawnError
          ? `could not start: ${run.spawnError}`
          : run.timedOut
            ? `timed out after ${test.timeoutMs / 1000}s`
            : extractErrorSummary(run.output, { exitCode: run.exitCode });
        return { committed: false, summary: `${test.name} failed: ${why}`, log: run.output };
      }
    }
    const commit = await commitFiles(req.codeRoot, req.files, req.message);
    return { committed: true, commit, summary: tests.length ? `${tests.map((t) => t.name).join(', ')} passed` : 'no test stages; committed' };
  };
}
