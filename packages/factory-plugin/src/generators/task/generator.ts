import { logger, type GeneratorCallback, type Tree } from '@nx/devkit';
import { GLOBAL_FILES, appendAuditEvent, automaticActor, contractFromTexts, describePlan, formatProblem } from '@factory/core';
import { readBeadsIssue } from './lib/beads';
import { initGenerator, isPluginRegistered } from '../init/generator';
import { contractYaml, taskYaml } from './lib/files';
import { ignoringRule } from './lib/ignored';
import { treeReader } from './lib/tree-reader';
import { normalizeTaskOptions } from './lib/normalize';
import { workspaceCallback } from './lib/workspace';
import { TaskGeneratorSchema, type TaskGeneratorOptions } from './options';

/**
 * Creates a task: `.factory/<slug>/task.yaml` and `contract.yaml`. Every option is checked
 * first, so a bad slug or glob writes nothing. The returned callback (run by Nx after the
 * files are written, never with --dry-run) creates the task's workspace.
 */
export async function taskGenerator(tree: Tree, raw: TaskGeneratorOptions): Promise<GeneratorCallback> {
  const parsed = TaskGeneratorSchema.safeParse(raw);
  if (!parsed.success) throw new Error(parsed.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('\n'));
  const beads = parsed.data.beads === undefined ? undefined : await readBeadsIssue(tree, parsed.data.beads);
  const o = normalizeTaskOptions(tree, parsed.data, beads);
  if (!isPluginRegistered(tree)) await initGenerator(tree, {});

  const dir = `.factory/${o.slug}`;
  const global = tree.exists(GLOBAL_FILES.contract) ? (tree.read(GLOBAL_FILES.contract, 'utf-8') ?? undefined) : undefined;
  const checkContract = (text: string) =>
    contractFromTexts(tree.root, { global, task: text }, { global: GLOBAL_FILES.contract, task: `${dir}/contract.yaml` }, treeReader(tree));
  let contract = contractYaml(o);
  let check = checkContract(contract);
  // Allowed files reaching beyond --directory's project (a sibling package too) would put the
  // stages at their common base, where the project's tools are not (unjs/destr: every tool stage
  // "not configured" at the root, and a green pipeline): the stages run where --directory says.
  if (check.value && parsed.data.allowedFiles && o.directory !== '.') {
    const own = checkContract(contractYaml({ ...o, allowedFiles: [`${o.directory}/**`] })).value?.profile.directory;
    if (own && own !== check.value.profile.directory) {
      const pinned = { ...o, workingDirectory: own };
      const again = checkContract(contractYaml(pinned));
      if (again.value) [contract, check] = [contractYaml(pinned), again];
    }
  }
  if (!check.value) throw new Error(check.errors.map(formatProblem).join('\n'));

  tree.write(`${dir}/task.yaml`, taskYaml(o, new Date()));
  tree.write(`${dir}/contract.yaml`, contract);

  logger.info(`Task ${o.slug} (${o.language}), its stages and the tools they use:`);
  for (const line of describePlan(check.value.profile)) logger.info(`  ${line}`);
  if (beads)
    logger.info(`From Beads issue ${beads.id} (read with ${beads.source === 'bd' ? 'bd show' : '.beads/issues.jsonl, read-only'}).`);
  const ignored = ignoringRule(tree.root, `${dir}/task.yaml`);
  if (ignored)
    logger.warn(
      `git ignores ${dir}/ (${ignored}), so Nx will not see the task and it cannot be committed: un-ignore it, e.g. add !/.factory/ below that rule.`,
    );
  logger.info(`Run its pipeline with: nx run ${o.slug}:pipeline`);
  logger.info(
    `Commit ${dir}/ (task.yaml, contract.yaml) and the audit trail in .factory/ with it, so that CI and the reviewer see the task.`,
  );
  // After the files are written (never on --dry-run): the task's first event, then its workspace.
  const workspace = parsed.data.skipWorkspace ? undefined : workspaceCallback(tree.root, o.slug);
  return async () => {
    await appendAuditEvent(tree.root, {
      task: o.slug,
      actor: await automaticActor(tree.root),
      action: 'task_created',
      outcome: 'success',
      details: { title: o.title, ...(o.beadsId ? { beads_id: o.beadsId } : {}) },
    });
    await workspace?.();
  };
}

export default taskGenerator;
