import path from 'node:path';
import type { CreateNodesContext, CreateNodesResult, ProjectConfiguration } from '@nx/devkit';
import { baseCommitOf, FACTORY_DIR, readDocumentIfExists, readWorkspacePointer, RESERVED_SLUGS, validateSlug } from '@factory/core';
import { ContractCache } from '../runner/contract-cache';
import { planned, type InferredContract, type InvalidContract, type PlannedContract } from '../runner/inferred-contract';
import { contractCacheKey, readGlobalTexts } from '../runner/task-contract';
import { pluginCommands, type PluginCommands } from './runner-path';
import { codeHashInput, HEAD_INPUT, type TaskWhereabouts } from './code-hash-input';
import { otherProjectNames, type WorkspaceGlob } from './project-names';
import { BUILTIN_STAGE_INPUTS, buildTaskProject, refusedTaskProject, STAGE_INPUTS } from './targets';

/**
 * Task folders: exactly one level under `.factory/` (never inside a task workspace), found by
 * their contract or their task.yaml, so that a task whose contract went missing is an error on
 * that task rather than a project that silently vanishes.
 */
export const CONTRACT_GLOB = `${FACTORY_DIR}/*/{contract,task}.yaml`;

/** Stands for the slug in a project template; slugs cannot contain "_", so it never collides with one. */
export const SLUG_TOKEN = '__factory_slug__';

/** Where the parsed-contract cache lives (Nx's workspace data directory; undefined: no cache), and the plugin's commands (default: found in the workspace's node_modules). */
export type InferenceEnv = { cacheFile?: string; glob?: WorkspaceGlob } & Partial<PluginCommands>;

/** The task's workspace and base commit as its task.yaml records them (the workspace itself is not looked at). */
function whereaboutsOf(root: string, projectRoot: string): TaskWhereabouts {
  try {
    const text = readDocumentIfExists(path.join(root, projectRoot, 'task.yaml'), `${projectRoot}/task.yaml`) ?? '';
    return { workspace: readWorkspacePointer(text).pointer, base: baseCommitOf(text) };
  } catch {
    return {}; // Unreadable: the stage itself reports the file when it runs.
  }
}

/**
 * Compiles a project template (JSON, the slug as SLUG_TOKEN) into a function that returns a
 * fresh copy for one slug: five times faster than parsing the JSON for each task, which was the
 * largest share of inference time with a thousand tasks (docs/benchmarks.md). JSON is a
 * JavaScript expression; each string literal holding the token becomes a concatenation with the
 * parameter `s`, so the slug is a value, never code, and every other string stays the literal
 * JSON.stringify wrote. Should the token ever sit in a key (it does not), compiling fails and
 * the template is parsed per task instead.
 */
export function stamper(json: string): (slug: string) => ProjectConfiguration {
  const code = json.replace(/"(?:[^"\\]|\\.)*"/g, (literal) =>
    literal.includes(SLUG_TOKEN) ? literal.split(SLUG_TOKEN).join('"+s+"') : literal,
  );
  try {
    return new Function('s', `"use strict"; return ${code};`) as (slug: string) => ProjectConfiguration;
  } catch {
    return (slug) => JSON.parse(json.replaceAll(SLUG_TOKEN, slug)) as ProjectConfiguration;
  }
}

type Parser = typeof import('../runner/contract-parser');
let parser: Promise<Parser> | undefined;
/**
 * The contract parser (YAML and zod), loaded only when a contract is not in the cache: in the
 * published plugin it is a bundle of its own, so a warm graph computation never loads it.
 */
const loadParser = () => (parser ??= import('../runner/contract-parser'));

/**
 * Infers one Nx project per task contract. Never throws for one bad file: a contract that
 * cannot be read or validated still yields its task's project, whose stage targets fail
 * with the validation message, so `nx show projects` and every other task keep working.
 */
