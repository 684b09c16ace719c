import { generateKeyPairSync } from 'node:crypto';

/**
 * The adversarial inputs of e2e/hardening.e2e.ts: each one bad input a user (or an attacker
 * writing a contract, a task file or the environment) can give, the command a user would then
 * run, and what its error must name. Every case must end with a clear error naming the file (when
 * there is one) and the field, option or variable; no stack trace, no hang, no silent success.
 */

export const GROUPS = ['contract', 'task', 'config', 'generator', 'cli', 'environment'] as const;
export type Group = (typeof GROUPS)[number];

/** What a case may do to the workspace before its command runs (undone after it). */
export interface CaseWorkspace {
  root: string;
  /** Writes a file (workspace-relative, or absolute for one outside it). */
  write(file: string, data: string | Buffer, mode?: number): void;
  remove(file: string): void;
  mkdir(dir: string): void;
  symlink(target: string, file: string): void;
  fifo(file: string): Promise<void>;
  /** Runs `nx …` or `factory …` in the workspace to prepare the case (it must succeed). */
  run(command: ['nx' | 'factory', ...string[]]): Promise<void>;
  /** A directory outside the workspace, for symlinks that lead out of it and key files. */
  outside: string;
}

export interface AdversarialCase {
  group: Group;
  name: string;
  setup?: (ws: CaseWorkspace) => void | Promise<void>;
  /** The command a user runs: `nx …` or `factory …`. */
  command: ['nx' | 'factory', ...string[]];
  env?: (ws: CaseWorkspace) => Record<string, string>;
  /** The file the error must name (workspace-relative), when the input is a file. */
  file?: string;
  /** The field, option, argument or variable the error must name. */
  field: string;
}

const TASK_YAML = (slug: string) => `slug: ${slug}\ntitle: adversarial\ncreated_at: 2026-01-01T00:00:00Z\n`;
const ADV = '.factory/adv';
const ADV_CONTRACT = `${ADV}/contract.yaml`;
const TS = 'language: typescript\nallowed_files: [packages/app/**]\n';

/** A task `adv` with this contract; the contract stage is run. */
function contract(name: string, text: string | Buffer, field: string, run = 'stage-contract'): AdversarialCase {
  return {
    group: 'contract',
    name,
    setup: (ws) => {
      ws.write(`${ADV}/task.yaml`, TASK_YAML('adv'));
      ws.write(ADV_CONTRACT, text);
    },
    command: ['nx', 'run', `adv:${run}`],
    file: ADV_CONTRACT,
    field,
  };
}

/** A task `adv` with this task.yaml (and a valid contract). */
function taskFile(name: string, text: string | Buffer, field: string): AdversarialCase {
  return {
    group: 'task',
    name,
    setup: (ws) => {
      ws.write(`${ADV}/task.yaml`, text);
      ws.write(ADV_CONTRACT, TS);
    },
    command: ['nx', 'run', 'adv:stage-contract'],
    file: `${ADV}/task.yaml`,
    field,
  };
}

/** A global file (config.yaml or the global contract): every task's stages fail naming it; the graph stays. */
function globalFile(name: string, file: string, text: string | Buffer, field: string): AdversarialCase {
  return { group: 'config', name, setup: (ws) => ws.write(file, text), command: ['nx', 'run', 'good-1:stage-contract'], file, field };
}

function generator(name: string, args: string[], field: string): AdversarialCase {
  return { group: 'generator', name, command: ['nx', 'g', 'factory:task', ...args, '--no-interactive', '--skipWorkspace'], field };
}

function cli(name: string, args: string[], field: string, extra: Partial<AdversarialCase> = {}): AdversarialCase {
  return { group: 'cli', name, command: ['factory', ...args], field, ...extra };
}

const deepNesting =
  ['language: typescript', 'x:', ...Array.from({ length: 200 }, (_, i) => `${'  '.repeat(i + 1)}k${i}:`)].join('\n') + ' 1\n';
