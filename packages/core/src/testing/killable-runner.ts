/**
 * For the tests of processes left by a killed run: what the stage runner and TCR do around a
 * command, and nothing else. Takes the task's run lock (which ends what earlier, killed runs
 * left), runs the command with the lock's tag, releases the lock. Prints one JSON line per step.
 * Tests bundle it with esbuild (see runner-process.ts) and kill it with SIGKILL at any moment.
 * Run: node <bundle> <root> <slug> <command> [<pipeline owner>] (with an owner, it joins that
 * pipeline run's shared lock; without, it takes a TCR lock). With KILLABLE_RUNNER_EXIT_MS set, it
 * calls process.exit that long after the command started, as a runner that crashes would.
 */
import { acquireTaskLock } from '../lock/run-lock';
import { runShellCommand } from '../process/run';

async function main(): Promise<void> {
  const [root, slug, command, owner] = process.argv.slice(2);
  const lock = await acquireTaskLock(root, slug, { kind: owner ? 'pipeline' : 'tcr', owner, command: `killable runner ${process.pid}` });
  process.stdout.write(`${JSON.stringify({ step: 'locked', ended: lock.ended })}\n`);
  const exitMs = Number(process.env.KILLABLE_RUNNER_EXIT_MS);
  if (exitMs > 0) setTimeout(() => process.exit(3), exitMs);
  try {
    const run = await runShellCommand(command, { cwd: root, tag: lock.tag });
    process.stdout.write(`${JSON.stringify({ step: 'ran', exitCode: run.exitCode, killed: run.killed })}\n`);
  } finally {
    await lock.release();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
  process.exitCode = 1;
});
