import type { LanguageSetup } from './language-workspace';

/** One failing case: an edit to a file of the example, the stage that must fail, and its summary. */
export interface FailureCase {
  name: string;
  stage: string;
  /** Relative to the example's folder. */
  file: string;
  edit: (text: string) => string;
  summary: RegExp;
}

export interface GateLanguage {
  lang: string;
  setup: LanguageSetup;
  /** Every stage of its standard pipeline. */
  stages: string[];
  /** The main source file, relative to the example's folder. */
  source: string;
  comment: (text: string) => string;
  secretLine: (secret: string) => string;
  lockfile: string;
  lockfileLines: (n: number) => string;
  manifest: string;
  addDependency: (text: string) => string;
  /** How the contract stage names the dependency added by `addDependency`. */
  dependency: string;
  failures: FailureCase[];
}

const TASK_OPTIONS = ['--required-test-coverage=80', '--max-lines-changed=40'];
const numbered = (n: number, line: (i: number) => string) => Array.from({ length: n }, (_, i) => line(i)).join('');
const replace = (from: string, to: string) => (t: string) => {
  if (!t.includes(from)) throw new Error(`the example no longer contains ${JSON.stringify(from)}`);
  return t.replace(from, to);
};
const append = (extra: string) => (t: string) => t + extra;
const slashComment = (text: string) => `// ${text}`;

const go: GateLanguage = {
  lang: 'go',
  setup: { example: 'go-greeting', slug: 'gate-go', taskOptions: TASK_OPTIONS },
  // integration-test: not configured (no _test.go file with the integration build tag), so skipped.
  stages: ['implement', 'unit-test', 'coverage', 'lint', 'format', 'contract', 'security'],
  source: 'greeting.go',
  comment: slashComment,
  secretLine: (s) => `var awsKey = "${s}"\n`,
  lockfile: 'go.sum',
  lockfileLines: (n) => numbered(n, (i) => `example.com/m${i} v1.0.${i} h1:${'x'.repeat(43)}=\n`),
  manifest: 'go.mod',
  addDependency: append('\nrequire golang.org/x/text v0.14.0\n'),
  dependency: 'go package "golang.org/x/text" (require v0.14.0)',
  failures: [
    {
      name: 'a compile error',
      stage: 'implement',
      file: 'greeting.go',
      edit: append('\nfunc broken() string { return undefinedName }\n'),
      summary: /^\.\/greeting\.go:\d+:\d+: undefined: undefinedName$/,
    },
    {
      name: 'a failing test',
      stage: 'unit-test',
      file: 'greeting_test.go',
      edit: replace('"Hello, Ada!"', '"Hi, Ada!"'),
      summary: /^1 test failed \(\d+ passed\): TestGreet\ngreeting_test\.go:\d+: Greet\("Ada"\) = "Hello, Ada!", want "Hi, Ada!"$/,
    },
    {
      name: 'coverage under the floor',
      stage: 'coverage',
      file: 'greeting.go',
      edit: append(
        '\n// Shout is not tested.\nfunc Shout(name string) string {\n\ts := strings.ToUpper(Greet(name))\n\tif len(s) > 100 {\n\t\ts = s[:100]\n\t}\n\ts += "!!"\n\treturn s\n}\n',
      ),
      summary: /^coverage [\d.]+% is under the contract's required_test_coverage of 80%$/,
    },
    {
      name: 'a go vet finding',
      stage: 'lint',
      file: 'greeting.go',
      edit: append('\nfunc bad() string { return fmt.Sprintf("%d", "x") }\n'),
      summary: /^1 finding in changed lines: examples\/go-greeting\/greeting\.go:\d+ .*Sprintf format %d has arg "x" of wrong type string/,
    },
    {
      name: 'unformatted code',
      stage: 'format',
      file: 'greeting.go',
      edit: replace('\treturn fmt.Sprintf("Hello', '    return   fmt.Sprintf("Hello'),
      summary: /^1 finding in changed lines: examples\/go-greeting\/greeting\.go:\d+(-\d+)? /,
    },
  ],
};

