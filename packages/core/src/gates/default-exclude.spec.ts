import picomatch from 'picomatch';
import { compileGlobs } from '../repo/glob';
import { DEFAULT_EXCLUDE_COMPILED, excludedByDefault } from './default-exclude';
import { DEFAULT_LINE_BUDGET_EXCLUDE } from './line-budget';

/** repo/glob.ts's options. */
const OPTIONS: picomatch.PicomatchOptions = { dot: true, strictBrackets: true };

describe('excludedByDefault', () => {
  it('holds what picomatch makes of DEFAULT_LINE_BUDGET_EXCLUDE, split as compileGlobSet splits it', () => {
    const onName = DEFAULT_LINE_BUDGET_EXCLUDE.filter((g) => /^\*\*\/[^/]+$/.test(g)).map((g) => g.slice(3));
    const literal = onName.filter((n) => !picomatch.scan(n).isGlob && !n.includes('\\'));
    const expected = {
      names: literal,
      namePatterns: onName.filter((n) => !literal.includes(n)).map((n) => `/${picomatch.makeRe(n, OPTIONS).source}/`),
      pathPatterns: DEFAULT_LINE_BUDGET_EXCLUDE.filter((g) => !/^\*\*\/[^/]+$/.test(g)).map(
        (g) => `/${picomatch.makeRe(g, OPTIONS).source}/`,
      ),
    };
    // When the list changes, default-exclude.ts must hold what this prints.
    expect({
      names: [...DEFAULT_EXCLUDE_COMPILED.names],
      namePatterns: DEFAULT_EXCLUDE_COMPILED.namePatterns.map(String),
      pathPatterns: DEFAULT_EXCLUDE_COMPILED.pathPatterns.map(String),
    }).toEqual(expected);
  });

  it('matches every path as compileGlobs matches the list', () => {
    const all = compileGlobs(DEFAULT_LINE_BUDGET_EXCLUDE);
    const dirs = ['', 'packages/app/', '.github/', 'a.b/', 'x/__generated__/', '__generated__/', 'deep/er/and/deeper/'];
    const names = [
      ...DEFAULT_LINE_BUDGET_EXCLUDE.map((g) => g.slice(3)),
      'package-lock.json.bak',
      'my-package-lock.json',
      'yarn.lock.d',
      'app.min.js',
      'app.min.js.gz',
      'app.js',
      '.min.js',
      'min.js',
      'x.map',
      '.map',
      'map',
      'a.snap',
      'api.pb.go',
      'api_grpc.pb.go',
      'api.pb.gw.go',
      'zz_generated.deepcopy.go',
      'zz_generated.go',
      'x_pb2.py',
      'x_pb2.pyi',
      'x_pb2_grpc.py',
      'x.pb.cc',
      'x.pb.h',
      'x_pb.js',
      'x_pb.d.ts',
      'x_grpc_pb.js',
      'schema.generated.ts',
      'generated.ts',
      '.generated.',
      '__generated__',
      'index.ts',
      'README.md',
    ];
    const paths = [
      ...dirs.flatMap((d) => names.map((n) => `${d}${n}`)),
      ...DEFAULT_LINE_BUDGET_EXCLUDE,
      './packages/app/yarn.lock',
      'packages\\app\\yarn.lock',
      'packages/__generated__',
      'packages/__generated__x/a.ts',
    ];
    for (const path of paths) expect([path, excludedByDefault(path)]).toEqual([path, all(path)]);
  });
});
