import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { jest } from '@jest/globals';
import { languageWorkspace, type LanguageWorkspace } from './utils/language-workspace';
import { GATE_LANGUAGES, type GateLanguage } from './utils/gate-cases';

jest.setTimeout(900_000);

/** A made-up AWS access key id (the real prefix, 16 random characters): a planted fake secret. */
const fakeKey = () => `AKIA${[...randomBytes(16)].map((b) => 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'[b % 32]).join('')}`;

/** Whether `value` occurs in any file under `dir` (recursively). */
function foundUnder(dir: string, value: string): string | undefined {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return undefined;
  }
  for (const e of entries) {
    const p = path.join(dir, e);
    const st = statSync(p, { throwIfNoEntry: false });
    if (st?.isDirectory()) {
      const hit = foundUnder(p, value);
      if (hit) return hit;
    } else if (st?.isFile() && readFileSync(p).includes(value)) return p;
  }
  return undefined;
}

describe.each(GATE_LANGUAGES)('gates on the $lang example', (lang: GateLanguage) => {
  let ws: LanguageWorkspace;
  const src = () => `${ws.dir}/${lang.source}`;

  beforeAll(async () => {
    ws = await languageWorkspace(lang.setup);
  });
  afterEach(async () => ws && ws.undo());
  afterAll(() => ws?.cleanup());

  it('passes the whole standard pipeline, contract and security included', async () => {
    const r = await ws.nx(['run', `${ws.slug}:pipeline`]);
    if (r.code !== 0) throw new Error(r.out.slice(-6000));
    for (const stage of lang.stages) {
      const result = JSON.parse(ws.read(`.factory/${ws.slug}/results/stage-${stage}.json`));
      expect({ stage, status: result.status }).toEqual({ stage, status: 'success' });
    }
    expect(JSON.parse(ws.read(`.factory/${ws.slug}/results/stage-coverage.json`)).metrics.coverage_percent).toBeGreaterThanOrEqual(80);
  });

  it.each(lang.failures)('fails at $stage on $name, naming the cause', async (c) => {
    ws.editExample(c.file, c.edit);
    // Coverage reads the figure the unit-test run measured: that run comes first.
    const { code, out, result } = await ws.stage(c.stage, { withDependencies: c.stage === 'coverage' });
    expect(code).not.toBe(0);
    expect(result.status).toBe('failure');
    expect(result.summary).toMatch(c.summary);
    expect(out).toContain(result.summary.split('\n')[0]);
  });

  it('fails at contract on a forbidden file, naming the file and the glob', async () => {
    ws.write(`${ws.dir}/server.pem`, 'not a real certificate\n');
    const { code, result } = await ws.stage('contract');
    expect(code).not.toBe(0);
    expect(result.summary).toBe(`${ws.dir}/server.pem: forbidden_files: matches forbidden glob "**/*.pem"`);
  });

  it('fails at contract on too many changed lines, naming the limit, the count and the file', async () => {
    ws.editExample(lang.source, (t) => t + lang.comment('padding\n').repeat(45));
    const { code, result } = await ws.stage('contract');
    expect(code).not.toBe(0);
    expect(result.summary).toBe(`max_lines_changed: 45 lines changed, more than the limit of 40; largest: ${src()} (45)`);
  });

  it('never counts a change to a lockfile alone against the line budget', async () => {
    ws.editExample(lang.lockfile, (t) => t + lang.lockfileLines(500));
    const { code, result } = await ws.stage('contract');
    expect(code).toBe(0);
    expect(result.metrics).toMatchObject({ lines_counted: 0 });
    expect(result.metrics.lines_excluded).toBeGreaterThanOrEqual(500);
  });

  it('fails at contract on a new dependency in the manifest, and accepts it when allowed', async () => {
    ws.editExample(lang.manifest, lang.addDependency);
    const refused = await ws.stage('contract');
    expect(refused.code).not.toBe(0);
    expect(refused.result.summary).toBe(
      `${ws.dir}/${lang.manifest}: new_dependencies: adds ${lang.dependency}, but new dependencies are not allowed`,
    );
    ws.contract({ new_dependencies_allowed: true });
    const allowed = await ws.stage('contract');
    expect(allowed.code).toBe(0);
    expect(allowed.result.summary).toContain('dependencies added (allowed)');
  });

  it('fails at security on a planted fake secret, naming file and line, and never writes or prints it', async () => {
    const key = fakeKey();
    const lines = ws.readExample(lang.source).split('\n').length;
    ws.editExample(lang.source, (t) => t + lang.secretLine(key));
    const { code, out, result } = await ws.stage('security');
    expect(code).not.toBe(0);
    expect(result.summary).toMatch(new RegExp(`^${src().replace(/[.]/g, '\\.')}:${lines}:\\d+: aws-access-key-id: `));
    expect(out).not.toContain(key);
    expect(foundUnder(path.join(ws.root, '.factory'), key)).toBeUndefined();
    expect(foundUnder(path.join(ws.root, '.nx'), key)).toBeUndefined();
  });
});

