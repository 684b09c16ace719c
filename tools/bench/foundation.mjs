// Foundation benchmarks, each Factory vs a baseline doing the same work, in one run:
//  1. inference of 1,000 task contracts vs a trivial plugin returning the same project shapes
//  2. a stage target running `true` vs a plain nx:run-commands target running `true`
//  3. a cached 10-stage pipeline rerun vs a cached chain of 10 plain run-commands targets
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { compare, sh } from './lib.mjs';

const NX = 'node_modules/.bin/nx';
const yamlList = (xs) => xs.map((x) => `  - ${JSON.stringify(x)}`).join('\n');

/** 1,000 tasks made by copying one the generator made: bd-perf.1 … bd-perf.1000. */
export function thousandTasks(ws) {
  sh(NX, ['g', 'factory:task', 'bd-perf.1', '--no-interactive'], ws);
  for (let i = 2; i <= 1000; i++) {
    const d = path.join(ws, `.factory/bd-perf.${i}`);
    mkdirSync(d, { recursive: true });
    cpSync(path.join(ws, '.factory/bd-perf.1/contract.yaml'), path.join(d, 'contract.yaml'));
    writeFileSync(
      path.join(d, 'task.yaml'),
      readFileSync(path.join(ws, '.factory/bd-perf.1/task.yaml'), 'utf8').replaceAll('bd-perf.1', `bd-perf.${i}`),
    );
  }
}

export function inference(ws, runs) {
  thousandTasks(ws);
  const shape = JSON.parse(sh(NX, ['show', 'project', 'bd-perf.1', '--json'], ws));
  const { name: _n, root: _r, ...rest } = shape;
  writeFileSync(
    path.join(ws, 'trivial-plugin.js'),
    `const shape = ${JSON.stringify(rest)};
exports.createNodes = ['.factory/*/contract.yaml', (files) => files.map((f) => {
  const root = f.slice(0, f.lastIndexOf('/'));
  return [f, { projects: { [root]: { ...structuredClone(shape), name: root.slice(root.lastIndexOf('/') + 1), root } } }];
})];\n`,
  );
  const nxJson = JSON.parse(readFileSync(path.join(ws, 'nx.json'), 'utf8'));
  const factoryNx = JSON.stringify(nxJson);
  // An absolute path, as Nx resolves installed plugins: a relative one makes Nx scan the workspace first.
  const trivialNx = JSON.stringify({ ...nxJson, plugins: [path.join(ws, 'trivial-plugin.js')] });
  const count = sh(NX, ['show', 'projects'], ws)
    .split('\n')
    .filter((l) => l.startsWith('bd-perf.')).length;
  if (count !== 1000) throw new Error(`expected 1000 task projects, got ${count}`);
  const r = compare({
    name: `inference of ${count} contracts (nx show projects) vs a trivial plugin, same shapes`,
    goal: 1.2,
    factory: [NX, 'show', 'projects'],
    baseline: [NX, 'show', 'projects'],
    cwd: ws,
    runs,
    prepareFactory: () => writeFileSync(path.join(ws, 'nx.json'), factoryNx),
    prepareBaseline: () => writeFileSync(path.join(ws, 'nx.json'), trivialNx),
  });
  // A stricter baseline: the same number of targets, but minimal ones (a command, a dependsOn
  // chain and a description), so the ratio also charges Factory for what its richer targets
  // (cache inputs, outputs, the stage spec) cost Nx to process.
  const ntargets = Object.keys(shape.targets).length;
  writeFileSync(
    path.join(ws, 'minimal-plugin.js'),
    `exports.createNodes = ['.factory/*/contract.yaml', (files) => files.map((f) => {
  const root = f.slice(0, f.lastIndexOf('/')), targets = {};
  for (let i = 0; i < ${ntargets}; i++) targets['t' + i] = { command: 'true', dependsOn: i ? ['t' + (i - 1)] : [], metadata: { description: 'x' } };
  return [f, { projects: { [root]: { name: root.slice(root.lastIndexOf('/') + 1), root, targets } } }];
})];\n`,
  );
  const minimalNx = JSON.stringify({ ...nxJson, plugins: [path.join(ws, 'minimal-plugin.js')] });
  const m = compare({
    name: `inference of ${count} contracts (nx show projects) vs a trivial plugin, minimal shapes`,
    goal: 1.2,
    factory: [NX, 'show', 'projects'],
    baseline: [NX, 'show', 'projects'],
    cwd: ws,
    runs,
    prepareFactory: () => writeFileSync(path.join(ws, 'nx.json'), factoryNx),
    prepareBaseline: () => writeFileSync(path.join(ws, 'nx.json'), minimalNx),
  });
  writeFileSync(path.join(ws, 'nx.json'), factoryNx);
  return [r, m];
}

function writeTask(ws, slug, stages) {
  const d = path.join(ws, `.factory/${slug}`);
  mkdirSync(d, { recursive: true });
  writeFileSync(path.join(d, 'task.yaml'), `slug: ${slug}\ntitle: bench\ncreated_at: 2026-01-01T00:00:00.000Z\n`);
  const pipeline = stages.map((s, i) => `  - name: ${s}\n    command: "true"\n    needs: [${i ? stages[i - 1] : ''}]`).join('\n');
  writeFileSync(
    path.join(d, 'contract.yaml'),
    `language: typescript\nallowed_files:\n${yamlList(['packages/app/**'])}\npipeline:\n${pipeline}\n`,
  );
}

function writePlain(ws, targets) {
  writeFileSync(path.join(ws, 'packages/app/project.json'), JSON.stringify({ name: 'app', targets }, null, 2));
}

export function stage(ws, runs) {
  writeTask(ws, 'bd-noop', ['noop']);
  writePlain(ws, { plain: { executor: 'nx:run-commands', options: { command: 'true' }, cache: true } });
  return compare({
    name: 'stage target vs nx:run-commands, uncached (true)',
    goal: 1.1,
    factory: [NX, 'run', 'bd-noop:stage-noop', '--skip-nx-cache'],
    baseline: [NX, 'run', 'app:plain', '--skip-nx-cache'],
    cwd: ws,
    runs,
  });
}

export function cachedPipeline(ws, runs) {
  const names = Array.from({ length: 10 }, (_, i) => `step-${i + 1}`);
  writeTask(ws, 'bd-chain', names);
  const targets = {};
  names.forEach((n, i) => {
    targets[n] = { executor: 'nx:run-commands', options: { command: 'true' }, cache: true, dependsOn: i ? [names[i - 1]] : [] };
  });
  writePlain(ws, targets);
  sh(NX, ['run', 'bd-chain:pipeline'], ws);
  sh(NX, ['run', 'app:step-10'], ws);
  return compare({
    name: 'cached 10-stage pipeline vs cached 10 run-commands chain',
    goal: 1.15,
    factory: [NX, 'run', 'bd-chain:pipeline'],
    baseline: [NX, 'run', 'app:step-10'],
    cwd: ws,
    runs,
  });
}
