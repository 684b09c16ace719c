import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { TargetConfiguration } from '@nx/devkit';
import { requiredStages, stageInvocation, type StageInvocation } from '@factory/core';
import { parseContract, planned, type InferredContract, type PlannedContract } from '../runner/inferred-contract';
import { resolveTaskContract } from '../runner/task-contract';
import { tempWorkspace } from '../testing/temp-workspace';
import { inferTaskProjects, SLUG_TOKEN, stamper } from './create-nodes';
import { HEAD_INPUT } from './code-hash-input';
import type { WorkspaceGlob } from './project-names';
import { allowedFilesOf } from './targets';

const RUNNER = 'sh node_modules/factory/bin/stage-runner.sh';
const TLS_RUNNER = 'node node_modules/factory/dist/runner/stage-runner.cjs';
const CODE_HASH = 'sh node_modules/factory/bin/code-hash.sh';
const GOOD = 'language: go\nworking_directory: svc\nallowed_files: ["svc/**"]\nrequired_test_coverage: 70\n';

/** The Go module GOOD's working_directory names. */
const PROJECT = { 'svc/go.mod': 'module example.com/svc\n\ngo 1.19\n' };

const CACHE = '.nx/workspace-data/factory-contracts.json';

/** What the runner runs for each stage command of the last inference (see `runnerSpecs`): a spec, or the invalid contract's message. */
type RunnerSpec = Partial<StageInvocation> & { error?: string; required?: string[] };
let specs = new Map<string, RunnerSpec | undefined>();

/**
 * What the stage runner makes of each stage and pipeline command of the inferred projects, as it
 * would in the workspace: it reads the contract from the cache inference wrote (a valid one is
 * never parsed again) or parses it (an invalid one).
 */
async function runnerSpecs(root: string, result: Awaited<ReturnType<typeof inferTaskProjects>>, cacheFile: string | undefined) {
  const out = new Map<string, RunnerSpec | undefined>();
  for (const [, r] of result) {
    for (const p of Object.values(r.projects ?? {})) {
      for (const t of Object.values(p.targets ?? {})) {
        const m = /^(?:sh|node) \S+ (stage|pipeline) (\S+)(?: (\S+))?(?: [0-9a-f]{16})?$/.exec(t.command ?? '');
        if (!m) continue;
        const parsed = await resolveTaskContract(root, m[2], { cacheFile, parser: async () => ({ parseContract }) });
        const contract = 'error' in parsed ? parsed : planned(root, parsed, `.factory/${m[2]}/contract.yaml`);
        out.set(
          t.command as string,
          'error' in contract
            ? { error: contract.error }
            : m[1] === 'pipeline'
              ? { required: requiredStages(contract) }
              : stageInvocation(contract, m[2], m[3]),
        );
      }
    }
  }
  return out;
}

async function infer(files: Record<string, string | Buffer>, cacheFile = CACHE, glob?: WorkspaceGlob) {
  const ws = tempWorkspace({ ...PROJECT, ...files });
  try {
    // What CONTRACT_GLOB matches.
    const contracts = Object.keys(files).filter((f) => /^\.factory\/[^/]+\/(contract|task)\.yaml$/.test(f));
    const cachePath = path.join(ws.root, cacheFile);
    const result = await inferTaskProjects(
      contracts,
      { workspaceRoot: ws.root },
      { cacheFile: cachePath, runner: RUNNER, tlsRunner: TLS_RUNNER, codeHash: CODE_HASH, ...(glob ? { glob } : {}) },
    );
    const cache = existsSync(cachePath) ? readFileSync(cachePath, 'utf8') : undefined;
    specs = await runnerSpecs(ws.root, result, cachePath);
    return { result, cache };
  } finally {
    ws.cleanup();
  }
}

const project = (r: Awaited<ReturnType<typeof infer>>['result'], root: string) => {
  const entry = r.find(([, res]) => res.projects?.[root]);
  return entry?.[1].projects?.[root];
};

/** What the runner runs for a stage target of the last inference. */
const spec = (t: TargetConfiguration) => {
  if (!specs.has(t.command as string)) throw new Error(`not a stage runner command: ${t.command}`);
  return specs.get(t.command as string) as RunnerSpec;
};

