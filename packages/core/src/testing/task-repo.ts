import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { codeTreeId } from '../code-hash/tree';
import { attestStage } from '../evidence/attest';
import { formatPublicKeyFile, publicKeyFile } from '../evidence/key-file';
import { generateSigningKey, privateKeyPem } from '../evidence/keys';
import type { StageResult } from '../domain/results';
import { afterGreenPipeline } from '../lifecycle/after-pipeline';
import { completePipeline, recordStageRun, type EvidenceIo } from '../stage/record';
import { runStage } from '../stage/run-stage';
import { loadContract } from '../store/load';
import { toYaml } from '../store/yaml';

/**
 * For tests: a real git repository with one Factory task whose allowed files are
 * `packages/app/**`, and helpers that run its stages with the real stage runner.
 */
export interface TaskRepo {
  root: string;
  slug: string;
  write(file: string, content: string): void;
  git(...args: string[]): string;
  /** Runs the named stages (default: all, in pipeline order) as the runner does, recording evidence. */
  runStages(names?: string[]): Promise<StageResult[]>;
  /** Runs every stage, then the pipeline target's step; returns the required stages not green. */
  runPipeline(): Promise<string[]>;
  /** With `extra.signing`: the listed, trusted key's id, and the environment that makes it this machine's key. */
  signing?: { keyid: string; env: Record<string, string> };
  cleanup(): void;
}

/**
 * An environment without a signing key: no FACTORY_SIGNING_KEY, a home with no key file, no OS
 * keyring. Tests that approve unsigned evidence use it, so a key on the machine running them
 * (made by factory keys init) does not sign their approvals with a key their repository does not list.
 */
export const NO_SIGNING_KEY_ENV: Record<string, string> = {
  FACTORY_SIGNING_KEY: '',
  FACTORY_KEYRING: 'off',
  HOME: path.join(tmpdir(), 'factory-test-no-home'),
  XDG_CONFIG_HOME: path.join(tmpdir(), 'factory-test-no-home', 'config'),
};

export const testEvidenceIo = (actor = 'ci-bot@example.com'): EvidenceIo => ({
  actor: async () => actor,
  lifecycle: async () => ({ afterGreenPipeline }),
});

export interface StageDef {
  name: string;
  /** Absent: a built-in stage named like one (`review`). */
  command?: string;
  required_success?: boolean;
  needs?: string[];
}

export function makeTaskRepo(
  slug: string,
  stages: StageDef[],
  extra: { config?: string; beads_id?: string; signing?: { owner: string; audit: boolean } } = {},
): TaskRepo {
  const root = mkdtempSync(path.join(tmpdir(), 'factory-task-'));
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.email=dev@example.com', '-c', 'user.name=Dev', ...args], { cwd: root, encoding: 'utf8' });
  const write = (file: string, content: string) => {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), content);
  };
  git('init', '-q');
  git('config', 'user.email', 'dev@example.com');
  write('packages/app/src/index.ts', 'export const greet = (n: string) => `hello ${n}`;\n');
  // What runs leave (as factory:init writes it), and the rollout's health files of the tests.
  write('.gitignore', '.factory/*/results/\n.factory/*/activity.jsonl\n.factory/*/metrics.yaml\n.factory/*/llm/\nhealth-*.json\n');
  write(
    `.factory/${slug}/task.yaml`,
    toYaml({
      slug,
      title: `Task ${slug}`,
      created_at: '2026-01-01T00:00:00.000Z',
      ...(extra.beads_id ? { beads_id: extra.beads_id } : {}),
    }),
  );
  write(
    `.factory/${slug}/contract.yaml`,
    toYaml({
      language: 'typescript',
      allowed_files: ['packages/app/**'],
      pipeline: stages.map((s) => ({ description: s.name, timeout_seconds: 60, required_success: true, needs: [], ...s })),
    }),
  );
  // A signing key listed in .factory/keys/ and trusted for every stage and approvals (for audit: as asked).
  const key = extra.signing ? generateSigningKey() : null;
  if (key && extra.signing) {
    write(publicKeyFile(key.keyid), formatPublicKeyFile({ ...key, owner: extra.signing.owner, created: '2026-01-01T00:00:00.000Z' }));
    const trust = `evidence:\n  trusted_keys:\n    ${key.keyid}: { audit: ${extra.signing.audit} }\n`;
    write('.factory/config.yaml', `${extra.config ?? ''}${trust}`);
  } else if (extra.config) write('.factory/config.yaml', extra.config);
  git('add', '-A');
  git('commit', '-qm', 'init');

  const runStages = async (names?: string[]) => {
    const loaded = loadContract(root, slug).value;
    if (!loaded) throw new Error(`invalid contract: ${JSON.stringify(loadContract(root, slug).errors)}`);
    const out: StageResult[] = [];
    for (const stage of loaded.pipeline) {
      if (names && !names.includes(stage.name)) continue;
      const r = await runStage(
        {
          slug,
          stage,
          working_directory: '.',
          required_test_coverage: loaded.contract.required_test_coverage,
        },
        { root, codeRoot: root, out: () => undefined, codeTree: () => codeTreeId(root) },
      );
      // As the runner does: the attestation beside the result (unsigned unless the repository lists a key).
      if (r.code_tree) await attestStage(root, { slug, stage: r.stage_name, codeTree: r.code_tree, key });
      await recordStageRun(root, r, testEvidenceIo());
      out.push(r);
    }
    return out;
  };
  return {
    root,
    slug,
    write,
    git,
    runStages,
    async runPipeline() {
      const loaded = loadContract(root, slug).value;
      if (!loaded) throw new Error('invalid contract');
      await runStages();
      return completePipeline(
        root,
        slug,
        loaded.pipeline.filter((s) => s.required_success).map((s) => s.name),
        testEvidenceIo(),
      );
    },
    ...(key ? { signing: { keyid: key.keyid, env: { FACTORY_SIGNING_KEY: privateKeyPem(key) } } } : {}),
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}