describe('gates: cache inputs, built-in stage settings and bad input', () => {
  let ws: LanguageWorkspace;
  beforeAll(async () => {
    ws = await languageWorkspace({ example: 'go-greeting', slug: 'gate-misc', taskOptions: ['--max-lines-changed=40'] });
  });
  afterEach(async () => ws && ws.undo());
  afterAll(() => ws?.cleanup());

  it('sees a change outside allowed_files after a cache hit: contract and security are keyed on every changed file', async () => {
    expect((await ws.stage('contract')).code).toBe(0);
    const hit = await ws.stage('contract');
    expect(hit.out).toMatch(/local cache|existing outputs match the cache/);
    ws.write('docs/notes.md', 'outside the allowed files\n');
    const miss = await ws.stage('contract');
    expect(miss.code).not.toBe(0);
    expect(miss.result.summary).toMatch(/^docs\/notes\.md: allowed_files: matches none of the allowed globs "examples\/go-greeting\/\*\*"/);
    expect((await ws.stage('security')).code).toBe(0);
    const key = fakeKey();
    ws.write('docs/notes.md', `aws_key = "${key}"\n`);
    const secret = await ws.stage('security');
    expect(secret.code).not.toBe(0);
    expect(secret.result.summary).toMatch(/^docs\/notes\.md:1:\d+: aws-access-key-id: /);
    expect(secret.out).not.toContain(key);
  });

  it('lets a contract make a built-in stage advisory, or disable it', async () => {
    ws.contract({ stages: { security: { required_success: false }, contract: { enabled: false } } });
    ws.editExample('greeting.go', (t) => `${t}var awsKey = "${fakeKey()}"\n`);
    const advisory = await ws.stage('security');
    expect(advisory.code).toBe(0);
    expect(advisory.result).toMatchObject({ status: 'failure', advisory: true });
    expect(advisory.out).toContain('[advisory: required_success is false, the pipeline goes on]');
    const show = await ws.nx(['show', 'project', ws.slug, '--json']);
    expect(Object.keys(JSON.parse(show.out).targets)).not.toContain('stage-contract');
  });

  it('fails naming task.yaml and base_commit when the base commit does not exist', async () => {
    const file = `.factory/${ws.slug}/task.yaml`;
    ws.write(file, ws.read(file).replace(/base_commit: \S+/, 'base_commit: 0123456789abcdef0123456789abcdef01234567'));
    const { code, result } = await ws.stage('contract');
    expect(code).not.toBe(0);
    expect(result.summary).toMatch(
      /^\.factory\/gate-misc\/task\.yaml: base_commit: expected a commit that exists in .*, got "0123456789abcdef0123456789abcdef01234567"/,
    );
  });

  it.each([
    [{ allowed_files: ['examples/[go'] }, 'allowed_files.0: expected a valid glob, got "examples/[go"'],
    [{ max_lines_changed: -5 }, 'max_lines_changed: expected at least 0, got -5'],
    [{ required_test_coverage: 101 }, 'required_test_coverage: expected at most 100, got 101'],
  ])('refuses the contract %j, naming file and field', async (fields, message) => {
    ws.contract(fields);
    const r = await ws.nx(['run', `${ws.slug}:stage-contract`]);
    expect(r.code).not.toBe(0);
    expect(r.out).toContain(`.factory/${ws.slug}/contract.yaml: ${message}`);
  });
});