describe('inferTaskProjects', () => {
  it('infers one project per task, named by its slug, rooted at .factory/<slug>', async () => {
    const { result } = await infer({ '.factory/bd-52.1/contract.yaml': GOOD, '.factory/bd-52.2/contract.yaml': GOOD });
    expect(result.map(([f]) => f)).toEqual(['.factory/bd-52.1/contract.yaml', '.factory/bd-52.2/contract.yaml']);
    expect(project(result, '.factory/bd-52.1')).toMatchObject({
      name: 'bd-52.1',
      root: '.factory/bd-52.1',
      tags: ['factory:task', 'factory:lang:go'],
    });
  });

  it('makes a stage-<name> target per stage, chained by dependsOn, plus pipeline', async () => {
    const p = project((await infer({ '.factory/bd-1/contract.yaml': GOOD })).result, '.factory/bd-1');
    const targets = p?.targets ?? {};
    expect(Object.keys(targets)).toEqual([
      'stage-implement',
      'stage-unit-test',
      'stage-coverage',
      'stage-lint',
      'stage-format',
      'stage-contract',
      'stage-security',
      'stage-integration-test',
      'stage-review',
      'change-order',
      'rescue',
      'pipeline',
      'tcr',
      'approve',
      'rollout',
    ]);
    expect(targets['stage-implement'].dependsOn).toBeUndefined();
    expect(targets['stage-unit-test'].dependsOn).toBeUndefined();
    expect(targets['stage-coverage'].dependsOn).toEqual(['stage-unit-test']);
    expect(targets.pipeline).toMatchObject({
      cache: true,
      outputs: [],
      dependsOn: expect.arrayContaining(['stage-lint', 'stage-coverage', 'stage-review']),
    });
    // Keyed on every input of its stages (each once), so unchanged stages make it a cache hit too.
    expect(targets.pipeline.inputs).toEqual(['factory-stage', '^default', 'factory-builtin-stage', '{projectRoot}/spec.md']);
    for (const t of Object.values(targets)) expect(t.metadata?.description).toEqual(expect.any(String));
  });

  it('records a green pipeline through the stage runner: the required stages', async () => {
    const t = project((await infer({ '.factory/bd-1/contract.yaml': GOOD })).result, '.factory/bd-1')?.targets
      ?.pipeline as TargetConfiguration;
    expect(t.command).toBe(`${RUNNER} pipeline bd-1`);
    expect(spec(t)).toEqual({
      required: ['implement', 'unit-test', 'coverage', 'lint', 'format', 'contract', 'security', 'integration-test', 'review'],
    });
  });

  it('runs review as a built-in stage after every other stage, keyed on the spec and on whether the API key is set', async () => {
    const config = 'llm:\n  provider: anthropic\n  model: claude-sonnet-4-5\n';
    const targets =
      project((await infer({ '.factory/bd-1/contract.yaml': GOOD, '.factory/config.yaml': config })).result, '.factory/bd-1')?.targets ??
      {};
    const review = targets['stage-review'];
    // The one stage that speaks HTTPS starts Node directly (the others skip NODE_EXTRA_CA_CERTS).
    expect(review.command).toBe(`${TLS_RUNNER} stage bd-1 review`);
    expect(targets['stage-contract'].command).toBe(`${RUNNER} stage bd-1 contract`);
    expect(spec(review).stage).toMatchObject({ name: 'review', builtin: 'review', command: '(built in: review)', required_success: true });
    expect([...(review.dependsOn ?? [])].sort()).toEqual([
      'stage-contract',
      'stage-coverage',
      'stage-format',
      'stage-implement',
      'stage-integration-test',
      'stage-lint',
      'stage-security',
    ]);
    expect(review.inputs).toEqual(['factory-builtin-stage', '{projectRoot}/spec.md', { env: 'ANTHROPIC_API_KEY' }]);
    const named = project(
      (await infer({ '.factory/bd-1/contract.yaml': GOOD, '.factory/config.yaml': `${config}  api_key_name: MY_KEY\n` })).result,
      '.factory/bd-1',
    )?.targets?.['stage-review'];
    expect(named?.inputs).toContainEqual({ env: 'MY_KEY' });
    const none = project((await infer({ '.factory/bd-1/contract.yaml': GOOD })).result, '.factory/bd-1')?.targets?.['stage-review'];
    expect(none?.inputs).toEqual(['factory-builtin-stage', '{projectRoot}/spec.md']);
  });

  it('runs review side by side with the other stages, without TLS, when no LLM is configured (it only records why it did not run)', async () => {
    for (const config of [undefined, 'env:\n  A: b\n']) {
      const files = { '.factory/bd-1/contract.yaml': GOOD, ...(config ? { '.factory/config.yaml': config } : {}) };
      const targets = project((await infer(files)).result, '.factory/bd-1')?.targets ?? {};
      expect(targets['stage-review'].command).toBe(`${RUNNER} stage bd-1 review`);
      expect(targets['stage-review'].dependsOn).toBeUndefined();
      expect(targets['stage-coverage'].dependsOn).toEqual(['stage-unit-test']);
      expect(targets.pipeline.dependsOn).toContain('stage-review');
    }
  });

  it("finds the runner in the workspace's node_modules when not told", async () => {
    const ws = tempWorkspace({
      ...PROJECT,
      '.factory/bd-1/contract.yaml': GOOD,
      'package.json': '{}',
      'node_modules/factory/package.json': '{ "name": "factory" }',
      '.factory/config.yaml': 'llm:\n  provider: ollama\n  model: llama3\n',
    });
    try {
      const [[, r]] = await inferTaskProjects(['.factory/bd-1/contract.yaml'], { workspaceRoot: ws.root });
      const targets = r.projects?.['.factory/bd-1']?.targets ?? {};
      expect(targets['stage-lint'].command).toMatch(/^sh node_modules\/factory\/bin\/stage-runner\.sh stage bd-1 lint [0-9a-f]{16}$/);
      expect(targets['stage-review'].command).toBe('node node_modules/factory/dist/runner/stage-runner.cjs stage bd-1 review');
    } finally {
      ws.cleanup();
    }
  });

  it("ends a detected stage's command with the digest of detection's plan, so that installing a tool misses the cache though no input file changed", async () => {
    const node = {
      'web/package.json': '{ "name": "web", "scripts": { "test": "vitest run" }, "devDependencies": { "vitest": "^3.0.0" } }',
    };
    const contract = 'language: typescript\nallowed_files: ["web/**"]\n';
    const command = async (extra: Record<string, string>) =>
      (project((await infer({ ...node, ...extra, '.factory/bd-1/contract.yaml': contract })).result, '.factory/bd-1')?.targets ?? {})[
        'stage-unit-test'
      ].command;
    const missing = await command({});
    const installed = await command({ 'web/node_modules/.bin/vitest': '#!/bin/sh\n' });
    expect(missing).toMatch(new RegExp(`^${RUNNER} stage bd-1 unit-test [0-9a-f]{16}$`));
    expect(installed).toMatch(new RegExp(`^${RUNNER} stage bd-1 unit-test [0-9a-f]{16}$`));
    expect(installed).not.toBe(missing);
    expect(await command({ 'web/node_modules/.bin/vitest': '#!/bin/sh\n' })).toBe(installed);
    // What the runner makes of it: the same stage, planned again there.
    expect(spec({ command: installed } as TargetConfiguration)).toMatchObject({ slug: 'bd-1', stage: { name: 'unit-test' } });
  });

  it('gives every task approve and rollout targets (factory executors, never cached)', async () => {
    const targets = project((await infer({ '.factory/bd-1/contract.yaml': GOOD })).result, '.factory/bd-1')?.targets ?? {};
    expect(targets.approve).toMatchObject({ executor: 'factory:approve', cache: false });
    expect(targets.rollout).toMatchObject({ executor: 'factory:rollout', cache: false });
  });

  it('runs each stage through the stage runner, which reads the stage from the contract', async () => {
    const t = project((await infer({ '.factory/bd-1/contract.yaml': GOOD })).result, '.factory/bd-1')?.targets?.[
      'stage-coverage'
    ] as TargetConfiguration;
    expect(t.command).toMatch(new RegExp(`^${RUNNER} stage bd-1 coverage [0-9a-f]{16}$`));
    expect(spec(t)).toMatchObject({
      slug: 'bd-1',
      working_directory: 'svc',
      required_test_coverage: 70,
      stage: { name: 'coverage', builtin: 'coverage' },
    });
  });

  it('keys the cache on the allowed code, the contract and global files (no negated input: Nx would apply it to all), the detected manifests, the toolchain and the projects the code depends on', async () => {
    const p = project((await infer({ '.factory/bd-1/contract.yaml': GOOD })).result, '.factory/bd-1');
    const t = p?.targets?.['stage-unit-test'] as TargetConfiguration;
    expect(t.cache).toBe(true);
    // `^default`: the files of the projects the task depends on (dependencies.ts), transitively.
    expect(t.inputs).toEqual(['factory-stage', '^default']);
    expect(p?.namedInputs?.['factory-stage']).toEqual([
      '{workspaceRoot}/svc/**',
      '{projectRoot}/contract.yaml',
      '{workspaceRoot}/.factory/config.yaml',
      '{workspaceRoot}/.factory/contract.yaml',
      '{workspaceRoot}/svc/go.mod',
      { runtime: 'go version' },
      // No task.yaml, so no base commit: the change is judged against HEAD.
      HEAD_INPUT,
    ]);
    expect(t.outputs).toEqual(['{projectRoot}/results/stage-unit-test.*']);
  });

  it('keys the cache on every file of the directory the stages run in, not only the allowed ones (unjs/defu: an edit to _utils.ts, which the tests import, replayed "23 passed")', async () => {
    const narrow = GOOD.replace('svc/**', 'svc/a.go');
    const p = project((await infer({ '.factory/bd-1/contract.yaml': narrow })).result, '.factory/bd-1');
    expect(p?.namedInputs?.['factory-stage']?.slice(0, 5)).toEqual([
      '{workspaceRoot}/svc/a.go',
      '{projectRoot}/contract.yaml',
      '{workspaceRoot}/.factory/config.yaml',
      '{workspaceRoot}/.factory/contract.yaml',
      '{workspaceRoot}/svc/**',
    ]);
    // At the root, not: Nx marks a project affected by every changed file an input names under
    // {workspaceRoot}, and `nx affected` follows the allowed files (the acceptance check foundation).
    const root = project(
      (await infer({ '.factory/bd-1/contract.yaml': 'language: go\nallowed_files: ["docs/**"]\n', 'go.mod': 'module example.com/x\n' }))
        .result,
      '.factory/bd-1',
    );
    expect(root?.namedInputs?.['factory-stage']).not.toContain('{workspaceRoot}/**');
    expect(root?.namedInputs?.['factory-stage']?.[0]).toBe('{workspaceRoot}/docs/**');
  });

  it('runs the built-in stages through the same runner, keyed also on the base commit and the tree of the judged code', async () => {
    const p = project((await infer({ '.factory/bd-1/contract.yaml': GOOD })).result, '.factory/bd-1');
    const targets = p?.targets ?? {};
    for (const name of ['stage-contract', 'stage-security']) {
      const t = targets[name] as TargetConfiguration;
      expect(t.dependsOn).toBeUndefined();
      expect(t.command).toBe(`${RUNNER} stage bd-1 ${name.slice('stage-'.length)}`);
      expect(spec(t).stage).toMatchObject({ builtin: name.slice('stage-'.length) });
      expect(t.inputs).toEqual(['factory-builtin-stage']);
      expect(t.metadata?.description).toMatch(/: built in$/);
    }
    expect(p?.namedInputs?.['factory-builtin-stage']).toEqual([
      'factory-stage',
      '{projectRoot}/task.yaml',
      { runtime: `${CODE_HASH} tree bd-1 - - -` },
    ]);
    expect(targets.pipeline.dependsOn).toEqual(expect.arrayContaining(['stage-contract', 'stage-security']));
  });

  it('gives each task of identical contracts its own tree input', async () => {
    const { result } = await infer({ '.factory/bd-1/contract.yaml': GOOD, '.factory/bd-2/contract.yaml': GOOD });
    expect(project(result, '.factory/bd-2')?.namedInputs?.['factory-builtin-stage']).toContainEqual({
      runtime: `${CODE_HASH} tree bd-2 - - -`,
    });
    expect(project(result, '.factory/bd-1')?.namedInputs?.['factory-builtin-stage']).toHaveLength(3);
  });

  it('passes env from .factory/config.yaml to every stage', async () => {
    const { result } = await infer({ '.factory/config.yaml': 'env:\n  PYTHON: /usr/bin/python3\n', '.factory/bd-1/contract.yaml': GOOD });
    const t = project(result, '.factory/bd-1')?.targets?.['stage-unit-test'] as TargetConfiguration;
    expect(spec(t).env).toEqual({ PYTHON: '/usr/bin/python3' });
  });

  it('makes every stage fail with the message of an invalid config.yaml', async () => {
    const { result } = await infer({ '.factory/config.yaml': 'env:\n  PYTHON: 3\n', '.factory/bd-1/contract.yaml': GOOD });
    const t = project(result, '.factory/bd-1')?.targets?.['stage-contract'] as TargetConfiguration;
    expect(spec(t).error).toBe('.factory/config.yaml: env.PYTHON: expected a string, got 3');
  });

  it('gives tasks with identical contracts identical projects but for their slug', async () => {
    const { result } = await infer({ '.factory/bd-1/contract.yaml': GOOD, '.factory/bd-2/contract.yaml': GOOD });
    const one = JSON.stringify(project(result, '.factory/bd-1'));
    const two = JSON.stringify(project(result, '.factory/bd-2'));
    expect(two).not.toBe(one);
    expect(two).toBe(one.replaceAll('bd-1', 'bd-2'));
    expect(spec(project(result, '.factory/bd-2')?.targets?.['stage-lint'] as TargetConfiguration)).toMatchObject({ slug: 'bd-2' });
  });

  it('keeps the allowed files readable from the stage inputs for the dependency pass', async () => {
    const p = project((await infer({ '.factory/bd-1/contract.yaml': GOOD })).result, '.factory/bd-1');
    expect(allowedFilesOf(p ?? {})).toEqual(['svc/**']);
  });

  it('applies the global contract', async () => {
    const p = project(
      (await infer({ '.factory/contract.yaml': 'language: python\n', '.factory/bd-1/contract.yaml': 'allowed_files: ["**"]\n' })).result,
      '.factory/bd-1',
    );
    expect(p?.tags).toContain('factory:lang:python');
  });

  describe('a broken contract', () => {
    const files = {
      '.factory/bd-ok/contract.yaml': GOOD,
      '.factory/bd-bad/contract.yaml': 'language: [go\nallowed_files: 3\n',
      '.factory/bd-type/contract.yaml': 'language: go\nallowed_files: 3\npipeline: [{ name: docs, command: make }]\n',
    };

    it('still yields its project, beside the valid ones', async () => {
      const { result } = await infer(files);
      expect(result.map(([f]) => f).sort()).toEqual(Object.keys(files).sort());
      expect(project(result, '.factory/bd-ok')?.tags).toContain('factory:lang:go');
      expect(project(result, '.factory/bd-bad')?.tags).toContain('factory:invalid');
    });

    it('gives it stage targets that fail with the validation message', async () => {
      const { result } = await infer(files);
      const bad = project(result, '.factory/bd-type')?.targets ?? {};
      expect(Object.keys(bad)).toEqual(expect.arrayContaining(['stage-implement', 'stage-unit-test', 'stage-docs', 'pipeline']));
      expect(spec(bad['stage-implement'] as TargetConfiguration).error).toBe(
        '.factory/bd-type/contract.yaml: allowed_files: expected a list, got 3',
      );
      expect(bad['stage-implement'].cache).toBe(false);
      const yaml = spec(project(result, '.factory/bd-bad')?.targets?.['stage-implement'] as TargetConfiguration).error;
      expect(yaml).toMatch(/^\.factory\/bd-bad\/contract\.yaml: line \d+, column \d+: expected valid YAML/);
    });
  });

  it("skips Factory's own folders", async () => {
    const { result } = await infer({ '.factory/workspaces/contract.yaml': GOOD, '.factory/keys/task.yaml': 'x: 1\n' });
    expect(result).toEqual([]);
  });

  /** The reason a refused task's targets give, and that every target gives it. */
  const refusal = (p: ReturnType<typeof project>) => {
    const targets = Object.values(p?.targets ?? {});
    expect(targets.length).toBeGreaterThan(4);
    for (const t of targets) expect(t.command).toBe(`${RUNNER} refused`);
    return (targets[0].options as { env: Record<string, string> }).env.FACTORY_REFUSAL;
  };

  describe('task folders that cannot be tasks as they are, each an error on that task alone', () => {
    it('a folder whose name is no slug: a project of its own, suffixed, whose targets say why', async () => {
      const { result } = await infer({
        '.factory/bad slug/contract.yaml': GOOD,
        '.factory/CON/contract.yaml': GOOD,
        '.factory/bd-1/contract.yaml': GOOD,
      });
      expect(project(result, '.factory/bad slug')?.name).toBe('bad-slug_invalid-task');
      expect(refusal(project(result, '.factory/bad slug'))).toMatch(
        /^\.factory\/bad slug: the folder's name is not a task slug: expected a task slug of letters/,
      );
      expect(refusal(project(result, '.factory/CON'))).toMatch(/device name on Windows/);
      expect(project(result, '.factory/bd-1')?.tags).toContain('factory:lang:go');
    });

    it('two tasks that differ only in case: both refused, each naming the other', async () => {
      const { result } = await infer({
        '.factory/bd-x/contract.yaml': GOOD,
        '.factory/BD-X/contract.yaml': GOOD,
        '.factory/bd-1/contract.yaml': GOOD,
      });
      expect(refusal(project(result, '.factory/bd-x'))).toMatch(/\.factory\/BD-X differs only in case/);
      expect(refusal(project(result, '.factory/BD-X'))).toMatch(/\.factory\/bd-x differs only in case/);
      expect(project(result, '.factory/bd-1')?.tags).toContain('factory:lang:go');
    });

    it("a slug another Nx project is named (Nx's own file index): the task takes a suffixed name, the project keeps its own", async () => {
      const { result } = await infer({
        'apps/app/project.json': JSON.stringify({ name: 'app' }),
        'libs/util/package.json': JSON.stringify({ name: 'util' }),
        'libs/other/project.json': '{}',
        '.factory/app/contract.yaml': GOOD,
        '.factory/util/contract.yaml': GOOD,
        '.factory/other/contract.yaml': GOOD,
        '.factory/bd-1/contract.yaml': GOOD,
      });
      expect(project(result, '.factory/app')?.name).toBe('app_factory-task');
      expect(refusal(project(result, '.factory/app'))).toMatch(/the project at apps\/app is called "app"/);
      expect(refusal(project(result, '.factory/util'))).toMatch(/the project at libs\/util is called "util"/);
      // A project.json without a name is named by its folder.
      expect(refusal(project(result, '.factory/other'))).toMatch(/the project at libs\/other is called "other"/);
      expect(project(result, '.factory/bd-1')?.name).toBe('bd-1');
    });

    it('a task.yaml without its contract: an invalid task naming the missing file, not a vanished one', async () => {
      const { result } = await infer({
        '.factory/bd-2/task.yaml': 'slug: bd-2\n',
        '.factory/bd-1/contract.yaml': GOOD,
        '.factory/bd-1/task.yaml': 'slug: bd-1\n',
      });
      expect(result.map(([f]) => f).sort()).toEqual(['.factory/bd-1/contract.yaml', '.factory/bd-2/task.yaml']);
      expect(project(result, '.factory/bd-2')?.tags).toContain('factory:invalid');
      expect(spec(project(result, '.factory/bd-2')?.targets?.['stage-contract'] as TargetConfiguration).error).toMatch(
        /^\.factory\/bd-2\/contract\.yaml: \(document\): expected a contract file, got nothing/,
      );
    });
  });

  describe('files too large or not text: refused before they are parsed, naming the file', () => {
    it('a contract over the size limit', async () => {
      const { result } = await infer({
        '.factory/big/contract.yaml': `language: go\n# ${'x'.repeat(300 * 1024)}\n`,
        '.factory/bd-1/contract.yaml': GOOD,
      });
      const t = project(result, '.factory/big')?.targets?.['stage-contract'] as TargetConfiguration;
      expect(spec(t).error).toBe(
        '.factory/big/contract.yaml: (document): expected at most 256 KiB, found 301 KiB; a Factory file is a few kilobytes written by a person, so this one was not read',
      );
      expect(project(result, '.factory/bd-1')?.tags).toContain('factory:lang:go');
    });

    it('a contract that is not UTF-8', async () => {
      const { result } = await infer({ '.factory/latin/contract.yaml': Buffer.from('language: go\n# caf\xe9\n', 'latin1') });
      const t = project(result, '.factory/latin')?.targets?.['stage-contract'] as TargetConfiguration;
      expect(spec(t).error).toBe(
        '.factory/latin/contract.yaml: line 2: expected UTF-8 text, found bytes that are not UTF-8 (save the file as UTF-8)',
      );
    });

    it('an alias bomb', async () => {
      let bomb = 'language: go\nallowed_files: ["**"]\na0: &a0 [x, x, x, x, x, x, x, x, x]\n';
      for (let i = 1; i < 9; i++)
        bomb += `a${i}: &a${i} [${Array(9)
          .fill(`*a${i - 1}`)
          .join(', ')}]\n`;
      const { result } = await infer({ '.factory/bomb/contract.yaml': bomb });
      const t = project(result, '.factory/bomb')?.targets?.['stage-contract'] as TargetConfiguration;
      expect(spec(t).error).toMatch(
        /^\.factory\/bomb\/contract\.yaml: \(document\): expected aliases \(\*name\) that stand for at most 100 nodes/,
      );
    });

    it('a config.yaml too large: every task says so, and still loads', async () => {
      const { result } = await infer({ '.factory/config.yaml': `# ${'x'.repeat(300 * 1024)}\n`, '.factory/bd-1/contract.yaml': GOOD });
      const t = project(result, '.factory/bd-1')?.targets?.['stage-contract'] as TargetConfiguration;
      expect(spec(t).error).toMatch(/^\.factory\/config\.yaml: \(document\): expected at most 256 KiB, found 301 KiB/);
    });
  });

  it('caches parsed contracts by content, one entry for identical contracts', async () => {
    const { cache } = await infer(
      { '.factory/a1/contract.yaml': GOOD, '.factory/a2/contract.yaml': GOOD, '.factory/a3/contract.yaml': 'language: rust\n' },
      '.nx/workspace-data/factory-contracts.json',
    );
    expect(Object.keys(JSON.parse(cache ?? '{}').entries)).toHaveLength(2);
  });

  it('gives the same projects from a warm cache', async () => {
    const ws = tempWorkspace({ ...PROJECT, '.factory/bd-1/contract.yaml': GOOD });
    try {
      const cacheFile = path.join(ws.root, 'cache.json');
      const cold = await inferTaskProjects(['.factory/bd-1/contract.yaml'], { workspaceRoot: ws.root }, { cacheFile, runner: RUNNER });
      const warm = await inferTaskProjects(['.factory/bd-1/contract.yaml'], { workspaceRoot: ws.root }, { cacheFile, runner: RUNNER });
      expect(warm).toEqual(cold);
      ws.write('.factory/bd-1/contract.yaml', GOOD.replace('70', '80'));
      const changed = await inferTaskProjects(['.factory/bd-1/contract.yaml'], { workspaceRoot: ws.root }, { cacheFile, runner: RUNNER });
      specs = await runnerSpecs(ws.root, changed, cacheFile);
      expect(
        spec(changed[0][1].projects?.['.factory/bd-1']?.targets?.['stage-coverage'] as TargetConfiguration).required_test_coverage,
      ).toBe(80);
    } finally {
      ws.cleanup();
    }
  });

  it('leaves the stage runner a cache of every valid contract it infers, so that the runner never parses YAML', async () => {
    const ws = tempWorkspace({ ...PROJECT, '.factory/config.yaml': 'env:\n  A: b\n', '.factory/bd-1/contract.yaml': GOOD });
    try {
      const cacheFile = path.join(ws.root, CACHE);
      await inferTaskProjects(['.factory/bd-1/contract.yaml'], { workspaceRoot: ws.root }, { cacheFile, runner: RUNNER });
      const fromCache = await resolveTaskContract(ws.root, 'bd-1', {
        cacheFile,
        parser: () => Promise.reject(new Error('parsed: the cache was missed')),
      });
      const plan = planned(ws.root, fromCache as InferredContract, '.factory/bd-1/contract.yaml') as PlannedContract;
      expect(stageInvocation(plan, 'bd-1', 'unit-test')).toMatchObject({
        slug: 'bd-1',
        env: { A: 'b' },
        stage: { name: 'unit-test' },
      });
      // A contract edited since inference is not in the cache: the runner parses it.
      ws.write('.factory/bd-1/contract.yaml', GOOD.replace('70', '80'));
      await expect(resolveTaskContract(ws.root, 'bd-1', { cacheFile, parser: () => Promise.reject(new Error('parsed')) })).rejects.toThrow(
        'parsed',
      );
    } finally {
      ws.cleanup();
    }
  });
});

