#!/usr/bin/env node
// Factory's benchmarks: each measures Factory and a baseline doing the same work, side by side
// in one run, and prints the ratio. Usage: node tools/bench/run.mjs [name ...] [--runs N] [--json file]
// Names: inference, stage, cached, review, gates, workspace-create, tcr-commit, tcr-revert,
// stage-workspace, report, evidence, cli, verdict, inference-bad-file (default: all). Needs `npm run build` first.
import { rmSync, writeFileSync } from 'node:fs';
import { cachedPipeline, inference, stage } from './foundation.mjs';
import { evidence } from './evidence.mjs';
import { cliStart } from './cli.mjs';
import { contractCheck } from './gates.mjs';
import { inferenceWithBadFile } from './hardening.mjs';
import { reviewStage } from './llm.mjs';
import { machine, workspace } from './lib.mjs';
import { report } from './report.mjs';
import { stageWorkspace, tcrCommit, tcrRevert, workspaceCreate } from './tcr.mjs';
import { verdict } from './verdict.mjs';

const BENCHES = {
  stage,
  cached: cachedPipeline,
  inference,
  review: reviewStage,
  gates: contractCheck,
  'workspace-create': workspaceCreate,
  'tcr-commit': tcrCommit,
  'tcr-revert': tcrRevert,
  'stage-workspace': stageWorkspace,
  report,
  evidence,
  cli: cliStart,
  verdict,
  'inference-bad-file': inferenceWithBadFile,
};
const args = process.argv.slice(2);
const flag = (f) => {
  const i = args.indexOf(f);
  return i >= 0 ? args.splice(i, 2)[1] : undefined;
};
const runs = Number(flag('--runs') ?? 10);
const jsonOut = flag('--json');
const names = args.length ? args : Object.keys(BENCHES);
for (const n of names) if (!BENCHES[n]) throw new Error(`unknown benchmark "${n}"; known: ${Object.keys(BENCHES).join(', ')}`);

console.log(`machine: ${machine()}; ${runs} runs each, medians`);
const results = [];
for (const n of names) {
  // Benchmarks marked ownRepo make their own repository and need no Nx workspace.
  const ws = BENCHES[n].ownRepo ? undefined : workspace();
  try {
    results.push(...[await BENCHES[n](ws, runs)].flat());
  } finally {
    if (ws) rmSync(ws, { recursive: true, force: true });
  }
}
if (jsonOut) writeFileSync(jsonOut, `${JSON.stringify({ machine: machine(), date: new Date().toISOString(), results }, null, 2)}\n`);
process.exitCode = results.every((r) => r.met) ? 0 : 1;