export async function inferTaskProjects(
  files: readonly string[],
  context: Pick<CreateNodesContext, 'workspaceRoot'>,
  env: InferenceEnv = {},
): Promise<Array<readonly [string, CreateNodesResult]>> {
  const root = context.workspaceRoot;
  // config.yaml's `env` reaches every stage; it is parsed with the contracts, so it is cached with them.
  let globals: ReturnType<typeof readGlobalTexts>;
  let globalsError: string | undefined;
  try {
    globals = readGlobalTexts(root);
  } catch (e) {
    globals = {};
    globalsError = readError(e, `${FACTORY_DIR}/config.yaml or ${FACTORY_DIR}/contract.yaml`);
  }
  const found = pluginCommands(root);
  const runner = env.runner ?? found.runner;
  const tlsRunner = env.tlsRunner ?? found.tlsRunner;
  const codeHash = env.codeHash ?? found.codeHash;
  const cache = env.cacheFile ? new ContractCache(env.cacheFile) : undefined;
  const out: Array<readonly [string, CreateNodesResult]> = [];
  // Tasks with identical contracts get identical projects but for their slug: build one
  // template per contract and stamp the slug into it (a large share of inference time).
  const templates = new Map<string, (slug: string) => ProjectConfiguration>();
  const plans = new Map<string, PlannedContract>();
  // A contract that itself contains the token is built directly, never stamped.
  const globalsHaveToken = `${globals.global ?? ''}${globals.config ?? ''}`.includes(SLUG_TOKEN);

  const folders = taskFolders(files);
  const refusals = await refusedFolders(root, folders, env.glob);
  for (const [projectRoot, { slug, file, hasContract }] of folders) {
    if (RESERVED_SLUGS.has(slug.toLowerCase())) continue; // `.factory/workspaces` and the like: Factory's own folders.
    const refusal = refusals.get(projectRoot);
    if (refusal) {
      out.push([file, { projects: { [projectRoot]: refusedTaskProject({ runner, projectRoot, ...refusal }) } }]);
      continue;
    }
    let contract: InferredContract | { error: string; stageNames: string[] };
    let key: string | undefined;
    const contractFile = `${projectRoot}/contract.yaml`;
    if (globalsError) contract = { error: globalsError, stageNames: [] };
    else if (!hasContract) {
      contract = {
        error: `${contractFile}: (document): expected the task's contract beside its task.yaml, got nothing (it does not exist); restore it (git checkout -- ${contractFile}) or remove the task folder`,
        stageNames: [],
      };
    } else
      try {
        const text = readDocumentIfExists(path.join(root, contractFile), contractFile) ?? '';
        key = globalsHaveToken || text.includes(SLUG_TOKEN) ? undefined : contractCacheKey({ ...globals, task: text });
        const cached = key === undefined ? undefined : (cache?.get(key) as InferredContract | undefined);
        if (cached) contract = cached;
        else {
          contract = (await loadParser()).parseContract(globals.global, text, contractFile, globals.config);
          if (key !== undefined && !('error' in contract)) cache?.set(key, contract);
        }
      } catch (e) {
        contract = { error: readError(e, contractFile), stageNames: [] };
      }
    // Planned once per distinct contract: detection reads the project's files (cheap, never cached across runs).
    let plan: PlannedContract | InvalidContract;
    if ('error' in contract) plan = contract;
    else if (key !== undefined && plans.has(key)) plan = plans.get(key) as PlannedContract;
    else {
      plan = planned(root, contract, file);
      if (key !== undefined && !('error' in plan)) plans.set(key, plan);
    }
    let project: ProjectConfiguration;
    if (key !== undefined && !('error' in plan)) {
      let stamp = templates.get(key);
      if (stamp === undefined) {
        stamp = stamper(
          JSON.stringify(
            buildTaskProject({
              slug: SLUG_TOKEN,
              projectRoot: `${FACTORY_DIR}/${SLUG_TOKEN}`,
              contract: plan,
              runner,
              tlsRunner,
              llmKeyEnv: plan.llm_key_env,
              llm: plan.llm === true,
            }),
          ),
        );
        templates.set(key, stamp);
      }
      project = stamp(slug);
    } else {
      project = buildTaskProject({
        slug,
        projectRoot,
        contract: plan,
        runner,
        tlsRunner,
        llmKeyEnv: 'error' in plan ? undefined : plan.llm_key_env,
        llm: !('error' in plan) && plan.llm === true,
      });
    }
    // The judged code beyond the files Nx hashes (see code-hash-input.ts): the task's workspace
    // (ignored by Nx) for every stage, every changed file for built-in stages.
    const where = whereaboutsOf(root, projectRoot);
    const named = project.namedInputs;
    const workspaceInput = codeHashInput(codeHash, 'workspace', slug, where);
    if (workspaceInput) named?.[STAGE_INPUTS]?.push(workspaceInput);
    if (!where.base) named?.[STAGE_INPUTS]?.push({ ...HEAD_INPUT });
    named?.[BUILTIN_STAGE_INPUTS]?.push(codeHashInput(codeHash, 'tree', slug, where) as { runtime: string });
    out.push([file, { projects: { [projectRoot]: project } }]);
  }
  cache?.save();
  return out;
}

