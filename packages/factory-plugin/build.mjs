// The plugin's bundles: what Nx and the stage runner load on hot paths, each one CommonJS file
// so that Node reads one file instead of resolving hundreds of modules. Everything else (the
// CLI's other commands, executors, generators) is tsc's output in dist/ and loads @factory/core
// as a package.
// Why each bundle exists and what it saves is measured in docs/benchmarks.md ("Build").
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
const fromSources = {
  '@factory/core': path.join(here, '../core/src/index.ts'),
  '@factory/llm': path.join(here, '../llm/src/index.ts'),
};

/** What the CLI's bundles leave to tsc's modules and the installed packages (see `lazy`). */
const CLI_LAZY = [
  // What list's, show's and report's cache misses compute with: tsc's module, which loads core.
  { module: /^\.\.\/task-compute$/, file: () => './task-compute.js', require: true },
  // One UsageError class for the bundles and tsc's commands: the one of tsc's context.js.
  { module: /^\.\.?\/context$/, file: () => './context.js' },
];

/**
 * The OS keyring's native module, imported by core and llm when a secret or signing key is read
 * from it: in the stage runner's bundles a `require` when called (see `lazy` and CODE_CACHED).
 */
const KEYRING = { module: /^@napi-rs\/keyring$/, kind: 'dynamic-import', file: () => '@napi-rs/keyring', require: true };

/**
 * The bundles the stage runner compiles with its code cache (src/runner/compile-cache.ts): on
 * Node 20 their `import()` would need Node's experimental VM module loader, so they have none.
 */
const CODE_CACHED = /^dist\/runner\/(?!stage-runner\.cjs$)[^/]+\.cjs$/;

/**
 * Every shipped bundle: its entry, its output, what it must not contain (checked on what ends
 * up in the output), and the sibling bundles it imports only when needed (`lazy`: left as imports).
 */
export const BUNDLES = [
  {
    name: 'stage runner start',
    entry: 'src/runner/start.ts',
    out: 'dist/runner/stage-runner.cjs',
    purpose:
      "what every stage target runs (through bin/stage-runner.sh): a look at the stage's code started, the bundles' code cache on, then the runner",
    // The lock's mutex (proper-lockfile, graceful-fs) loads with the runner, not before the look at the code starts.
    mustNotContain: /node_modules\/(zod|yaml|execa|picomatch|@nx|proper-lockfile|graceful-fs)\//,
    // Requires runner-main.cjs by path once the cache is on (src/runner/start.ts).
  },
  {
    name: 'stage runner',
    entry: 'src/runner/bin.ts',
    out: 'dist/runner/runner-main.cjs',
    purpose: 'the stage runner itself, loaded by stage-runner.cjs',
    mustNotContain: /node_modules\/(zod|yaml|execa|@nx)\//,
    lazy: [KEYRING],
    // Required at run time by path (src/runner/bin.ts): stage-builtins.cjs, stage-lifecycle.cjs, contract-parser.cjs.
  },
  {
    name: 'built-in stages',
    entry: 'src/runner/builtin-stages.ts',
    out: 'dist/runner/stage-builtins.cjs',
    purpose: 'contract, security and review stages, required by the runner when one runs',
    mustNotContain: /node_modules\/(openai|@anthropic-ai)\//,
    lazy: [{ module: /\/review-stage$/, file: './stage-review.cjs', require: true }, KEYRING],
  },
  {
    name: 'review stage',
    entry: 'src/runner/review-stage.ts',
    out: 'dist/runner/stage-review.cjs',
    purpose: 'the LLM review stage, with the provider SDKs',
    mustNotContain: /node_modules\/@nx\//,
    lazy: [KEYRING],
  },
  {
    name: 'status writer',
    entry: 'src/runner/lifecycle.ts',
    out: 'dist/runner/stage-lifecycle.cjs',
    purpose: "moves a task's status after a stage run (zod, YAML)",
    mustNotContain: /node_modules\/(openai|@anthropic-ai|@nx)\//,
  },
  {
    name: 'contract parser',
    entry: 'src/runner/contract-parser.ts',
    out: 'dist/runner/contract-parser.cjs',
    purpose: 'YAML and zod for a contract missing from the parsed-contract cache (inference and runner)',
    mustNotContain: /node_modules\/(openai|@anthropic-ai|@nx)\//,
  },
  {
    name: 'CLI',
    entry: 'src/cli/main.ts',
    out: 'dist/cli/main.cjs',
    purpose: 'what bin/factory.js runs: --help and the dispatch to each command',
    mustNotContain: /node_modules\/(zod|yaml|execa|picomatch|@nx|@octokit)\//,
    lazy: [
      // list, show and report are bundles of their own; every other command is tsc's module.
      { module: /^\.\/commands\/(list|show|report)$/, file: (p) => `./${p.slice('./commands/'.length)}.cjs`, require: true },
      { module: /^\.\/commands\/[a-z-]+$/, file: (p) => `${p}.js`, require: true },
      // A dynamic import of core is the installed package (the one tsc's commands throw errors of).
      { module: /^@factory\/core$/, kind: 'dynamic-import', file: () => '@factory/core', require: true },
      ...CLI_LAZY,
    ],
  },
  {
    name: 'CLI list',
    entry: 'src/cli/commands/list.ts',
    out: 'dist/cli/list.cjs',
    purpose: "factory list: from the CLI's task cache, YAML and zod only on a miss",
    mustNotContain: /node_modules\/(zod|yaml|execa|@nx|@octokit)\//,
    lazy: CLI_LAZY,
  },
  {
    name: 'CLI show',
    entry: 'src/cli/commands/show.ts',
    out: 'dist/cli/show.cjs',
    purpose: "factory show: from the CLI's task cache, git for the lines changed, YAML and zod only on a miss",
    mustNotContain: /node_modules\/(zod|yaml|execa|picomatch|@nx|@octokit)\//,
    lazy: CLI_LAZY,
  },
  {
    name: 'CLI report',
    entry: 'src/cli/commands/report.ts',
    out: 'dist/cli/report.cjs',
    purpose:
      "factory report: from the CLI's task cache, git for the lines changed, the logs and the audit chain read; YAML and zod only on a miss",
    mustNotContain: /node_modules\/(zod|yaml|execa|@nx|@octokit)\//,
    lazy: CLI_LAZY,
  },
  {
    name: 'plugin',
    entry: 'src/index.ts',
    out: 'dist/plugin.cjs',
    purpose: 'createNodes and createDependencies, loaded by every Nx plugin worker',
    mustNotContain: /node_modules\/(@nx\/devkit|execa|zod|yaml)\//,
    external: ['nx', 'nx/*', '@nx/devkit', '@nx/devkit/*'],
    lazy: [{ module: /\/runner\/contract-parser$/, file: './runner/contract-parser.cjs' }],
  },
];