const rust: GateLanguage = {
  lang: 'rust',
  setup: { example: 'rust-greeting', slug: 'gate-rust', taskOptions: TASK_OPTIONS },
  stages: ['implement', 'unit-test', 'coverage', 'lint', 'format', 'contract', 'security'],
  source: 'src/lib.rs',
  comment: slashComment,
  secretLine: (s) => `pub const AWS_KEY: &str = "${s}";\n`,
  lockfile: 'Cargo.lock',
  lockfileLines: (n) => numbered(n, (i) => `# locked crate ${i}\n`),
  manifest: 'Cargo.toml',
  addDependency: append('regex = "1"\n'),
  dependency: 'cargo package "regex" (dependencies 1)',
  failures: [
    {
      name: 'a compile error',
      stage: 'implement',
      file: 'src/lib.rs',
      edit: append('\npub fn broken() -> u32 {\n    "not a number"\n}\n'),
      summary: /^error\[E0308\]: mismatched types\n\s*--> src\/lib\.rs:\d+:\d+$/,
    },
    {
      name: 'a failing test',
      stage: 'unit-test',
      file: 'src/lib.rs',
      edit: replace('assert_eq!(greet("Ada"), "Hello, Ada!");', 'assert_eq!(greet("Ada"), "Hi, Ada!");'),
      summary:
        /^1 test failed \(\d+ passed\): tests::greets_by_name\nsrc\/lib\.rs:\d+:\d+: assertion `left == right` failed \(left: "Hello, Ada!", right: "Hi, Ada!"\)$/,
    },
    {
      name: 'coverage under the floor',
      stage: 'coverage',
      file: 'src/lib.rs',
      edit: append(
        '\n/// Not tested.\npub fn shout(name: &str) -> String {\n    let mut s = greet(name).to_uppercase();\n    if s.len() > 100 {\n        s.truncate(100);\n    }\n    s.push_str("!!");\n    s\n}\n',
      ),
      summary: /^coverage [\d.]+% is under the contract's required_test_coverage of 80%$/,
    },
    {
      name: 'a clippy finding',
      stage: 'lint',
      file: 'src/lib.rs',
      edit: append('\npub fn lint_me() {\n    let unused = 1;\n}\n'),
      // Appended after the test module, it also makes clippy flag that module's (unchanged) line:
      // a finding the change brought, which the base commit did not have.
      summary:
        /^2 findings in the change: examples\/rust-greeting\/src\/lib\.rs:\d+ .*unused variable: `unused`.*; examples\/rust-greeting\/src\/lib\.rs:\d+ items after a test module$/,
    },
    {
      name: 'unformatted code',
      stage: 'format',
      file: 'src/lib.rs',
      edit: replace('pub fn greet(name: &str) -> String {', 'pub fn greet(name:&str)->String{'),
      summary: /^1 finding in changed lines: examples\/rust-greeting\/src\/lib\.rs:\d+(-\d+)? /,
    },
  ],
};

const python: GateLanguage = {
  lang: 'python',
  setup: { example: 'py-greeting', slug: 'gate-python', taskOptions: TASK_OPTIONS },
  stages: ['implement', 'unit-test', 'coverage', 'lint', 'contract', 'security'],
  source: 'greeting/__init__.py',
  comment: (text) => `# ${text}`,
  secretLine: (s) => `AWS_KEY = "${s}"\n`,
  lockfile: 'poetry.lock',
  lockfileLines: (n) => numbered(n, (i) => `# locked package ${i}\n`),
  manifest: 'pyproject.toml',
  addDependency: replace('dependencies = []', 'dependencies = ["requests>=2.31"]'),
  dependency: 'python package "requests" (project.dependencies >=2.31)',
  failures: [
    {
      name: 'a syntax error',
      stage: 'implement',
      file: 'greeting/__init__.py',
      edit: append('\n\ndef broken(:\n    pass\n'),
      summary: /^SyntaxError.*\nFile ".*greeting\/__init__\.py", line \d+/,
    },
    {
      name: 'a failing test',
      stage: 'unit-test',
      file: 'tests/test_greeting.py',
      edit: replace('== "Hello, Ada!"', '== "Hi, Ada!"'),
      summary:
        /^1 test failed \(\d+ passed\): tests\/test_greeting\.py::test_greets_by_name\ntests\/test_greeting\.py:\d+: AssertionError: assert 'Hello, Ada!' == 'Hi, Ada!'$/,
    },
    {
      name: 'coverage under the floor',
      stage: 'coverage',
      file: 'greeting/__init__.py',
      edit: append(
        '\n\ndef shout(name: str) -> str:\n    """Not tested."""\n    s = greet(name).upper()\n    if len(s) > 100:\n        s = s[:100]\n    s += "!!"\n    return s\n',
      ),
      summary: /^coverage [\d.]+% is under the contract's required_test_coverage of 80%$/,
    },
    {
      name: 'a pyflakes finding',
      stage: 'lint',
      file: 'greeting/__init__.py',
      edit: (t) => `import os\n${t}`,
      summary: /^1 finding in changed lines: examples\/py-greeting\/greeting\/__init__\.py:1 'os' imported but unused$/,
    },
  ],
};