const aliasBomb = [
  'a: &a ["x","x","x","x","x","x","x","x","x","x"]',
  ...Array.from({ length: 9 }, (_, i) => {
    const prev = String.fromCharCode(97 + i);
    const next = String.fromCharCode(98 + i);
    return `${next}: &${next} [*${prev},*${prev},*${prev},*${prev},*${prev},*${prev},*${prev},*${prev},*${prev},*${prev}]`;
  }),
].join('\n');
const manyStagesDisabled = `${TS}stages:\n${[
  'implement',
  'unit-test',
  'coverage',
  'lint',
  'format',
  'contract',
  'security',
  'integration-test',
  'e2e',
  'review',
]
  .map((s) => `  ${s}: { enabled: false }`)
  .join('\n')}\n`;

const ed25519Pem = () => generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const rsaPem = () => generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

export const CASES: AdversarialCase[] = [
  // ── contract fields ────────────────────────────────────────────────────────────────────────
  contract('allowed_files is a string, not a list', `${TS.split('\n')[0]}\nallowed_files: packages/app/**\n`, 'allowed_files'),
  contract('allowed_files holds numbers', 'language: typescript\nallowed_files: [1, 2]\n', 'allowed_files.0'),
  contract('allowed_files: an absolute path', "language: typescript\nallowed_files: ['/etc/**']\n", 'allowed_files.0'),
  contract('allowed_files: .. traversal', "language: typescript\nallowed_files: ['../**']\n", 'allowed_files.0'),
  contract('allowed_files: a glob that does not parse', "language: typescript\nallowed_files: ['[']\n", 'allowed_files.0'),
  contract('allowed_files: an empty glob', "language: typescript\nallowed_files: ['']\n", 'allowed_files.0'),
  contract('forbidden_files: .. inside the glob', `${TS}forbidden_files: ['**/../x']\n`, 'forbidden_files.0'),
  contract('line_budget_exclude: an absolute path', `${TS}line_budget_exclude: ['/tmp/**']\n`, 'line_budget_exclude.0'),
  contract('max_lines_changed negative', `${TS}max_lines_changed: -1\n`, 'max_lines_changed'),
  contract('max_lines_changed beyond a double', `${TS}max_lines_changed: 1e400\n`, 'max_lines_changed'),
  contract('max_lines_changed a fraction', `${TS}max_lines_changed: 2.5\n`, 'max_lines_changed'),
  contract('required_test_coverage over 100', `${TS}required_test_coverage: 101\n`, 'required_test_coverage'),
  contract('required_test_coverage a word', `${TS}required_test_coverage: high\n`, 'required_test_coverage'),
  contract('new_dependencies_allowed not a boolean', `${TS}new_dependencies_allowed: maybe\n`, 'new_dependencies_allowed'),
  contract('working_directory: .. traversal', `${TS}working_directory: ../..\n`, 'working_directory'),
  contract('working_directory: absolute', `${TS}working_directory: /tmp\n`, 'working_directory'),
  contract('working_directory: does not exist', `${TS}working_directory: packages/nope\n`, 'working_directory'),
  {
    ...contract(
      'working_directory: a symlink out of the repository',
      `${TS}working_directory: packages/escape\n`,
      'working_directory',
      'stage-unit-test',
    ),
    setup: (ws) => {
      ws.write(`${ADV}/task.yaml`, TASK_YAML('adv'));
      ws.write(ADV_CONTRACT, `${TS}working_directory: packages/escape\n`);
      ws.symlink(ws.outside, 'packages/escape');
    },
  },
  contract('unknown language', 'language: cobol\n', 'language'),
  contract('no language anywhere (empty file)', '', 'language'),
  contract('empty pipeline', `${TS}pipeline: []\n`, 'pipeline', 'pipeline'),
  contract('every stage disabled', manyStagesDisabled, 'stages', 'pipeline'),
  contract('duplicate stage names', `${TS}pipeline: [{name: unit-test}, {name: unit-test}]\n`, 'pipeline.1.name'),
  contract('needs an unknown stage', `${TS}pipeline: [{name: a-stage, command: 'true', needs: [nope]}]\n`, 'pipeline.0.needs'),
  contract('needs itself', `${TS}pipeline: [{name: a-stage, command: 'true', needs: [a-stage]}]\n`, 'pipeline.0.needs'),
  contract(
    'needs in a cycle',
    `${TS}pipeline: [{name: xa, command: 'true', needs: [xb]}, {name: xb, command: 'true', needs: [xa]}]\n`,
    'pipeline',
  ),
  contract('needs is not a list', `${TS}stages: {unit-test: {needs: implement}}\n`, 'stages.unit-test.needs'),
  contract('stage name with capitals and _', `${TS}pipeline: [{name: Bad_Name, command: 'true'}]\n`, 'pipeline.0.name'),
  contract('an unknown stage without a command', `${TS}stages: {nope-stage: {enabled: true}}\n`, 'stages.nope-stage.command'),
  contract('timeout_seconds negative', `${TS}stages: {unit-test: {timeout_seconds: -5}}\n`, 'stages.unit-test.timeout_seconds'),
  contract('timeout_seconds huge', `${TS}stages: {unit-test: {timeout_seconds: 99999999}}\n`, 'stages.unit-test.timeout_seconds'),
  contract('timeout_seconds a word', `${TS}stages: {unit-test: {timeout_seconds: soon}}\n`, 'stages.unit-test.timeout_seconds'),
  contract(
    'a coverage parser that does not exist',
    `${TS}stages: {unit-test: {coverage: {parser: nope}}}\n`,
    'stages.unit-test.coverage.parser',
  ),
  contract(
    'coverage report_file with .. traversal',
    `${TS}stages: {unit-test: {coverage: {report_file: ../../etc/passwd}}}\n`,
    'stages.unit-test.coverage.report_file',
  ),
  {
    group: 'contract',
    name: 'coverage report_file a symlink out of the repository',
    setup: (ws) => {
      ws.write(`${ADV}/task.yaml`, TASK_YAML('adv'));
      ws.write(
        ADV_CONTRACT,
        `${TS}pipeline: [{name: unit-test, command: "echo ok", working_directory: packages/app, coverage: {report_file: cov.txt}}]\n`,
      );
      ws.write(`${ws.outside}/coverage.txt`, 'all lines covered: 100%\n');
      ws.symlink(`${ws.outside}/coverage.txt`, 'packages/app/cov.txt');
    },
    command: ['nx', 'run', 'adv:stage-unit-test'],
    file: 'cov.txt',
    field: 'report_file',
  },
  contract('a findings format that does not exist', `${TS}stages: {lint: {findings: nope}}\n`, 'stages.lint.findings'),
  contract('a built-in stage that does not exist', `${TS}stages: {unit-test: {builtin: nope}}\n`, 'stages.unit-test.builtin'),
  contract(
    'builtin and command together',
    `${TS}pipeline: [{name: unit-test, command: 'true', builtin: contract}]\n`,
    'pipeline.0.builtin',
  ),
  contract('stage env value not a string', `${TS}stages: {unit-test: {env: {A: [1]}}}\n`, 'stages.unit-test.env.A'),
  contract(
    'stage working_directory with ..',
    `${TS}stages: {unit-test: {working_directory: ../x}}\n`,
    'stages.unit-test.working_directory',
  ),
  contract('stage scope unknown', `${TS}stages: {unit-test: {scope: everywhere}}\n`, 'stages.unit-test.scope'),
  contract('stage command empty', `${TS}stages: {unit-test: {command: '  '}}\n`, 'stages.unit-test.command'),
  contract('unknown field at the top', `${TS}bogus_field: 1\n`, 'bogus_field'),
  contract('unknown field in a stage', `${TS}stages: {unit-test: {timeout: 5}}\n`, 'timeout'),
  contract('secrets_allowlist: unknown rule', `${TS}secrets_allowlist: {rules: [nope]}\n`, 'secrets_allowlist.rules.0'),
  contract('secrets_allowlist: bad fingerprint', `${TS}secrets_allowlist: {fingerprints: [xyz]}\n`, 'secrets_allowlist.fingerprints.0'),
  contract('custom_fields value a list', `${TS}custom_fields: {a: [1]}\n`, 'custom_fields.a'),
  contract('a 50 MB file', Buffer.alloc(50 * 1024 * 1024, 'a: 1\n'), '(document)'),
  contract('an alias bomb', `${TS}${aliasBomb}\n`, '(document)'),
  contract('nesting 200 levels deep', deepNesting, 'line'),
  contract('a key given twice', `${TS}language: python\n`, 'line 3'),
  contract('bytes that are not UTF-8', Buffer.concat([Buffer.from('language: typescript\n'), Buffer.from([0xff, 0xfe, 0x0a])]), 'line 2'),
  contract('binary garbage', Buffer.from([0x00, 0x9f, 0x92, 0x96, 0xc3, 0x28, 0xa0, 0xa1, 0xe2, 0x28, 0xa1]), 'line 1'),
  contract('YAML indented with tabs', '\tlanguage: typescript\n', 'line 1'),
  contract('YAML that does not parse', 'language: typescript\nallowed_files: [a, b\n', 'line'),
  contract('a JSON string at the root', '"just a string"\n', '(document)'),
  contract('a number at the root', '42\n', '(document)'),
  contract('a list at the root', '[1, 2]\n', '(document)'),
  {
    ...contract('a directory in place of the contract', '', '(document)'),
    setup: (ws) => {
      ws.write(`${ADV}/task.yaml`, TASK_YAML('adv'));
      ws.mkdir(ADV_CONTRACT);
    },
  },
  {
    ...contract('a named pipe in place of the contract (no writer: must not hang)', '', '(document)'),
    setup: async (ws) => {
      ws.write(`${ADV}/task.yaml`, TASK_YAML('adv'));
      await ws.fifo(ADV_CONTRACT);
    },
  },
  contract(
    'a test runner that does not exist',
    `${TS}pipeline: [{name: unit-test, command: nonexistent-runner-xyz}]\n`,
    'nonexistent-runner-xyz',
    'stage-unit-test',
  ),

  // ── task.yaml, status.yaml, task folders ───────────────────────────────────────────────────
  taskFile('slug differs from the folder', TASK_YAML('other-slug'), 'slug'),
  taskFile('slug with a path', TASK_YAML('../x'), 'slug'),
  taskFile('base_commit not hex', `${TASK_YAML('adv')}base_commit: zzzz\n`, 'base_commit'),
  taskFile('base_commit that does not exist', `${TASK_YAML('adv')}base_commit: deadbeefdeadbeef\n`, 'base_commit'),
  taskFile('created_at not a date', 'slug: adv\ntitle: t\ncreated_at: yesterday\n', 'created_at'),
  taskFile('title missing', 'slug: adv\ncreated_at: 2026-01-01T00:00:00Z\n', 'title'),
  taskFile('unknown field', `${TASK_YAML('adv')}bogus: 1\n`, 'bogus'),
  taskFile('workspace not a mapping', `${TASK_YAML('adv')}workspace: [1]\n`, 'workspace'),
  taskFile('bytes that are not UTF-8', Buffer.concat([Buffer.from(TASK_YAML('adv')), Buffer.from([0xff, 0x0a])]), 'line 4'),
  taskFile('300 KiB of task', `${TASK_YAML('adv')}description: "${'x'.repeat(300 * 1024)}"\n`, '(document)'),
  {
    group: 'task',
    name: 'task.yaml missing beside the contract',
    setup: (ws) => ws.write(ADV_CONTRACT, TS),
    command: ['nx', 'run', 'adv:stage-contract'],
    file: `${ADV}/task.yaml`,
    field: '(document)',
  },
  {
    group: 'task',
    name: 'contract.yaml missing beside task.yaml',
    setup: (ws) => ws.write(`${ADV}/task.yaml`, TASK_YAML('adv')),
    command: ['nx', 'run', 'adv:stage-contract'],
    file: ADV_CONTRACT,
    field: '(document)',
  },
  {
    group: 'task',
    name: 'status.yaml with an unknown status',
    setup: (ws) => {
      ws.write(`${ADV}/task.yaml`, TASK_YAML('adv'));
      ws.write(ADV_CONTRACT, TS);
      ws.write(`${ADV}/status.yaml`, 'status: flying\nupdated_at: 2026-01-01T00:00:00Z\n');
    },
    command: ['nx', 'run', 'adv:stage-contract'],
    file: `${ADV}/status.yaml`,
    field: 'status',
  },
  {
    group: 'task',
    name: 'a folder name that is no slug',
    setup: (ws) => ws.write('.factory/Bad_Folder/contract.yaml', TS),
    command: ['nx', 'run', 'Bad-Folder_invalid-task:stage-contract'],
    file: '.factory/Bad_Folder',
    field: 'slug',
  },
  {
    group: 'task',
    name: 'a folder differing from a task only in case',
    setup: (ws) => {
      ws.write('.factory/GOOD-1/task.yaml', TASK_YAML('GOOD-1'));
      ws.write('.factory/GOOD-1/contract.yaml', TS);
    },
    command: ['nx', 'run', 'GOOD-1:stage-contract'],
    file: '.factory/good-1',
    field: 'slug',
  },
  {
    group: 'task',
    name: 'a folder named like another Nx project',
    setup: (ws) => {
      ws.write('.factory/app/task.yaml', TASK_YAML('app'));
      ws.write('.factory/app/contract.yaml', TS);
    },
    command: ['nx', 'run', 'app_factory-task:stage-contract'],
    file: '.factory/app',
    field: 'slug',
  },

  // ── global config.yaml and contract.yaml (every task fails naming them; the graph stays) ─
  globalFile('config version 2', '.factory/config.yaml', 'version: 2\n', 'version'),
  globalFile('config unknown key', '.factory/config.yaml', 'version: 1\nbogus: 1\n', 'bogus'),
  globalFile('config env value a list', '.factory/config.yaml', 'env: {A: [1]}\n', 'env.A'),
  globalFile('config workspace backend svn', '.factory/config.yaml', 'workspace: {backend: svn}\n', 'workspace.backend'),
  globalFile('config YAML that does not parse', '.factory/config.yaml', 'env: {A: 1\n', 'line'),
  globalFile('config of 300 KiB', '.factory/config.yaml', `# ${'x'.repeat(300 * 1024)}\nversion: 1\n`, '(document)'),
  globalFile('config not UTF-8', '.factory/config.yaml', Buffer.from([0x76, 0x3a, 0x20, 0xff, 0x0a]), 'line 1'),
  {
    group: 'config',
    name: 'config a directory',
    setup: (ws) => {
      ws.remove('.factory/config.yaml');
      ws.mkdir('.factory/config.yaml');
    },
    command: ['nx', 'run', 'good-1:stage-contract'],
    file: '.factory/config.yaml',
    field: '(document)',
  },
  globalFile('global contract: a number as a word', '.factory/contract.yaml', 'max_lines_changed: lots\n', 'max_lines_changed'),
  globalFile('global contract: YAML that does not parse', '.factory/contract.yaml', '[oops\n', 'line 2'),
  globalFile('global contract: unknown field', '.factory/contract.yaml', 'bogus_field: 1\n', 'bogus_field'),
  globalFile('global contract: of 1 MiB', '.factory/contract.yaml', `# ${'x'.repeat(1024 * 1024)}\n`, '(document)'),
  globalFile('global contract: forbidden_files absolute', '.factory/contract.yaml', "forbidden_files: ['/etc/**']\n", 'forbidden_files.0'),
  {
    ...globalFile('llm provider unknown', '.factory/config.yaml', 'llm: {provider: nope, model: x}\n', 'llm.provider'),
    command: ['nx', 'run', 'good-1:stage-review', '--excludeTaskDependencies'],
  },
  {
    ...globalFile(
      'llm api_key_name holds a key',
      '.factory/config.yaml',
      'llm: {provider: openai, model: x, api_key_name: sk-abc123}\n',
      'llm.api_key_name',
    ),
    command: ['nx', 'run', 'good-1:stage-review', '--excludeTaskDependencies'],
  },

  // ── generator options ──────────────────────────────────────────────────────────────────────
  generator('slug with ..', ['../evil', '--directory=packages/app'], '--slug'),
  generator('slug with /', ['a/b', '--directory=packages/app'], '--slug'),
  generator('slug differing from a task only in case', ['GOOD-1', '--directory=packages/app'], '--slug'),
  generator('slug of an existing task', ['good-1', '--directory=packages/app'], '--slug'),
  generator('reserved slug', ['workspaces', '--directory=packages/app'], '--slug'),
  generator('Windows device name', ['CON', '--directory=packages/app'], '--slug'),
  generator('leading -', ['--slug=-lead', '--directory=packages/app'], '--slug'),
  generator('empty slug', ['--slug=', '--directory=packages/app'], '--slug'),
  generator('300 characters', ['a'.repeat(300), '--directory=packages/app'], '--slug'),
  generator('an existing Nx project name', ['app', '--directory=packages/app'], '--slug'),
  generator('--directory absolute outside', ['ok-1', '--directory=/etc'], '--directory'),
  generator('--directory ..', ['ok-1', '--directory=../..'], '--directory'),
  generator('--directory that does not exist', ['ok-1', '--directory=nope/dir'], '--directory'),
  generator('--language unknown', ['ok-1', '--directory=packages/app', '--language=cobol'], 'language'),
  generator('--max-lines-changed negative', ['ok-1', '--directory=packages/app', '--max-lines-changed=-5'], 'maxLinesChanged'),
  generator('--max-lines-changed not a number', ['ok-1', '--directory=packages/app', '--max-lines-changed=abc'], 'maxLinesChanged'),
  generator('--required-test-coverage 150', ['ok-1', '--directory=packages/app', '--required-test-coverage=150'], 'requiredTestCoverage'),
  generator('--allowed-files absolute', ['ok-1', '--directory=packages/app', '--allowed-files=/etc/**'], '--allowed-files'),
  generator('--allowed-files ..', ['ok-1', '--directory=packages/app', '--allowed-files=../**'], '--allowed-files'),
  generator('--allowed-files bad glob', ['ok-1', '--directory=packages/app', '--allowed-files=['], '--allowed-files'),
  generator('--forbidden-files ..', ['ok-1', '--directory=packages/app', '--forbidden-files=**/../x'], '--forbidden-files'),
  generator('--base-commit not hex', ['ok-1', '--directory=packages/app', '--base-commit=zzz'], '--base-commit'),
  generator('--base-commit unknown to git', ['ok-1', '--directory=packages/app', '--base-commit=deadbeefdeadbeef'], '--base-commit'),
  generator(
    '--new-dependencies-allowed maybe',
    ['ok-1', '--directory=packages/app', '--new-dependencies-allowed=maybe'],
    'newDependenciesAllowed',
  ),
  generator('unknown option', ['ok-1', '--directory=packages/app', '--bogus-opt=1'], 'bogusOpt'),

  // ── CLI arguments ──────────────────────────────────────────────────────────────────────────
  cli('unknown command', ['frobnicate'], '"frobnicate"'),
  cli('show without a slug', ['show'], 'slug'),
  cli('show ../../etc', ['show', '../../etc'], '"../../etc"'),
  cli('show with an unknown flag', ['show', 'good-1', '--bogus'], '--bogus'),
  cli('show with two slugs', ['show', 'good-1', 'good-2'], 'good-2'),
  cli('list with an unknown flag', ['list', '--bogus'], '--bogus'),
  cli('list with an argument', ['list', 'extra'], 'extra'),
  cli('report of a task that does not exist', ['report', 'nope'], '"nope"', { file: '.factory/nope/task.yaml' }),
  cli('report ../x', ['report', '../x'], '"../x"'),
  cli('report --out a directory', ['report', 'good-1', '--out', '.factory'], '--out'),
  cli('ui --port a word', ['ui', '--port', 'abc'], '--port'),
  cli('ui --port out of range', ['ui', '--port', '99999'], '--port'),
  cli('ui --port negative', ['ui', '--port', '-1'], '--port'),
  cli('keys without a verb', ['keys'], 'init, list, trust or untrust'),
  cli('keys trust a word', ['keys', 'trust', 'zzzz'], '"zzzz"'),
  cli('keys trust an unlisted key', ['keys', 'trust', '12345678'], '12345678'),
  cli('keys untrust without a key', ['keys', 'untrust'], 'key id'),
  cli('keys list with an unknown flag', ['keys', 'list', '--bogus'], '--bogus'),
  cli('evidence without a verb', ['evidence'], 'export or verify'),
  cli('evidence verify without a file', ['evidence', 'verify'], 'bundle file'),
  cli('evidence verify a missing file', ['evidence', 'verify', 'missing.json'], 'ENOENT', { file: 'missing.json' }),
  cli('evidence verify a file that is not JSON', ['evidence', 'verify', 'packages/app/src/index.ts'], 'not JSON', {
    file: 'packages/app/src/index.ts',
  }),
  cli('evidence verify JSON that is no bundle', ['evidence', 'verify', 'package.json'], 'mediaType', { file: 'package.json' }),
  cli('evidence verify a directory', ['evidence', 'verify', 'packages'], 'EISDIR', { file: 'packages' }),
  cli('evidence export without a slug', ['evidence', 'export'], 'slug'),
  cli('evidence export of no task', ['evidence', 'export', 'nope'], 'nope', { file: '.factory/nope' }),
  cli('stage with a path as stage name', ['stage', 'good-1', '../x'], '"../x"'),
  cli('stage of a task that does not exist', ['stage', 'nope', 'unit-test'], '"nope"', { file: '.factory/nope/task.yaml' }),
  cli('close ../a', ['close', '../a'], '"../a"'),
  cli('close with an unknown flag', ['close', 'good-1', '--bogus'], '--bogus'),
  cli('audit with an unknown verb', ['audit', 'bogus'], '"verify" or "checkpoint"'),
  cli('audit verify with an unknown flag', ['audit', 'verify', '--bogus'], '--bogus'),
  cli('audit checkpoint with an argument', ['audit', 'checkpoint', 'extra'], 'extra'),
  cli('workspace path of no task', ['workspace', 'path', 'nope'], '"nope"', { file: '.factory/nope/task.yaml' }),
  cli('tcr restore a word', ['tcr', 'restore', 'good-1', 'x'], "attempt's number"),
  cli('tcr run unknown variant', ['tcr', 'run', 'good-1', '--variant', 'loose'], '--variant'),
  cli('rollout --to a word', ['rollout', 'good-1', '--to', 'abc'], "'to'"),
  cli('approve --strategy unknown', ['approve', 'good-1', '--strategy', 'nope'], "'strategy'"),
  cli('new CON', ['new', 'CON'], '"CON"'),
  cli('pr with two slugs', ['pr', 'good-1', 'good-2'], 'one slug'),

  // ── environment ────────────────────────────────────────────────────────────────────────────
  {
    group: 'environment',
    name: 'FACTORY_LOCK_WAIT a word',
    command: ['nx', 'run', 'good-1:stage-contract', '--skip-nx-cache'],
    env: () => ({ FACTORY_LOCK_WAIT: 'abc' }),
    field: 'FACTORY_LOCK_WAIT',
  },
  {
    group: 'environment',
    name: 'FACTORY_LOCK_WAIT negative',
    command: ['nx', 'run', 'good-1:stage-contract', '--skip-nx-cache'],
    env: () => ({ FACTORY_LOCK_WAIT: '-5' }),
    field: 'FACTORY_LOCK_WAIT',
  },
  {
    group: 'environment',
    name: 'FACTORY_SIGNING_KEY garbage: keys init',
    command: ['factory', 'keys', 'init', '--owner', 'e2e@factory.test'],
    env: () => ({ FACTORY_SIGNING_KEY: 'garbage' }),
    field: 'FACTORY_SIGNING_KEY',
  },
  {
    group: 'environment',
    name: 'FACTORY_SIGNING_KEY garbage: a stage',
    command: ['nx', 'run', 'good-1:stage-contract', '--skip-nx-cache'],
    env: () => ({ FACTORY_SIGNING_KEY: 'garbage' }),
    field: 'FACTORY_SIGNING_KEY',
  },
  {
    group: 'environment',
    name: 'a key file others can read: a stage',
    setup: (ws) => ws.write(`${ws.outside}/cfg-stage/factory/keys/signing-key.pem`, ed25519Pem(), 0o644),
    command: ['nx', 'run', 'good-1:stage-contract', '--skip-nx-cache'],
    env: (ws) => ({ XDG_CONFIG_HOME: `${ws.outside}/cfg-stage` }),
    field: 'mode',
    file: 'signing-key.pem',
  },
  {
    group: 'environment',
    name: 'FACTORY_SIGNING_KEY garbage: audit checkpoint',
    command: ['factory', 'audit', 'checkpoint'],
    env: () => ({ FACTORY_SIGNING_KEY: 'garbage' }),
    field: 'FACTORY_SIGNING_KEY',
  },
  {
    group: 'environment',
    name: 'FACTORY_SIGNING_KEY an RSA key',
    command: ['factory', 'keys', 'init', '--owner', 'e2e@factory.test'],
    env: () => ({ FACTORY_SIGNING_KEY: rsaPem() }),
    field: 'FACTORY_SIGNING_KEY',
  },
  {
    group: 'environment',
    name: 'FACTORY_SIGNING_KEY a truncated PEM',
    command: ['factory', 'keys', 'init', '--owner', 'e2e@factory.test'],
    env: () => ({ FACTORY_SIGNING_KEY: '-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEI\n' }),
    field: 'FACTORY_SIGNING_KEY',
  },
  {
    group: 'environment',
    name: 'a key file others can read',
    setup: (ws) => ws.write(`${ws.outside}/cfg-0644/factory/keys/signing-key.pem`, ed25519Pem(), 0o644),
    command: ['factory', 'keys', 'init', '--owner', 'e2e@factory.test'],
    env: (ws) => ({ XDG_CONFIG_HOME: `${ws.outside}/cfg-0644` }),
    field: 'mode',
    file: 'signing-key.pem',
  },
  {
    group: 'environment',
    name: 'a key file of garbage',
    setup: (ws) => ws.write(`${ws.outside}/cfg-garbage/factory/keys/signing-key.pem`, 'garbage\n', 0o600),
    command: ['factory', 'keys', 'init', '--owner', 'e2e@factory.test'],
    env: (ws) => ({ XDG_CONFIG_HOME: `${ws.outside}/cfg-garbage` }),
    field: 'PKCS#8',
    file: 'signing-key.pem',
  },
  {
    group: 'environment',
    name: 'XDG_CONFIG_HOME inside the workspace',
    setup: (ws) => ws.write('.cfg/factory/keys/signing-key.pem', 'x', 0o600),
    command: ['factory', 'keys', 'init', '--owner', 'e2e@factory.test'],
    env: (ws) => ({ XDG_CONFIG_HOME: `${ws.root}/.cfg` }),
    field: 'outside the workspace',
    file: 'signing-key.pem',
  },
  {
    group: 'environment',
    name: 'FACTORY_LOCK_WAIT beyond a day',
    command: ['nx', 'run', 'good-1:stage-contract', '--skip-nx-cache'],
    env: () => ({ FACTORY_LOCK_WAIT: '1e9' }),
    field: 'FACTORY_LOCK_WAIT',
  },
  {
    group: 'environment',
    name: 'FACTORY_SIGNING_KEY base64 of no key',
    command: ['factory', 'keys', 'init', '--owner', 'e2e@factory.test'],
    env: () => ({ FACTORY_SIGNING_KEY: 'QUJDRA==' }),
    field: 'FACTORY_SIGNING_KEY',
  },
  {
    group: 'cli',
    name: 'evidence verify --trust a word',
    setup: (ws) => ws.run(['factory', 'evidence', 'export', 'good-1', '--out', 'good-1.evidence.json']),
    command: ['factory', 'evidence', 'verify', 'good-1.evidence.json', '--trust', 'not-a-key'],
    field: '--trust',
  },
];
