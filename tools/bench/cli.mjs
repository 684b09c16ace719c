// CLI start: `factory --help`, `factory list` and `factory show <slug>` side by side with
// `node -e 0` (the same Node start, NODE_EXTRA_CA_CERTS and all), in a workspace with the packed
// plugin and one task whose stages have run, as the acceptance check runs them (the bin directly).
import path from 'node:path';
import { compare, ENV, sh } from './lib.mjs';

const NX = 'node_modules/.bin/nx';
const FACTORY = 'node_modules/.bin/factory';
const SLUG = 'bench-cli.1';

export function cliStart(ws, runs) {
  sh(NX, ['g', 'factory:task', SLUG, '--skip-workspace', '--no-interactive'], ws);
  sh('git', ['add', '-A'], ws);
  sh('git', ['-c', 'user.email=b@b', '-c', 'user.name=bench', 'commit', '-qm', 'task'], ws);
  // Some stages run, so that list and show read results as well as the task's files.
  for (const s of ['contract', 'security'])
    sh(NX, ['run', `${SLUG}:stage-${s}`, '--skip-nx-cache'], ws, { env: { ...ENV, NX_CACHE_DIRECTORY: path.join(ws, '.nx/bench-cache') } });
  return [
    ['--help', [FACTORY, '--help']],
    ['list', [FACTORY, 'list']],
    [`show ${SLUG}`, [FACTORY, 'show', SLUG]],
  ].map(([label, factory]) =>
    compare({ name: `factory ${label} vs node -e 0`, goal: 1.5, factory, baseline: ['node', '-e', '0'], cwd: ws, runs }),
  );
}
