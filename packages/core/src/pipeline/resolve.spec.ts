import { mergeContracts, type Contract, type ContractFile } from '../domain/contract';
import { resolvePipeline } from './resolve';
import { filterStages, getStage, stageAncestors } from './select';
import { profileFor } from '../testing/profiles';

const P = profileFor('go');

const contract = (c: ContractFile): Contract => {
  const m = mergeContracts({}, { language: 'go', ...c });
  if (!m.contract) throw new Error('no language');
  return m.contract;
};
const F = '.factory/t/contract.yaml';

describe('resolvePipeline', () => {
  it('returns the standard pipeline when the contract has none', () => {
    const r = resolvePipeline(contract({}), F, P);
    expect(r.errors).toEqual([]);
    expect(r.value?.map((s) => s.name)).toEqual([
      'implement',
      'unit-test',
      'coverage',
      'lint',
      'format',
      'contract',
      'security',
      'integration-test',
      'review',
    ]);
  });

  it('makes a coverage stage with no tool red when the contract asks for a floor, skipped when it does not', () => {
    const noTool = profileFor('typescript', {
      'unit-test': { tool: 'vitest', command: 'vitest run', why: 'vitest.config.ts' },
      coverage: { tool: 'vitest', why: 'no coverage provider', notConfigured: 'vitest has no coverage provider (@vitest/coverage-v8)' },
    });
    const at = (floor: number) =>
      resolvePipeline({ ...contract({ required_test_coverage: floor }), language: 'typescript' }, F, noTool).value?.find(
        (s) => s.name === 'coverage',
      );
    expect(at(0)?.unavailable).toEqual({ kind: 'not-configured', message: 'vitest has no coverage provider (@vitest/coverage-v8)' });
    expect(at(80)?.unavailable).toEqual({
      kind: 'missing',
      message:
        'coverage: the contract requires 80% and the project measures none (vitest has no coverage provider (@vitest/coverage-v8)); ' +
        'add a coverage tool, give stages.coverage a command, or set required_test_coverage: 0',
    });
  });

  it("runs a pipeline entry's own command from the workspace root unless the stage or the contract says where; an override stays in the project", () => {
    const inApp = { ...P, directory: 'packages/app' };
    const r = resolvePipeline(
      contract({
        pipeline: [
          { name: 'unit-test' },
          { name: 'smoke', description: 'x', command: 'node --test packages/app/test/', timeout_seconds: 5, required_success: true },
          { name: 'there', description: 'x', command: 'ls', timeout_seconds: 5, required_success: true, working_directory: 'tools' },
        ],
      }),
      F,
      inApp,
    ).value;
    expect(r?.map((s) => [s.name, s.working_directory])).toEqual([
      ['unit-test', undefined],
      ['smoke', '.'],
      ['there', 'tools'],
    ]);
    const set = resolvePipeline(
      contract({
        working_directory: 'packages/app',
        pipeline: [{ name: 'smoke', description: 'x', command: 'ls', timeout_seconds: 5, required_success: true }],
      }),
      F,
      inApp,
    ).value;
    expect(set?.find((s) => s.name === 'smoke')?.working_directory).toBeUndefined();
    const overridden = resolvePipeline(contract({ stages: { lint: { command: 'golint ./...' } } }), F, inApp).value;
    expect(overridden?.find((s) => s.name === 'lint')?.working_directory).toBeUndefined();
  });

  it('fills a pipeline entry named like a standard stage from it', () => {
    const r = resolvePipeline(contract({ pipeline: [{ name: 'unit-test', timeout_seconds: 5 }] }), F, P);
    expect(r.value).toEqual([
      expect.objectContaining({
        name: 'unit-test',
        command: expect.stringMatching(/^go test -v -timeout "\$\{FACTORY_TEST_TIMEOUT:-10m\}" -coverprofile=/),
        tool: 'go test',
        timeout_seconds: 5,
        needs: [],
      }),
    ]);
  });

  it('keeps a standard stage after what its missing needs needed (review after unit-test when there is no coverage)', () => {
    const r = resolvePipeline(contract({ pipeline: [{ name: 'implement' }, { name: 'unit-test' }, { name: 'review' }] }), F, P);
    expect(r.errors).toEqual([]);
    expect(r.value?.map((s) => [s.name, s.needs])).toEqual([
      ['implement', []],
      ['unit-test', []],
      ['review', ['implement', 'unit-test']],
    ]);
    expect(r.value?.[2]).toMatchObject({ builtin: 'review', command: '(built in: review)' });
  });

  it('refuses a stage that needs itself, naming the field', () => {
    const r = resolvePipeline(contract({ stages: { docs: { command: 'make docs', needs: ['docs'] } } }), F, P);
    expect(r.errors).toEqual([
      { file: F, field: 'stages.docs.needs', message: 'expected the stages "docs" runs after, got "docs" itself' },
    ]);
  });

  it('refuses an empty pipeline, which would be green without checking anything', () => {
    const r = resolvePipeline(contract({ pipeline: [] }), F, P);
    expect(r.errors).toEqual([
      { file: F, field: 'pipeline', message: expect.stringMatching(/^expected at least one stage, got an empty list/) },
    ]);
  });

  it('refuses a contract that disables every stage', () => {
    const names = resolvePipeline(contract({}), F, P).value?.map((s) => s.name) ?? [];
    const r = resolvePipeline(contract({ stages: Object.fromEntries(names.map((n) => [n, { enabled: false }])) }), F, P);
    expect(r.errors).toEqual([{ file: F, field: 'stages', message: expect.stringMatching(/^expected at least one stage left enabled/) }]);
  });

  it('requires a command for a stage that is not standard', () => {
    const r = resolvePipeline(contract({ pipeline: [{ name: 'docs' }] }), F, P);
    expect(r.errors).toEqual([{ file: F, field: 'pipeline.0.command', message: expect.stringContaining('expected a command') }]);
  });

  it('overrides, adds and removes stages with `stages`', () => {
    const r = resolvePipeline(
      contract({
        stages: {
          lint: { command: 'golangci-lint run', required_success: false },
          docs: { command: 'make docs', needs: ['implement'] },
          'unit-test': { enabled: false },
        },
      }),
      F,
      P,
    );
    const byName = Object.fromEntries((r.value ?? []).map((s) => [s.name, s]));
    expect(byName.lint).toMatchObject({ command: 'golangci-lint run', required_success: false });
    expect(byName.docs).toMatchObject({ command: 'make docs', needs: ['implement'] });
    expect(byName['unit-test']).toBeUndefined();
    // coverage needed unit-test, which needed nothing
    expect(byName.coverage.needs).toEqual([]);
    // a command of its own replaces what detection chose
    expect(byName.lint.tool).toBeUndefined();
    expect(byName.lint.findings).toBeUndefined();
  });

  describe('built-in stages', () => {
    it('keeps the standard contract and security stages built in', () => {
      const r = resolvePipeline(contract({}), F, P);
      const byName = Object.fromEntries((r.value ?? []).map((s) => [s.name, s]));
      expect(byName.contract).toMatchObject({ builtin: 'contract', command: '(built in: contract)', needs: [] });
      expect(byName.security).toMatchObject({ builtin: 'security', needs: [] });
    });

    it('makes a built-in stage advisory or removes it', () => {
      const r = resolvePipeline(contract({ stages: { security: { required_success: false }, contract: { enabled: false } } }), F, P);
      const names = (r.value ?? []).map((s) => s.name);
      expect(names).not.toContain('contract');
      expect(r.value?.find((s) => s.name === 'security')).toMatchObject({ builtin: 'security', required_success: false });
    });

    it('replaces a built-in stage by a command', () => {
      const r = resolvePipeline(contract({ stages: { security: { command: 'gitleaks detect' } } }), F, P);
      const security = r.value?.find((s) => s.name === 'security');
      expect(security?.command).toBe('gitleaks detect');
      expect(security?.builtin).toBeUndefined();
    });

    it('runs a built-in under another name in a custom pipeline, and inherits it by name', () => {
      const r = resolvePipeline(contract({ pipeline: [{ name: 'secrets', builtin: 'security' }, { name: 'contract' }] }), F, P);
      expect(r.errors).toEqual([]);
      expect(r.value?.map((s) => [s.name, s.builtin, s.command])).toEqual([
        ['secrets', 'security', '(built in: security)'],
        ['contract', 'contract', '(built in: contract)'],
      ]);
    });

    it('refuses a stage with both a command and a builtin', () => {
      const r = resolvePipeline(contract({ stages: { scan: { command: 'x', builtin: 'security' } } }), F, P);
      expect(r.errors).toEqual([
        {
          file: F,
          field: 'stages.scan.builtin',
          message: expect.stringMatching(/^expected either a command or a built-in stage, got both/),
        },
      ]);
    });
  });

  it('names an unknown need', () => {
    const r = resolvePipeline(contract({ stages: { docs: { command: 'x', needs: ['nope'] } } }), F, P);
    expect(r.errors[0]).toMatchObject({ field: 'stages.docs.needs', message: expect.stringContaining('"nope"') });
  });

  it('names a cycle', () => {
    const r = resolvePipeline(
      contract({
        pipeline: [
          { name: 'aa', command: 'a', needs: ['bb'] },
          { name: 'bb', command: 'b', needs: ['aa'] },
        ],
      }),
      F,
      P,
    );
    expect(r.errors[0].message).toMatch(/cycle aa → bb → aa|cycle bb → aa → bb/);
  });

  it('rejects duplicate stage names', () => {
    const r = resolvePipeline(
      contract({
        pipeline: [
          { name: 'aa', command: 'a' },
          { name: 'aa', command: 'b' },
        ],
      }),
      F,
      P,
    );
    expect(r.errors[0]).toMatchObject({ field: 'pipeline.1.name' });
  });

  it('orders each stage after what it needs', () => {
    const r = resolvePipeline(
      contract({
        pipeline: [
          { name: 'cc', command: 'c', needs: ['bb'] },
          { name: 'bb', command: 'b', needs: ['aa'] },
          { name: 'aa', command: 'a' },
        ],
      }),
      F,
      P,
    );
    expect(r.value?.map((s) => s.name)).toEqual(['aa', 'bb', 'cc']);
  });
});

