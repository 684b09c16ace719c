import type { ChangedFile, ManifestChange } from './changes';
import { checkContract, type CheckedContract } from './contract-check';
import { DEFAULT_LINE_BUDGET_EXCLUDE } from './line-budget';

const contract = (over: Partial<CheckedContract> = {}): CheckedContract => ({
  allowed_files: ['packages/app/**'],
  forbidden_files: ['packages/app/src/secret*', '**/.env'],
  max_lines_changed: 100,
  new_dependencies_allowed: false,
  line_budget_exclude: [],
  ...over,
});

const file = (path: string, added = 1, removed = 0, over: Partial<ChangedFile> = {}): ChangedFile => ({
  path,
  status: 'modified',
  added,
  removed,
  binary: false,
  ...over,
});

const rules = (r: ReturnType<typeof checkContract>) => r.violations.map((v) => `${v.rule} ${v.file ?? ''}`.trim());

describe('checkContract', () => {
  it('accepts a change inside allowed_files, outside forbidden_files and within the budget', () => {
    const r = checkContract(contract(), [file('packages/app/src/a.ts', 10, 5)], []);
    expect(r.violations).toEqual([]);
    expect(r.warnings).toEqual([]);
    expect(r.metrics).toEqual({
      files_changed: 1,
      lines_added: 10,
      lines_removed: 5,
      lines_counted: 15,
      lines_excluded: 0,
      dependencies_added: [],
    });
  });

  it('allowed_files: reports a file no allowed glob matches, naming the file and the globs', () => {
    const r = checkContract(contract({ allowed_files: ['packages/app/**', 'docs/*.md'] }), [file('packages/lib/x.ts')], []);
    expect(r.violations).toEqual([
      {
        rule: 'allowed_files',
        file: 'packages/lib/x.ts',
        message: 'packages/lib/x.ts: allowed_files: matches none of the allowed globs "packages/app/**", "docs/*.md"',
      },
    ]);
  });

  it('allowed_files: an empty list allows nothing and says so', () => {
    const r = checkContract(contract({ allowed_files: [] }), [file('a.ts')], []);
    expect(r.violations[0].message).toBe('a.ts: allowed_files: no file may change, because allowed_files is empty');
    expect(r.warnings).toEqual(['allowed_files is empty, so every changed file is a violation; list the globs the task may change']);
  });

  it('allowed_files: lists at most 10 globs', () => {
    const globs = Array.from({ length: 12 }, (_, i) => `dir${i}/**`);
    const r = checkContract(contract({ allowed_files: globs }), [file('other/x.ts')], []);
    expect(r.violations[0].message).toContain('"dir9/**" and 2 more');
    expect(r.violations[0].message).not.toContain('dir10');
  });

  it('forbidden_files: reports the file and the glob it matched', () => {
    const r = checkContract(contract(), [file('packages/app/src/secret-config.ts')], []);
    expect(r.violations).toEqual([
      {
        rule: 'forbidden_files',
        file: 'packages/app/src/secret-config.ts',
        glob: 'packages/app/src/secret*',
        message: 'packages/app/src/secret-config.ts: forbidden_files: matches forbidden glob "packages/app/src/secret*"',
      },
    ]);
  });

  it('forbidden_files: matches dotfiles at any depth', () => {
    const r = checkContract(contract(), [file('packages/app/.env')], []);
    expect(r.violations.map((v) => v.glob)).toEqual(['**/.env']);
  });

  it('forbidden_files: deleting a forbidden file is a violation', () => {
    const r = checkContract(contract(), [file('packages/app/src/secret.ts', 0, 12, { status: 'deleted' })], []);
    expect(r.violations.map((v) => v.message)).toEqual([
      'packages/app/src/secret.ts: forbidden_files: matches forbidden glob "packages/app/src/secret*" (deleted)',
    ]);
  });

  it('checks both paths of a rename: a forbidden old path is a violation', () => {
    const renamed = file('packages/app/src/public.ts', 0, 0, { status: 'renamed', oldPath: 'packages/app/src/secret.ts' });
    const r = checkContract(contract(), [renamed], []);
    expect(r.violations).toEqual([
      {
        rule: 'forbidden_files',
        file: 'packages/app/src/secret.ts',
        glob: 'packages/app/src/secret*',
        message:
          'packages/app/src/secret.ts: forbidden_files: matches forbidden glob "packages/app/src/secret*" (renamed to packages/app/src/public.ts)',
      },
    ]);
  });

  it('checks both paths of a rename: an old path outside allowed_files is a violation', () => {
    const renamed = file('packages/app/b.ts', 0, 0, { status: 'renamed', oldPath: 'packages/lib/b.ts' });
    expect(rules(checkContract(contract(), [renamed], []))).toEqual(['allowed_files packages/lib/b.ts']);
  });

  it('checks only the new path of a copy', () => {
    const copied = file('packages/app/copy.ts', 3, 0, { status: 'copied', oldPath: 'packages/app/src/secret.ts' });
    expect(checkContract(contract(), [copied], []).violations).toEqual([]);
  });

  it('names the contract file when given', () => {
    const r = checkContract(contract(), [file('packages/app/src/secret.ts')], [], { contractFile: '.factory/t1/contract.yaml' });
    expect(r.violations[0].message).toBe(
      'packages/app/src/secret.ts: forbidden_files: matches forbidden glob "packages/app/src/secret*" (set in .factory/t1/contract.yaml)',
    );
  });

  it('max_lines_changed: reports the limit, the actual number and the 3 largest files', () => {
    const changes = [
      file('packages/app/a.ts', 30, 10),
      file('packages/app/b.ts', 50, 0),
      file('packages/app/c.ts', 5, 5),
      file('packages/app/d.ts', 20, 1),
    ];
    const r = checkContract(contract(), changes, []);
    expect(r.violations).toEqual([
      {
        rule: 'max_lines_changed',
        limit: 100,
        actual: 121,
        message:
          'max_lines_changed: 121 lines changed, more than the limit of 100; largest: packages/app/b.ts (50), packages/app/a.ts (40), packages/app/d.ts (21)',
      },
    ]);
  });

  it('max_lines_changed: exactly the limit passes', () => {
    const r = checkContract(contract(), [file('packages/app/a.ts', 60, 40)], []);
    expect(r.violations).toEqual([]);
    expect(r.metrics.lines_counted).toBe(100);
  });

  it('max_lines_changed: lockfile churn alone never exceeds the budget', () => {
    const lockfiles = [
      'package-lock.json',
      'go.sum',
      'Cargo.lock',
      'poetry.lock',
      'packages/app/yarn.lock',
      'packages/app/deep/pnpm-lock.yaml',
    ];
    const r = checkContract(
      contract({ allowed_files: ['**'] }),
      lockfiles.map((p) => file(p, 4000, 1000)),
      [],
    );
    expect(r.violations).toEqual([]);
    expect(r.metrics).toMatchObject({ lines_counted: 0, lines_excluded: 30000, lines_added: 24000, lines_removed: 6000 });
  });

  it('max_lines_changed: generated and minified files are excluded at any depth', () => {
    const generated = [
      'a/b/api.pb.go',
      'x_pb2.py',
      'web/dist/app.min.js',
      'web/app.js.map',
      'src/__snapshots__/a.spec.ts.snap',
      'src/schema.generated.ts',
    ];
    const r = checkContract(
      contract({ allowed_files: ['**'] }),
      generated.map((p) => file(p, 5000)),
      [],
    );
    expect(r.metrics.lines_counted).toBe(0);
    expect(r.violations).toEqual([]);
  });

  it('max_lines_changed: real lines beside lockfile churn still count', () => {
    const r = checkContract(contract({ allowed_files: ['**'] }), [file('package-lock.json', 5000), file('src/big.ts', 101)], []);
    expect(r.violations.map((v) => [v.rule, v.actual])).toEqual([['max_lines_changed', 101]]);
  });

  it('max_lines_changed: adds the contract line_budget_exclude to the defaults', () => {
    const c = contract({ allowed_files: ['**'], line_budget_exclude: ['fixtures/**'] });
    const r = checkContract(c, [file('fixtures/big.json', 900), file('src/a.ts', 10)], []);
    expect(r.violations).toEqual([]);
    expect(r.metrics).toMatchObject({ lines_counted: 10, lines_excluded: 900 });
  });

  it('binary files count 0 lines but still count as changed files', () => {
    const r = checkContract(contract(), [file('packages/app/logo.png', 0, 0, { binary: true }), file('packages/app/a.ts', 2, 1)], []);
    expect(r.metrics).toMatchObject({ files_changed: 2, lines_added: 2, lines_removed: 1, lines_counted: 3 });
  });

  it('new_dependencies: reports an added dependency naming the manifest, ecosystem and package', () => {
    const manifests: ManifestChange[] = [
      { path: 'packages/app/package.json', before: '{"dependencies":{}}', after: '{"dependencies":{"left-pad":"^1.3.0"}}' },
    ];
    const r = checkContract(contract(), [file('packages/app/package.json')], manifests);
    expect(r.violations).toEqual([
      {
        rule: 'new_dependencies',
        file: 'packages/app/package.json',
        message:
          'packages/app/package.json: new_dependencies: adds npm package "left-pad" (dependencies ^1.3.0), but new dependencies are not allowed',
      },
    ]);
    expect(r.metrics.dependencies_added).toEqual(['npm:left-pad']);
    expect(r.dependencies).toEqual([
      { ecosystem: 'npm', name: 'left-pad', file: 'packages/app/package.json', section: 'dependencies', after: '^1.3.0' },
    ]);
  });

  it('new_dependencies: accepts added dependencies when allowed', () => {
    const manifests: ManifestChange[] = [{ path: 'go.mod', before: 'module x\n', after: 'module x\nrequire github.com/a/b v1.0.0\n' }];
    const r = checkContract(contract({ allowed_files: ['**'], new_dependencies_allowed: true }), [file('go.mod')], manifests);
    expect(r.violations).toEqual([]);
    expect(r.metrics.dependencies_added).toEqual(['go:github.com/a/b']);
  });

  it('new_dependencies: version bumps and removals are not new dependencies', () => {
    const manifests: ManifestChange[] = [
      { path: 'package.json', before: '{"dependencies":{"a":"1.0.0","b":"1.0.0"}}', after: '{"dependencies":{"a":"2.0.0"}}' },
    ];
    const r = checkContract(contract({ allowed_files: ['**'] }), [file('package.json')], manifests);
    expect(r.violations).toEqual([]);
    expect(r.dependencies.map((d) => [d.name, d.before, d.after])).toEqual([
      ['a', '1.0.0', '2.0.0'],
      ['b', '1.0.0', undefined],
    ]);
  });

  it('new_dependencies: an unparseable manifest is a violation when new dependencies are not allowed', () => {
    const manifests: ManifestChange[] = [{ path: 'package.json', before: '{}', after: '{"dependencies": {' }];
    const r = checkContract(contract({ allowed_files: ['**'] }), [file('package.json')], manifests);
    expect(r.violations).toHaveLength(1);
    expect(r.violations[0].message).toMatch(/^package\.json: new_dependencies: cannot rule out new dependencies, because expected JSON/);
    expect(r.warnings).toEqual([]);
  });

  it('new_dependencies: an unparseable manifest is a warning when new dependencies are allowed', () => {
    const manifests: ManifestChange[] = [{ path: 'package.json', before: '{}', after: 'nope' }];
    const r = checkContract(contract({ allowed_files: ['**'], new_dependencies_allowed: true }), [file('package.json')], manifests);
    expect(r.violations).toEqual([]);
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0]).toMatch(/^package\.json: \(document\): expected JSON/);
  });

  it('new_dependencies: a problem already present at the base commit is only a warning', () => {
    const manifests: ManifestChange[] = [
      { path: 'requirements.txt', before: 'not a requirement!\nflask==2\n', after: 'not a requirement!\nflask==3\n' },
    ];
    const r = checkContract(contract({ allowed_files: ['**'] }), [file('requirements.txt')], manifests);
    expect(r.violations).toEqual([]);
    expect(r.warnings).toHaveLength(2);
    expect(r.warnings[0]).toContain('at the base commit: ');
  });

  it('checks 10,000 changed files against 50 globs', () => {
    const globs = Array.from({ length: 50 }, (_, i) => `packages/p${i}/src/**/*.ts`);
    const forbidden = Array.from({ length: 50 }, (_, i) => `packages/p${i}/secret/**`);
    const changes = Array.from({ length: 10_000 }, (_, i) => file(`packages/p${i % 60}/src/dir/f${i}.ts`, 1, 1));
    const r = checkContract(contract({ allowed_files: globs, forbidden_files: forbidden, max_lines_changed: 1_000_000 }), changes, []);
    expect(r.metrics.files_changed).toBe(10_000);
    expect(r.violations.filter((v) => v.rule === 'allowed_files')).toHaveLength(10_000 - Math.floor(10_000 / 60) * 50 - 40);
    expect(DEFAULT_LINE_BUDGET_EXCLUDE.length).toBeGreaterThan(20);
  });
});