const typescript: GateLanguage = {
  lang: 'typescript',
  setup: {
    example: 'ts-greeting',
    slug: 'gate-ts',
    taskOptions: TASK_OPTIONS,
    // The contract names its own coverage command and parser: Jest's json-summary, read from a file.
    contract: {
      stages: {
        coverage: {
          command: 'npx --no-install jest --coverage --coverageReporters=json-summary --coverageDirectory="$FACTORY_TMP/coverage"',
          coverage: { parser: 'istanbul-json', report_file: '$FACTORY_TMP/coverage/coverage-summary.json' },
        },
      },
    },
  },
  stages: ['implement', 'unit-test', 'coverage', 'lint', 'format', 'contract', 'security'],
  source: 'src/greeting.ts',
  comment: slashComment,
  secretLine: (s) => `export const awsKey = '${s}';\n`,
  lockfile: 'package-lock.json',
  lockfileLines: (n) => numbered(n, (i) => `    "node_modules/p${i}": {},\n`),
  manifest: 'package.json',
  addDependency: replace('"devDependencies": {', '"dependencies": {\n    "left-pad": "^1.3.0"\n  },\n  "devDependencies": {'),
  dependency: 'npm package "left-pad" (dependencies ^1.3.0)',
  failures: [
    {
      name: 'a type error',
      stage: 'implement',
      file: 'src/greeting.ts',
      edit: append("\nexport const broken: number = 'text';\n"),
      summary: /^src\/greeting\.ts\(\d+,\d+\): error TS2322: /,
    },
    {
      name: 'a failing test',
      stage: 'unit-test',
      file: 'src/greeting.test.ts',
      edit: replace("toBe('Hello, Ada!')", "toBe('Hi, Ada!')"),
      summary:
        /^1 test failed \(\d+ passed\): greet › greets by name\nsrc\/greeting\.test\.ts:\d+:\d+: expect\(received\)\.toBe\(expected\) \/\/ Object\.is equality \(Expected: "Hi, Ada!", Received: "Hello, Ada!"\)$/,
    },
    {
      name: 'coverage under the floor',
      stage: 'coverage',
      file: 'src/greeting.ts',
      edit: append(
        "\n/** Not tested. */\nexport function shout(name: string): string {\n  let s = greet(name).toUpperCase();\n  if (s.length > 100) {\n    s = s.slice(0, 100);\n  }\n  s += '!!';\n  return s;\n}\n",
      ),
      summary: /^coverage [\d.]+% is under the contract's required_test_coverage of 80%$/,
    },
    {
      name: 'an eslint error',
      stage: 'lint',
      file: 'src/greeting.ts',
      edit: append('\nexport function lintMe(): number {\n  const unused = 1;\n  return 2;\n}\n'),
      summary:
        /^1 finding in changed lines: examples\/ts-greeting\/src\/greeting\.ts:\d+ @typescript-eslint\/no-unused-vars 'unused' is assigned a value but never used/,
    },
    {
      name: 'unformatted code',
      stage: 'format',
      file: 'src/greeting.ts',
      edit: replace('export function greet(name: string): string {', 'export function greet(name:string):string{'),
      summary: /^1 finding in changed lines: examples\/ts-greeting\/src\/greeting\.ts:\d+ would reformat: /,
    },
  ],
};

/** The four languages, each with its example project and every failing case of the issue. */
export const GATE_LANGUAGES: GateLanguage[] = [go, rust, python, typescript];