describe('inferTaskProjects: workspaces and TCR', () => {
  const TASK = 'slug: bd-1\ntitle: t\ncreated_at: 2026-01-01T00:00:00.000Z\n';
  const stageInputs = async (files: Record<string, string>) => {
    const p = project((await infer(files)).result, '.factory/bd-1');
    for (const [n, t] of Object.entries(p?.targets ?? {}))
      if (n.startsWith('stage-')) expect(t.inputs).toContain(spec(t).stage?.builtin ? 'factory-builtin-stage' : 'factory-stage');
    return p?.namedInputs?.['factory-stage'] ?? [];
  };

  it("keys every stage on the content of the task's git worktree through a shell runtime input", async () => {
    const inputs = await stageInputs({
      '.factory/bd-1/contract.yaml': GOOD,
      '.factory/bd-1/task.yaml': `${TASK}workspace:\n  backend: git\n  path: .factory/workspaces/bd-1\n  branch: factory/bd-1\n  created_at: 2026-01-01T00:00:00.000Z\n`,
    });
    expect(inputs).toContainEqual({ runtime: `${CODE_HASH} workspace bd-1 git '.factory/workspaces/bd-1' -` });
  });

  it('gives tasks that share a contract their own workspace input', async () => {
    const ptr = (slug: string) =>
      `slug: ${slug}\ntitle: t\ncreated_at: 2026-01-01T00:00:00.000Z\nworkspace:\n  backend: git\n  path: .factory/workspaces/${slug}\n`;
    const { result } = await infer({
      '.factory/bd-1/contract.yaml': GOOD,
      '.factory/bd-1/task.yaml': ptr('bd-1'),
      '.factory/bd-2/contract.yaml': GOOD,
      '.factory/bd-2/task.yaml': ptr('bd-2'),
    });
    const hashed = (root: string) =>
      JSON.stringify(project(result, root)?.namedInputs?.['factory-stage']?.filter((i) => JSON.stringify(i).includes('code-hash')));
    expect(hashed('.factory/bd-1')).toContain(".factory/workspaces/bd-1'");
    expect(hashed('.factory/bd-2')).toContain(".factory/workspaces/bd-2'");
  });

  it('names a jj workspace to the code-hash script (which hands it to the runner)', async () => {
    const inputs = await stageInputs({
      '.factory/bd-1/contract.yaml': GOOD,
      '.factory/bd-1/task.yaml': `${TASK}workspace: { backend: jj, path: ../ws/bd-1 }\n`,
    });
    expect(inputs).toContainEqual({ runtime: `${CODE_HASH} workspace bd-1 jj '../ws/bd-1' -` });
  });

  it('adds no workspace input to a task without a workspace', async () => {
    const inputs = await stageInputs({
      '.factory/bd-1/contract.yaml': GOOD,
      '.factory/bd-1/task.yaml': `${TASK}base_commit: ${'a'.repeat(40)}\n`,
    });
    expect(inputs.filter((i) => typeof i === 'object' && 'runtime' in i)).toEqual([{ runtime: 'go version' }]);
  });

  it('keys a task without a base commit on HEAD, which its change is judged against, and one with a base commit not', async () => {
    const without = await stageInputs({ '.factory/bd-1/contract.yaml': GOOD, '.factory/bd-1/task.yaml': TASK });
    expect(without.filter((i) => typeof i === 'object' && 'runtime' in i)).toEqual([{ runtime: 'go version' }, HEAD_INPUT]);
    const based = await stageInputs({
      '.factory/bd-1/contract.yaml': GOOD,
      '.factory/bd-1/task.yaml': `${TASK}base_commit: ${'b'.repeat(40)}\n`,
    });
    expect(based).not.toContainEqual(HEAD_INPUT);
  });

  it('adds a tcr target running factory:tcr, never cached', async () => {
    const t = project((await infer({ '.factory/bd-1/contract.yaml': GOOD })).result, '.factory/bd-1')?.targets?.tcr;
    expect(t).toMatchObject({
      executor: 'factory:tcr',
      cache: false,
      metadata: { description: expect.stringContaining('Test-Code-Revert') },
    });
  });

  it('adds the tcr target to a task with a broken contract too (it reports the contract)', async () => {
    const t = project((await infer({ '.factory/bd-1/contract.yaml': 'language: [go\n' })).result, '.factory/bd-1')?.targets?.tcr;
    expect(t?.executor).toBe('factory:tcr');
  });
});

