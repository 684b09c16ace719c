// Bundles what Nx loads on every command into single CommonJS files, so Node reads one file
// instead of resolving hundreds of modules:
//  - dist/bin/stage-runner.cjs: what every stage target runs. Only what the runner needs (no
//    zod, no YAML). Measured here: ~25 ms to load instead of ~90 ms for execa alone, unbundled.
//  - dist/bin/stage-builtins.cjs: the built-in stages (contract, security, …), which the
//    runner requires only when such a stage runs, so a plain shell stage never pays for them.
//  - dist/bin/stage-review.cjs: the LLM review stage (provider SDKs), required by the built-in
//    stages only when a review runs.
//  - dist/bin/code-hash.cjs: the `runtime` cache input of stages of tasks with a jj workspace
//    (git worktrees are hashed by plain git in the shell; see inference/workspace-input.ts).
//  - dist/bin/stage-lifecycle.cjs: the status writer, loaded by the runner only on a status change.
//  - dist/plugin.cjs: the plugin entry (createNodes, createDependencies), loaded by every Nx
//    plugin worker. No @nx/devkit and no execa at run time (devkit alone costs ~1 s to load).
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  legalComments: 'none',
  logLevel: 'warning',
  metafile: true,
  // A native module, required at run time from the installed package, and only when a secret
  // or a signing key is read from the OS keyring.
  external: ['@napi-rs/keyring'],
};

function forbid(result, what, pattern) {
  // What ends up in the output (inputs parsed but tree-shaken away do not count).
  const kept = Object.values(result.metafile.outputs).flatMap((o) =>
    Object.entries(o.inputs)
      .filter(([, v]) => v.bytesInOutput > 0)
      .map(([f]) => f),
  );
  const found = kept.filter((f) => pattern.test(f));
  if (found.length) {
    console.error(`${what} must not include ${pattern}, found: ${found.slice(0, 3).join(', ')}`);
    process.exit(1);
  }
}

const runner = await build({
  ...common,
  entryPoints: [path.join(here, '../core/src/stage/runner-bin.ts')],
  outfile: path.join(here, 'dist/bin/stage-runner.cjs'),
});
forbid(runner, 'the stage runner bundle', /node_modules\/(zod|yaml|execa)\//);
const codeHash = await build({
  ...common,
  entryPoints: [path.join(here, '../core/src/workspace/code-hash-bin.ts')],
  outfile: path.join(here, 'dist/bin/code-hash.cjs'),
});
forbid(codeHash, 'the code-hash bundle', /node_modules\/(zod|yaml|execa)\//);
// The status writer (zod, YAML), loaded by the runner only when a stage run changes a task's status.
await build({
  ...common,
  entryPoints: [path.join(here, '../core/src/stage/lifecycle-bin.ts')],
  outfile: path.join(here, 'dist/bin/stage-lifecycle.cjs'),
});

const fromSources = {
  alias: { '@factory/core': path.join(here, '../core/src/index.ts'), '@factory/llm': path.join(here, '../llm/src/index.ts') },
  minifySyntax: true,
};
// The built-in stages: handlers from core (and llm), registered by name; see core's stage/builtin-stage.ts.
const builtins = await build({
  ...common,
  ...fromSources,
  entryPoints: [path.join(here, 'src/runner/builtin-stages.ts')],
  outfile: path.join(here, 'dist/bin/stage-builtins.cjs'),
  plugins: [
    {
      name: 'lazy-review-stage',
      setup(b) {
        b.onResolve({ filter: /\/review-stage$/ }, () => ({ path: './stage-review.cjs', external: true }));
      },
    },
  ],
});
forbid(builtins, 'the built-in stages bundle', /node_modules\/(openai|@anthropic-ai)\//);
// The LLM review stage (provider SDKs), loaded by the built-in stages only when a review runs.
await build({
  ...common,
  ...fromSources,
  entryPoints: [path.join(here, 'src/runner/review-stage.ts')],
  outfile: path.join(here, 'dist/bin/stage-review.cjs'),
});
// The contract parser (YAML, zod): loaded by the plugin, and by the stage runner, only when a
// contract is not in their shared cache.
await build({
  ...common,
  ...fromSources,
  entryPoints: [path.join(here, 'src/inference/parse-contract.ts')],
  outfile: path.join(here, 'dist/contract-parser.cjs'),
});
const plugin = await build({
  ...common,
  ...fromSources,
  entryPoints: [path.join(here, 'src/index.ts')],
  outfile: path.join(here, 'dist/plugin.cjs'),
  external: [...common.external, 'nx', 'nx/*', '@nx/devkit', '@nx/devkit/*'],
  plugins: [
    {
      name: 'lazy-contract-parser',
      setup(b) {
        b.onResolve({ filter: /\/parse-contract$/ }, () => ({ path: './contract-parser.cjs', external: true }));
      },
    },
  ],
});
forbid(plugin, 'the plugin bundle', /node_modules\/(@nx\/devkit|execa|zod|yaml)\//);
