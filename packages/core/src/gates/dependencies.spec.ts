import { detectDependencyChanges, isManifest } from './dependencies';

const added = (path: string, before: string | undefined, after: string | undefined) =>
  detectDependencyChanges({ path, before, after }).added.map((d) => `${d.section}:${d.name}@${d.after}`);

describe('isManifest', () => {
  it.each([
    'package.json',
    'a/b/package.json',
    'go.mod',
    'svc/Cargo.toml',
    'pyproject.toml',
    'requirements.txt',
    'requirements-dev.txt',
    'requirements/base.in',
  ])('recognises %s', (p) => expect(isManifest(p)).toBe(true));
  it.each(['package-lock.json', 'go.sum', 'Cargo.lock', 'README.txt', 'src/requirements.py'])('ignores %s', (p) =>
    expect(isManifest(p)).toBe(false),
  );
});

describe('detectDependencyChanges', () => {
  it('npm: every dependency section', () => {
    const after = '{"dependencies":{"a":"1"},"devDependencies":{"b":"2"},"peerDependencies":{"c":"3"},"optionalDependencies":{"d":"4"}}';
    expect(added('package.json', '{}', after)).toEqual([
      'dependencies:a@1',
      'devDependencies:b@2',
      'peerDependencies:c@3',
      'optionalDependencies:d@4',
    ]);
  });

  it('go: single-line and block requires, indirect ones marked', () => {
    const after =
      'module x\n\nrequire github.com/a/b v1.2.3\n\nrequire (\n\tgolang.org/x/text v0.14.0 // indirect\n\texample.com/c v0.1.0\n)\n';
    expect(added('go.mod', 'module x\n', after)).toEqual([
      'require:github.com/a/b@v1.2.3',
      'require (indirect):golang.org/x/text@v0.14.0',
      'require:example.com/c@v0.1.0',
    ]);
  });

  it('go: an unclosed block is a problem naming its line', () => {
    const r = detectDependencyChanges({ path: 'go.mod', before: 'module x\n', after: 'module x\nrequire (\n\ta/b v1.0.0\n' });
    expect(r.problems).toEqual([
      { file: 'go.mod', field: 'line 2', message: 'expected ")" to close the "require (" block, found the end of the file' },
    ]);
  });

  it('cargo: strings, inline tables, renamed crates, dev, build, target and workspace dependencies', () => {
    const after = [
      '[dependencies]',
      'regex = "1"',
      'serde = { version = "1.0", features = ["derive"] }',
      'rand_core = { package = "rand", version = "0.8" }',
      '[dev-dependencies]',
      'tempfile = "3"',
      '[build-dependencies.cc]',
      'version = "1"',
      "[target.'cfg(unix)'.dependencies]",
      'libc = "0.2"',
      '[workspace.dependencies]',
      'anyhow = { git = "https://github.com/dtolnay/anyhow", tag = "1.0.0" }',
    ].join('\n');
    expect(added('Cargo.toml', '[package]\nname = "x"\n', after)).toEqual([
      'dependencies:regex@1',
      'dependencies:serde@1.0',
      'dependencies:rand@0.8',
      'dev-dependencies:tempfile@3',
      'build-dependencies:cc@1',
      'workspace.dependencies:anyhow@git:https://github.com/dtolnay/anyhow#1.0.0',
      "target.'cfg(unix)'.dependencies:libc@0.2",
    ]);
  });

  it('python: PEP 621, optional dependencies, dependency groups and Poetry, names normalised', () => {
    const after = [
      '[project]',
      'dependencies = ["Requests>=2.31", "attrs"]',
      '[project.optional-dependencies]',
      'dev = ["pytest_cov ; python_version >= \'3.9\'"]',
      '[dependency-groups]',
      'lint = ["ruff==0.5"]',
      '[tool.poetry.dependencies]',
      'python = "^3.11"',
      'Flask = "^3.0"',
    ].join('\n');
    expect(added('pyproject.toml', '[project]\nname = "x"\n', after)).toEqual([
      'project.dependencies:requests@>=2.31',
      'project.dependencies:attrs@*',
      'project.optional-dependencies.dev:pytest-cov@*',
      'dependency-groups.lint:ruff@==0.5',
      'tool.poetry.dependencies:flask@^3.0',
    ]);
  });

  it('requirements.txt: comments, options, continuations and hashes ignored; URLs need an egg name', () => {
    const after =
      '# tools\n-r base.txt\n--index-url https://example.com/simple\nflask==3.0 \\\n  --hash=sha256:abc\nrequests>=2  # http\ngit+https://example.com/x.git#egg=xpkg\n./local\n';
    const r = detectDependencyChanges({ path: 'requirements.txt', before: '', after });
    expect(r.added.map((d) => `${d.name}@${d.after}`)).toEqual([
      'flask@==3.0',
      'requests@>=2',
      'xpkg@@ git+https://example.com/x.git#egg=xpkg',
    ]);
    expect(r.problems.map((p) => p.field)).toEqual(['line 8']);
  });

  it('a version change is changed, not added; URL credentials are masked', () => {
    const r = detectDependencyChanges({
      path: 'requirements.txt',
      before: 'a==1\n',
      after: 'a==2\nb @ https://user:token@example.com/b.tar.gz\n',
    });
    expect(r.changed.map((d) => [d.name, d.before, d.after])).toEqual([['a', '==1', '==2']]);
    expect(r.added.map((d) => d.after)).toEqual(['@ https://***@example.com/b.tar.gz']);
  });

  it('a new manifest adds all its dependencies; a deleted one removes them', () => {
    expect(added('svc/package.json', undefined, '{"dependencies":{"x":"1"}}')).toEqual(['dependencies:x@1']);
    expect(
      detectDependencyChanges({ path: 'go.mod', before: 'module x\nrequire a/b v1.0.0\n', after: undefined }).removed.map((d) => d.name),
    ).toEqual(['a/b']);
  });
});
