import { CONTRACT_DEFAULTS, type Contract } from '../domain/contract';
import type { ChangedFile } from '../gates/changes';
import { contractStageOf, contractView } from './contract-view';
import type { StageReport } from './task-report';

const contract: Contract = {
  ...CONTRACT_DEFAULTS,
  language: 'typescript',
  allowed_files: ['packages/app/**'],
  forbidden_files: ['packages/app/package.json'],
  max_lines_changed: 10,
  stages: {},
  line_budget_exclude: [],
  secrets_allowlist: {},
  custom_fields: {},
};
const file = (p: string, added: number, removed = 0, extra: Partial<ChangedFile> = {}): ChangedFile => ({
  path: p,
  status: 'modified',
  added,
  removed,
  binary: false,
  ...extra,
});

describe('contractView', () => {
  it('marks each changed file allowed or not, naming the forbidden glob', () => {
    const v = contractView(contract, undefined, [
      file('packages/app/src/a.ts', 3),
      file('packages/app/package.json', 1),
      file('README.md', 2),
    ]);
    expect(v.files?.map((f) => [f.path, f.allowed, f.forbidden_by])).toEqual([
      ['packages/app/src/a.ts', true, undefined],
      ['packages/app/package.json', false, 'packages/app/package.json'],
      ['README.md', false, undefined],
    ]);
  });

  it('judges both sides of a rename', () => {
    const v = contractView(contract, undefined, [file('packages/app/b.ts', 0, 0, { status: 'renamed', oldPath: 'secret/b.ts' })]);
    expect(v.files?.[0]).toMatchObject({ path: 'packages/app/b.ts', old_path: 'secret/b.ts', allowed: false });
  });

  it('counts lines against the budget, leaving lockfiles out', () => {
    const v = contractView(contract, undefined, [file('packages/app/src/a.ts', 8, 4), file('packages/app/package-lock.json', 500)]);
    expect(v.lines).toEqual({ counted: 12, excluded: 500, max: 10, source: 'diff' });
    expect(v.files?.find((f) => f.path.endsWith('package-lock.json'))?.counted).toBe(false);
  });

  it("takes the findings, dependencies and verdict from the contract stage's result", () => {
    const stage: StageReport = {
      name: 'contract',
      required: true,
      needs: [],
      status: 'failure',
      summary: 'README.md: allowed_files: matches none',
      metrics: { dependencies_added: 'npm:left-pad, npm:is-odd', lines_counted: 40, max_lines_changed: 10 },
      findings: [{ rule: 'allowed_files', file: 'README.md', message: 'README.md: allowed_files: matches none' }],
    };
    const v = contractView(contract, stage, undefined);
    expect(v.stage?.status).toBe('failure');
    expect(v.dependencies_added).toEqual(['npm:left-pad', 'npm:is-odd']);
    expect(v.violations).toHaveLength(1);
    expect(v.files).toBeUndefined();
    expect(v.lines).toEqual({ counted: 40, excluded: 0, max: 10, source: 'stage' });
  });
});

describe('contractStageOf', () => {
  it('finds the built-in contract stage under any name', () => {
    const base = { description: '', command: 'x', timeout_seconds: 1, required_success: true, needs: [] };
    expect(contractStageOf([{ ...base, name: 'gate', builtin: 'contract' }])?.name).toBe('gate');
    expect(contractStageOf([{ ...base, name: 'build' }])).toBeUndefined();
  });
});
