import { readFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import type { StageResult } from '../../../domain/results';
import type { Stage } from '../../../domain/stage';
import { standardPipeline } from '../../../pipeline/standard';
import { profileFor } from '../../../testing/profiles';
import { tempRepo, type TempRepo } from '../../../repo/__fixtures__/temp-repo';
import { builtinRegistry, type PreparedTask } from '../../builtin-stage';
import { runStage } from '../../run-stage';
import { CORE_BUILTIN_STAGES } from '../index';

export const SLUG = 't1';

export interface TaskRepo extends TempRepo {
  base: string;
  /** Replaces fields of the task's contract. */
  contract(fields: Record<string, unknown>): void;
  /** Runs a built-in stage (`contract`, `security`) with the task's code in `codeRoot` (default: the repository). */
  stage(name: 'contract' | 'security', codeRoot?: string, prepared?: PreparedTask): Promise<{ result: StageResult; out: string; log: string }>;
}

/**
 * A repository whose base commit holds `src/app.ts`, `package.json`, `go.mod`, `Cargo.toml` and
 * `pyproject.toml`; the task `t1` (files under `.factory/`, written after the base commit)
 * allows `src/**` and the manifests, forbids `src/secret*`, and allows 20 changed lines.
 */
export function taskRepo(dir?: string): TaskRepo {
  const repo = tempRepo(dir);
  repo.write('src/app.ts', 'export const app = 1;\n');
  repo.write('package.json', '{\n  "name": "app",\n  "dependencies": {\n    "zod": "^4.0.0"\n  }\n}\n');
  repo.write('go.mod', 'module example.com/app\n\ngo 1.19\n');
  repo.write('Cargo.toml', '[package]\nname = "app"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\n');
  repo.write('pyproject.toml', '[project]\nname = "app"\nversion = "0.1.0"\ndependencies = []\n');
  const base = repo.commitAll('base');
  let contract: Record<string, unknown> = {
    language: 'typescript',
    allowed_files: ['src/**', 'package.json', 'package-lock.json', 'go.mod', 'go.sum', 'Cargo.toml', 'Cargo.lock', 'pyproject.toml', 'requirements.txt'],
    forbidden_files: ['src/secret*'],
    max_lines_changed: 20,
  };
  const writeContract = () => repo.write(`.factory/${SLUG}/contract.yaml`, stringify(contract));
  repo.write('.factory/contract.yaml', 'new_dependencies_allowed: false\n');
  repo.write(`.factory/${SLUG}/task.yaml`, stringify({ slug: SLUG, title: 'test', created_at: '2026-01-01T00:00:00.000Z', base_commit: base }));
  writeContract();
  return {
    ...repo,
    base,
    contract(fields) {
      contract = { ...contract, ...fields };
      writeContract();
    },
    async stage(name, codeRoot = repo.dir, prepared) {
      const stage = standardPipeline(profileFor('typescript')).find((s) => s.name === name) as Stage;
      let out = '';
      const result = await runStage(
        { slug: SLUG, stage, working_directory: '.', required_test_coverage: 0 },
        { root: repo.dir, codeRoot, out: (t) => (out += t), builtins: builtinRegistry(CORE_BUILTIN_STAGES), prepared },
      );
      return { result, out, log: readFileSync(path.join(repo.dir, result.log_file), 'utf8') };
    },
  };
}