describe('stamper', () => {
  const template = {
    name: SLUG_TOKEN,
    root: `.factory/${SLUG_TOKEN}`,
    targets: {
      'stage-a': { command: `run stage ${SLUG_TOKEN} a`, metadata: { description: 'quotes " and \\ and \u2028 and ünïcode, no token' } },
      t: { inputs: [`${SLUG_TOKEN}/${SLUG_TOKEN}`, { runtime: `x ${SLUG_TOKEN}` }], cache: true, n: 3, nothing: null },
    },
  };
  const json = JSON.stringify(template);

  it('gives what parsing the JSON with the slug stamped in gives, a fresh object each time', () => {
    const stamp = stamper(json);
    const one = stamp('bd-1');
    expect(one).toEqual(JSON.parse(json.replaceAll(SLUG_TOKEN, 'bd-1')));
    const two = stamp('bd-2');
    expect(two).toEqual(JSON.parse(json.replaceAll(SLUG_TOKEN, 'bd-2')));
    (one.targets as Record<string, { inputs?: unknown[] }>).t.inputs?.push('mutated');
    expect(stamp('bd-1')).toEqual(JSON.parse(json.replaceAll(SLUG_TOKEN, 'bd-1')));
  });

  it('treats the slug as a value, never as code', () => {
    const evil = '"+process.exit(9)+"';
    expect(stamper(json)(evil).name).toBe(evil);
  });

  it('falls back to parsing when the token is in a key', () => {
    const keyed = JSON.stringify({ [`k-${SLUG_TOKEN}`]: SLUG_TOKEN });
    expect(stamper(keyed)('bd-3')).toEqual({ 'k-bd-3': 'bd-3' });
  });
});