/** A file that could not be read, as a problem naming it (core's document errors name it already). */
function readError(e: unknown, file: string): string {
  const message = (e as Error).message;
  return message.startsWith(`${FACTORY_DIR}/`) ? message : `${file}: (document): could not be read: ${message}`;
}

interface TaskFolder {
  slug: string;
  /** The file Nx matched that the project is reported for (the contract when there is one). */
  file: string;
  hasContract: boolean;
}

/** The task folders the matched files are in, each once. */
function taskFolders(files: readonly string[]): Map<string, TaskFolder> {
  const folders = new Map<string, TaskFolder>();
  for (const f of files) {
    const file = f.split(path.sep).join('/');
    const projectRoot = path.posix.dirname(file);
    const isContract = path.posix.basename(file) === 'contract.yaml';
    const known = folders.get(projectRoot);
    if (known && !isContract) continue;
    folders.set(projectRoot, { slug: path.posix.basename(projectRoot), file, hasContract: isContract });
  }
  return folders;
}

/**
 * Task folders that cannot be Nx projects as they are, and why: a name that is no slug, a slug
 * another task has in another case (one folder on case-insensitive file systems), a slug another
 * Nx project is named (Nx would refuse the whole graph). Each becomes a project of its own name
 * (suffixed where the slug is taken) whose targets fail with the reason.
 */
async function refusedFolders(
  root: string,
  folders: Map<string, TaskFolder>,
  glob: WorkspaceGlob | undefined,
): Promise<Map<string, { name: string; reason: string }>> {
  const refused = new Map<string, { name: string; reason: string }>();
  const byCase = new Map<string, string[]>();
  const slugs = new Set<string>();
  for (const [projectRoot, { slug }] of folders) {
    if (RESERVED_SLUGS.has(slug.toLowerCase())) continue;
    const v = validateSlug(slug);
    if (!v.ok) {
      const name = `${slug.replace(/[^A-Za-z0-9.-]/g, '-')}_invalid-task`;
      refused.set(projectRoot, { name, reason: `${projectRoot}: the folder's name is not a task slug: ${v.error}; rename the folder` });
      continue;
    }
    slugs.add(slug);
    byCase.set(slug.toLowerCase(), [...(byCase.get(slug.toLowerCase()) ?? []), slug]);
  }
  for (const same of byCase.values()) {
    if (same.length < 2) continue;
    for (const slug of same) {
      const others = same.filter((s) => s !== slug).map((s) => `${FACTORY_DIR}/${s}`);
      refused.set(`${FACTORY_DIR}/${slug}`, {
        name: slug,
        reason: `${FACTORY_DIR}/${slug}: expected a slug no other task has in any case, but ${others.join(', ')} differs only in case (one folder on case-insensitive file systems); rename all but one`,
      });
    }
  }
  const taken = await otherProjectNames(root, slugs, glob);
  for (const [slug, where] of taken) {
    refused.set(`${FACTORY_DIR}/${slug}`, {
      name: `${slug}_factory-task`,
      reason: `${FACTORY_DIR}/${slug}: expected a slug that is no other Nx project's name, but the project at ${where} is called "${slug}" (Nx needs each name once); rename the task folder and the slug in its task.yaml`,
    });
  }
  return refused;
}