describe('getStage / filterStages / stageAncestors', () => {
  const pipeline = resolvePipeline(contract({}), F, P).value ?? [];

  it('finds a stage or lists the stages', () => {
    expect(getStage('lint', pipeline)).toMatchObject({ ok: true, value: { name: 'lint' } });
    expect(getStage('nope', pipeline)).toEqual({ ok: false, error: expect.stringContaining('implement, unit-test') });
  });

  it('gets the stages from one to another, inclusive', () => {
    const r = filterStages('implement', 'lint', pipeline);
    expect(r.ok && r.value.map((s) => s.name)).toEqual(['implement', 'unit-test', 'coverage', 'lint']);
  });

  it('refuses a reversed or unknown range', () => {
    expect(filterStages('lint', 'implement', pipeline)).toEqual({
      ok: false,
      error: 'stage "lint" comes after "implement" in this pipeline',
    });
    expect(filterStages('implement', 'nope', pipeline).ok).toBe(false);
  });

  it('lists transitive needs', () => {
    expect([...stageAncestors('coverage', pipeline)].sort()).toEqual(['unit-test']);
    expect([...stageAncestors('review', pipeline)].sort()).toEqual([
      'contract',
      'coverage',
      'format',
      'implement',
      'integration-test',
      'lint',
      'security',
      'unit-test',
    ]);
  });
});
