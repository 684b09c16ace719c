/**
 * What `bin/stage-runner.sh` starts (`dist/runner/stage-runner.cjs`): starts looking at a stage's
 * code (see judged-code.ts), turns on the code cache for the runner's bundles, then loads and
 * starts the runner (`runner-main.cjs`, src/runner/bin.ts). The cache
 * lives in the user's private temporary directory (see core's `privateTempDirectory`); where there
 * is none the runner loads as usual.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { privateTempDirectory, validateSlug } from '@factory/core';
import { enableBundleCompileCache } from './compile-cache';
import { startStageFacts, type StageFacts } from './judged-code';
import { userPath } from './user-path';

// Before anything is started: the stage's commands find programs as the user's shell would.
const pathValue = userPath(process.env.PATH, process.cwd(), path.dirname(process.execPath));
if (pathValue !== undefined) process.env.PATH = pathValue;

// A stage's code is looked at (by git, in a process of its own) while the runner loads.
const [command, slug] = process.argv.slice(2);
const facts =
  command === 'stage' && slug !== undefined && validateSlug(slug).ok
    ? startStageFacts(path.join(__dirname, '..', '..', 'bin', 'code-hash.sh'), process.cwd(), slug)
    : undefined;

const parent = privateTempDirectory();
if (parent) {
  const cacheDir = path.join(parent, 'compile-cache');
  try {
    mkdirSync(cacheDir, { mode: 0o700 });
  } catch {
    // Already there (or not makeable: compileWithCache then reads and writes nothing).
  }
  enableBundleCompileCache(__dirname, cacheDir);
}
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the runner bundle, loaded after the cache is on
(require(path.join(__dirname, 'runner-main.cjs')) as { startRunner(facts?: StageFacts): void }).startRunner(facts);
