// Hardening benchmark: `nx show projects` over 1,000 tasks plus one hostile task (a 50 MB
// contract, then a YAML alias bomb) vs the same 1,000 tasks alone, in one run. The hostile
// folder is moved in and out of `.factory/` before each timing, and Nx's project graph cache is
// off for both sides, so each run infers every project.
import { existsSync, mkdirSync, openSync, closeSync, readFileSync, renameSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { ENV, compare, sh } from './lib.mjs';
import { thousandTasks } from './foundation.mjs';

const NX = 'node_modules/.bin/nx';

function bigContract(file) {
  const fd = openSync(file, 'w');
  writeSync(fd, 'language: typescript\nallowed_files: ["packages/app/**"]\ncustom_fields:\n');
  let chunk = '';
  for (let i = 0; i < 600_000; i++) {
    chunk += `  k${i}: "${'x'.repeat(80)}"\n`;
    if (chunk.length > 1 << 20) {
      writeSync(fd, chunk);
      chunk = '';
    }
  }
  writeSync(fd, chunk);
  closeSync(fd);
}

function aliasBomb(file) {
  const lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
  let prev = 'a';
  for (const l of 'bcdefghi') {
    lines.push(`${l}: &${l} [${Array(9).fill(`*${prev}`).join(',')}]`);
    prev = l;
  }
  lines.push('language: typescript', `custom_fields: { boom: *${prev} }`);
  writeFileSync(file, `${lines.join('\n')}\n`);
}

export function inferenceWithBadFile(ws, runs) {
  thousandTasks(ws);
  const results = [];
  const before = ENV.NX_CACHE_PROJECT_GRAPH;
  ENV.NX_CACHE_PROJECT_GRAPH = 'false';
  try {
    for (const [what, make] of [
      ['a 50 MB contract', bigContract],
      ['a YAML alias bomb', aliasBomb],
    ]) {
      const parked = path.join(ws, 'parked-bad-task');
      const inPlace = path.join(ws, '.factory/bd-bad');
      mkdirSync(parked, { recursive: true });
      writeFileSync(
        path.join(parked, 'task.yaml'),
        readFileSync(path.join(ws, '.factory/bd-perf.1/task.yaml'), 'utf8').replaceAll('bd-perf.1', 'bd-bad'),
      );
      make(path.join(parked, 'contract.yaml'));
      const park = (inside) => {
        if (inside && existsSync(parked)) renameSync(parked, inPlace);
        if (!inside && existsSync(inPlace)) renameSync(inPlace, parked);
      };
      park(true);
      const listed = sh(NX, ['show', 'projects'], ws).split('\n');
      if (!listed.includes('bd-perf.1000') || !listed.includes('bd-bad'))
        throw new Error(`with ${what}, expected bd-perf.1000 and bd-bad among the projects`);
      results.push(
        compare({
          name: `nx show projects: 1,000 tasks and ${what} vs the 1,000 tasks alone`,
          goal: 1.2,
          factory: [NX, 'show', 'projects'],
          baseline: [NX, 'show', 'projects'],
          cwd: ws,
          runs,
          prepareFactory: () => park(true),
          prepareBaseline: () => park(false),
        }),
      );
      park(false);
      sh('rm', ['-rf', parked], ws);
    }
  } finally {
    if (before === undefined) delete ENV.NX_CACHE_PROJECT_GRAPH;
    else ENV.NX_CACHE_PROJECT_GRAPH = before;
  }
  return results;
}
