import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { formatPublicKeyFile, publicKeyFile } from '../evidence/key-file';
import { generateSigningKey, type SigningKey } from '../evidence/keys';
import { stageResultFiles } from '../store/paths';

/**
 * For tests: a real git repository with one task's files under `.factory/<slug>/`, signing
 * keys listed in `.factory/keys/`, and stage results written as the stage runner writes them.
 */
export interface EvidenceRepo {
  root: string;
  slug: string;
  write(file: string, content: string): void;
  read(file: string): string;
  git(...args: string[]): string;
  /** The code's git tree id: tracked and untracked non-ignored files, `.factory/` excluded (a temporary index). */
  codeTree(): string;
  /** Makes a key, lists it in `.factory/keys/` with `owner`, and (unless `trust` is false) trusts it in the config. */
  addKey(owner: string, trust?: string | false): SigningKey;
  /** Writes `results/stage-<name>.json` and `.log` as a run would. */
  writeResult(stage: string, fields?: Record<string, unknown>, log?: string): void;
  cleanup(): void;
}

export function makeEvidenceRepo(slug = 'bd-1'): EvidenceRepo {
  const root = mkdtempSync(path.join(tmpdir(), 'factory-evidence-'));
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.email=dev@example.com', '-c', 'user.name=Dev', ...args], { cwd: root, encoding: 'utf8' });
  const write = (file: string, content: string) => {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), content);
  };
  const trust: string[] = [];
  const writeConfig = () => write('.factory/config.yaml', `version: 1\nevidence:\n  trusted_keys:\n${trust.join('') || '    {}\n'}`);
  git('init', '-q');
  write('packages/app/src/index.ts', 'export const greet = (n: string) => `hello ${n}`;\n');
  write('.gitignore', '.factory/*/results/\n');
  write('.factory/contract.yaml', 'max_lines_changed: 500\n');
  write(`.factory/${slug}/contract.yaml`, 'language: typescript\nallowed_files: ["packages/app/**"]\n');
  writeConfig();
  git('add', '-A');
  git('commit', '-qm', 'init');
  return {
    root,
    slug,
    write,
    read: (file) => readFileSync(path.join(root, file), 'utf8'),
    git,
    codeTree() {
      const index = path.join(root, '.git', 'factory-test-index');
      const env = { ...process.env, GIT_INDEX_FILE: index };
      rmSync(index, { force: true });
      execFileSync('git', ['add', '-A', '--', '.', ':(exclude).factory'], { cwd: root, env });
      const tree = execFileSync('git', ['write-tree'], { cwd: root, env, encoding: 'utf8' }).trim();
      rmSync(index, { force: true });
      return tree;
    },
    addKey(owner, stages = '["*"]') {
      const key = generateSigningKey();
      write(publicKeyFile(key.keyid), formatPublicKeyFile({ ...key, owner, created: '2026-01-01T00:00:00.000Z' }));
      if (stages !== false) {
        trust.push(`    ${key.keyid}:\n      stages: ${stages}\n`);
        writeConfig();
      }
      return key;
    },
    writeResult(stage, fields = {}, log = `log of ${stage}\n`) {
      const files = stageResultFiles(slug, stage);
      write(
        files.json,
        `${JSON.stringify(
          {
            stage_name: stage,
            slug,
            status: 'success',
            advisory: false,
            exit_code: 0,
            timed_out: false,
            duration_ms: 120,
            started_at: '2026-01-01T00:00:00.000Z',
            finished_at: '2026-01-01T00:00:00.120Z',
            command: `run ${stage}`,
            summary: `${stage} passed`,
            metrics: {},
            log_file: files.log,
            ...fields,
          },
          null,
          2,
        )}\n`,
      );
      write(files.log, log);
    },
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}
