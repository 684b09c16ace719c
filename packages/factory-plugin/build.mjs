// Bundles the stage runner into one CommonJS file: Node then loads one file instead of
// execa's ESM module graph and only what the runner needs (no zod, no YAML).
// Measured here: ~25 ms to load instead of ~90 ms for execa alone, unbundled.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
// The stage runner, and the command Nx runs for a stage's `runtime` cache input (the content
// of the task's workspace): both run on every stage, so both stay small.
const bins = { 'stage-runner': 'stage/runner-bin.ts', 'code-hash': 'workspace/code-hash-bin.ts' };
for (const [name, entry] of Object.entries(bins)) {
  const result = await build({
    entryPoints: [path.join(here, '../core/src', entry)],
    outfile: path.join(here, `dist/bin/${name}.cjs`),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    legalComments: 'none',
    logLevel: 'warning',
    metafile: true,
  });
  const heavy = Object.keys(result.metafile.inputs).filter((f) => /node_modules\/(zod|yaml)\//.test(f));
  if (heavy.length) {
    console.error(`${name} bundle must not include zod or yaml, found: ${heavy.slice(0, 3).join(', ')}`);
    process.exit(1);
  }
}