/**
 * Imports of sibling bundles (`lazy`) stay imports of their files, loaded when first used: `file`
 * is the file, or a function of the import's path; `kind` limits it to one kind of import.
 * `require`: a dynamic import becomes a `require` when called (esbuild keeps an external
 * `import()`, which starts Node's ESM loader for a CommonJS file).
 */
const lazySiblings = (bundle) => ({
  name: 'lazy-siblings',
  setup(b) {
    for (const { module, file, kind, require } of bundle.lazy ?? [])
      b.onResolve({ filter: module }, (args) => {
        if (kind && args.kind !== kind) return undefined;
        const to = typeof file === 'function' ? file(args.path) : file;
        return require && args.kind === 'dynamic-import' ? { path: to, namespace: 'lazy-require' } : { path: to, external: true };
      });
    b.onLoad({ filter: /.*/, namespace: 'lazy-require' }, (args) => ({
      contents: `module.exports = require(${JSON.stringify(args.path)});`,
      loader: 'js',
    }));
    b.onResolve({ filter: /.*/, namespace: 'lazy-require' }, (args) => ({ path: args.path, external: true }));
  },
});

for (const bundle of BUNDLES) {
  const result = await build({
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    legalComments: 'none',
    logLevel: 'warning',
    metafile: true,
    minifySyntax: true,
    alias: fromSources,
    entryPoints: [path.join(here, bundle.entry)],
    outfile: path.join(here, bundle.out),
    // A native module, required at run time from the installed package, and only when a secret
    // or a signing key is read from the OS keyring.
    external: ['@napi-rs/keyring', ...(bundle.external ?? [])],
    plugins: [lazySiblings(bundle)],
  });
  // What ends up in the output (inputs parsed but tree-shaken away do not count).
  const kept = Object.values(result.metafile.outputs).flatMap((o) =>
    Object.entries(o.inputs)
      .filter(([, v]) => v.bytesInOutput > 0)
      .map(([f]) => f),
  );
  const found = kept.filter((f) => bundle.mustNotContain.test(f));
  const dynamic = CODE_CACHED.test(bundle.out)
    ? Object.values(result.metafile.outputs).flatMap((o) => o.imports.filter((i) => i.kind === 'dynamic-import').map((i) => i.path))
    : [];
  if (dynamic.length) {
    console.error(
      `the ${bundle.name} bundle (${bundle.out}) is compiled with the stage runner's code cache and must not import() at run time, found: ${dynamic.join(', ')} (add it to the bundle's lazy list with require: true)`,
    );
    process.exit(1);
  }
  if (found.length) {
    console.error(
      `the ${bundle.name} bundle (${bundle.out}) must not include ${bundle.mustNotContain}, found: ${found.slice(0, 3).join(', ')}`,
    );
    process.exit(1);
  }
}
