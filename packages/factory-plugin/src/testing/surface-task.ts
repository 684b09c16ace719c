import { execFileSync } from 'node:child_process';
import path from 'node:path';
import {
  builtinRegistry,
  completePipeline,
  CORE_BUILTIN_STAGES,
  loadContract,
  afterGreenPipeline,
  codeTreeId,
  recordStageRun,
  attestStage,
  runStage,
  toYaml,
  type EvidenceIo,
} from '@factory/core';
import { tempWorkspace } from './temp-workspace';

export interface SurfaceStage {
  name: string;
  /** A shell command, or (with `builtin`) none. */
  command?: string;
  builtin?: 'contract' | 'security';
  required_success?: boolean;
  needs?: string[];
}

const io: EvidenceIo = { actor: async () => 'dev@example.com', lifecycle: async () => ({ afterGreenPipeline }) };

/**
 * For the surfaces' tests: a real git repository with Factory's layout and one task whose
 * allowed files are `packages/app/**`, and a helper that runs its stages with the real stage
 * runner and records them as the pipeline does.
 */
export function surfaceTask(slug: string, options: { title?: string; stages: SurfaceStage[]; config?: string }) {
  const base = tempWorkspace({
    'nx.json': '{}\n',
    '.gitignore': '.factory/*/results/\n.factory/workspaces/\n',
    'packages/app/src/index.ts': 'export const greet = (n: string) => `hello ${n}`;\n',
    ...(options.config ? { '.factory/config.yaml': options.config } : {}),
  });
  const git = (...a: string[]) =>
    execFileSync('git', ['-c', 'user.email=dev@example.com', '-c', 'user.name=Dev', ...a], { cwd: base.root, encoding: 'utf8' });
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('commit', '-qm', 'init');
  const head = git('rev-parse', 'HEAD').trim();
  base.write(
    `.factory/${slug}/task.yaml`,
    toYaml({ slug, title: options.title ?? `Task ${slug}`, created_at: '2026-01-01T00:00:00.000Z', base_commit: head }),
  );
  base.write(
    `.factory/${slug}/contract.yaml`,
    toYaml({
      language: 'typescript',
      allowed_files: ['packages/app/**'],
      pipeline: options.stages.map((s) => ({ description: s.name, timeout_seconds: 60, required_success: true, needs: [], ...s })),
    }),
  );
  git('add', '-A');
  git('commit', '-qm', 'task');
  return {
    root: base.root,
    slug,
    write: base.write,
    git,
    cleanup: base.cleanup,
    path: (f: string) => path.join(base.root, f),
    /** Runs every stage (or the named ones) and, when all are asked for, the pipeline's last step. */
    async run(names?: string[]): Promise<void> {
      const loaded = loadContract(base.root, slug).value;
      if (!loaded) throw new Error(`invalid contract: ${JSON.stringify(loadContract(base.root, slug).errors)}`);
      for (const stage of loaded.pipeline) {
        if (names && !names.includes(stage.name)) continue;
        const r = await runStage(
          { slug, stage, working_directory: '.', required_test_coverage: 0 },
          {
            root: base.root,
            codeRoot: base.root,
            out: () => undefined,
            builtins: builtinRegistry({ ...CORE_BUILTIN_STAGES }),
            codeTree: () => codeTreeId(base.root),
          },
        );
        if (r.code_tree) await attestStage(base.root, { slug, stage: r.stage_name, codeTree: r.code_tree, key: null });
        await recordStageRun(base.root, r, io);
      }
      if (!names)
        await completePipeline(
          base.root,
          slug,
          loaded.pipeline.filter((s) => s.required_success).map((s) => s.name),
          io,
        );
    },
  };
}
export type SurfaceTask = ReturnType<typeof surfaceTask>;
