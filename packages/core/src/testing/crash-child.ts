/**
 * For the crash test: approves and rolls out a task in a tight loop, until it is killed.
 * Run: node -r @swc-node/register crash-child.ts <root> <slug>
 */
import { approveTask } from '../approval/approve';
import { loadRolloutConfig } from '../rollout/load-config';
import { advanceRollout } from '../rollout/rollout';
import { loadTask } from '../store/load';
import { NO_SIGNING_KEY_ENV } from './task-repo';

async function main(): Promise<void> {
  const [root, slug] = process.argv.slice(2);
  const ctx = () => ({ root, slug, actor: 'crash@example.com', config: loadRolloutConfig(root) });
  process.stdout.write('ready\n');
  for (let cycle = 1; ; cycle++) {
    // A previous run may have been killed mid-rollout: roll that back first.
    const status = loadTask(root, slug).value?.status;
    if (status === 'deploying' || status === 'deployed_to_staging' || status === 'deployed_to_production')
      await advanceRollout(ctx(), { abort: true });
    await approveTask(root, slug, { strategy: 'gradual', actor: 'crash@example.com', yes: true, env: NO_SIGNING_KEY_ENV });
    await advanceRollout(ctx());
    await advanceRollout(ctx());
    await advanceRollout(ctx(), { abort: true });
    process.stdout.write(`cycle ${cycle}\n`);
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
  process.exitCode = 1;
});
