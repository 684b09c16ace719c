import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { jest } from '@jest/globals';
import { parse, stringify } from 'yaml';
import { CHROMIUM, openBrowser, screenshotDir, type Browser } from './utils/browser';
import { newWorkspace, type TestWorkspace } from './utils/workspace';

jest.setTimeout(900_000);

const HOSTILE_TITLE = 'Parse <script>window.__pwned=1</script> tags <img src=x onerror="window.__pwned=2">';

const GREEN = [
  {
    name: 'compile',
    description: 'tsc',
    command: 'npx tsc -p packages/app --noEmit',
    working_directory: '.',
    timeout_seconds: 120,
    required_success: true,
  },
  {
    name: 'unit-test',
    description: 'node --test',
    command: 'node --test packages/app/test/',
    working_directory: '.',
    timeout_seconds: 120,
    required_success: true,
    needs: ['compile'],
  },
  {
    name: 'coverage',
    description: 'coverage',
    command: 'node --test --experimental-test-coverage packages/app/test/',
    working_directory: '.',
    timeout_seconds: 120,
    required_success: true,
    needs: ['unit-test'],
    coverage: { parser: 'node-test' },
  },
  {
    name: 'lint',
    description: 'lint',
    command: 'grep -c greet packages/app/src/index.ts',
    working_directory: '.',
    timeout_seconds: 60,
    required_success: false,
  },
  { name: 'contract' },
];
const RED = [
  {
    name: 'compile',
    description: 'tsc',
    command: 'npx tsc --noEmit --strict packages/bad/bad.ts',
    working_directory: '.',
    timeout_seconds: 120,
    required_success: true,
  },
  {
    name: 'unit-test',
    description: 'tests',
    command: 'node --test packages/bad/',
    working_directory: '.',
    timeout_seconds: 60,
    required_success: true,
    needs: ['compile'],
  },
  {
    name: 'lint',
    description: 'lint',
    command: `node -e "console.log('packages/bad/bad.ts:1:1 prefer-const'); process.exit(1)"`,
    working_directory: '.',
    timeout_seconds: 60,
    required_success: false,
  },
  { name: 'contract' },
];

describe('factory report: one self-contained page, read by a real browser', () => {
  let ws: TestWorkspace;
  let light: Browser;
  let dark: Browser;
  const report = async (slug?: string) => {
    const r = await ws.factory(['report', ...(slug ? [slug] : [])]);
    expect(r.code).toBe(0);
    const file = r.out.trim().split('\n').at(-1) as string;
    expect(file).toMatch(/\.html$/);
    return file;
  };

  beforeAll(async () => {
    ws = await newWorkspace();
    ws.write(
      '.factory/config.yaml',
      `${ws.read('.factory/config.yaml')}rollout:\n  health:\n    command: cat health/$FACTORY_SLUG.json\n    max_error_rate: 0.01\n    max_latency_ms: 300\n`,
    );
    ws.write('.gitignore', `${ws.read('.gitignore')}health/\n`);
    ws.write('packages/app/lib/sum.js', 'exports.sum = (a, b) => a + b;\nexports.unused = (a) => (a > 0 ? a : -a);\n');
    ws.write(
      'packages/app/test/sum.test.js',
      "const test = require('node:test');\nconst assert = require('node:assert');\nconst { sum } = require('../lib/sum.js');\ntest('adds', () => assert.strictEqual(sum(2, 3), 5));\n",
    );
    ws.write('packages/bad/bad.ts', 'export const answer: string = 42;\n');
    await ws.git(['add', '-A']);
    await ws.git(['commit', '-qm', 'code']);
    for (const [slug, title, allowed, pipeline] of [
      ['sf-green', 'Greet people by name', 'packages/app/**', GREEN],
      ['sf-red', HOSTILE_TITLE, 'packages/bad/**', RED],
      ['sf-roll', 'Say goodbye too', 'packages/app/**', GREEN],
    ] as const) {
      const g = await ws.nx([
        'g',
        'factory:task',
        slug,
        `--title=${title}`,
        `--allowed-files=${allowed}`,
        '--language=typescript',
        '--skip-workspace',
        '--no-interactive',
      ]);
      expect(g.code).toBe(0);
      const file = `.factory/${slug}/contract.yaml`;
      ws.write(file, stringify({ ...parse(ws.read(file)), required_test_coverage: slug === 'sf-red' ? 0 : 50, pipeline }));
    }
    await ws.git(['add', '-A']);
    await ws.git(['commit', '-qm', 'tasks']);
    ws.write(
      'packages/app/src/index.ts',
      `${ws.read('packages/app/src/index.ts')}export const bye = (name: string): string => \`bye \${name}\`;\n`,
    );
    expect((await ws.nx(['run', 'sf-green:pipeline'])).code).toBe(0);
    expect((await ws.nx(['run', 'sf-red:pipeline'])).code).not.toBe(0);
    expect((await ws.nx(['run', 'sf-roll:pipeline'])).code).toBe(0);
    ws.write('health/sf-roll.json', '{"error_rate": 0.002, "latency_ms": 120}');
    expect((await ws.nx(['run', 'sf-roll:approve', '--yes', '--actor=ann@example.com', '--strategy=gradual'])).code).toBe(0);
    expect((await ws.nx(['run', 'sf-roll:rollout', '--actor=ann@example.com'])).code).toBe(0);
    light = await openBrowser('light');
    dark = await openBrowser('dark');
  });
  afterAll(async () => {
    await light?.close();
    await dark?.close();
    ws?.cleanup();
  });

  it('writes an .html file, prints its path, and loads nothing from the network', async () => {
    const file = await report('sf-green');
    expect(file).toBe(path.join(ws.root, '.factory/sf-green/results/report.html'));
    const html = readFileSync(file, 'utf8');
    expect(html).not.toMatch(/(src|href)=["']?(https?:)?\/\//i);
    expect(html).toContain('<style>');
  });

  it('chromium --dump-dom shows the slug and the stage names', async () => {
    const dom = execFileSync(
      CHROMIUM,
      ['--headless', '--no-sandbox', '--disable-gpu', '--dump-dom', `file://${await report('sf-green')}`],
      {
        encoding: 'utf8',
        timeout: 60_000,
        stdio: ['ignore', 'pipe', 'ignore'],
      },
    );
    for (const s of ['sf-green', 'compile', 'unit-test', 'coverage', 'contract']) expect(dom).toContain(s);
  });

  it('shows a green task: stage bars, causes, coverage against the floor, the contract', async () => {
    const file = await report('sf-green');
    for (const [browser, scheme] of [
      [light, 'light'],
      [dark, 'dark'],
    ] as const) {
      const { page, errors, dialogs } = await browser.page();
      await page.goto(`file://${file}`);
      expect(await page.locator('.tl-row').count()).toBe(5);
      expect(await page.locator('.tl-row[data-verdict="pass"]').count()).toBe(5);
      expect((await page.locator('.stage[data-stage="unit-test"] .cause').textContent())?.trim()).not.toBe('');
      const coverage = page.locator('#sf-green-coverage');
      expect(await coverage.innerText()).toContain('floor 50 %');
      expect(Number(await coverage.locator('[data-coverage]').getAttribute('data-coverage'))).toBeGreaterThanOrEqual(50);
      expect(await page.locator('#sf-green-contract tr[data-allowed="yes"] td.mono').first().textContent()).toBe(
        'packages/app/src/index.ts',
      );
      expect(await page.locator('#sf-green-audit [data-audit]').getAttribute('data-audit')).toBe('verified');
      await page.screenshot({ path: path.join(screenshotDir(), `report-green-${scheme}.png`), fullPage: true });
      await page.emulateMedia({ media: 'print' });
      expect(await page.locator('nav.toc').isVisible()).toBe(false);
      expect(await page.locator('.tl-row').first().isVisible()).toBe(true);
      expect(errors).toEqual([]);
      expect(dialogs).toEqual([]);
      await page.close();
    }
  });

  it('shows a failed task: the root cause, the stage that did not run, a hostile title as text', async () => {
    const file = await report('sf-red');
    for (const [browser, scheme] of [
      [light, 'light'],
      [dark, 'dark'],
    ] as const) {
      const { page, errors, dialogs } = await browser.page();
      await page.goto(`file://${file}`);
      expect(await page.locator('.tl-row[data-stage="compile"]').getAttribute('data-verdict')).toBe('fail');
      expect(await page.locator('.stage[data-stage="compile"] .cause').textContent()).toMatch(/error TS2322/);
      expect(await page.locator('.stage[data-stage="unit-test"]').getAttribute('data-verdict')).toBe('not_run');
      expect(await page.locator('.stage[data-stage="lint"]').getAttribute('data-verdict')).toBe('advisory');
      expect(await page.locator('#sf-red-contract tr[data-allowed="no"] td.mono').first().textContent()).toBe('packages/app/src/index.ts');
      expect(await page.locator('h1').textContent()).toContain('<script>window.__pwned=1</script>');
      expect(await page.evaluate(() => (globalThis as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
      expect(await page.locator('ol.lifecycle + .off-path').textContent()).toContain('failed');
      await page.screenshot({ path: path.join(screenshotDir(), `report-failed-${scheme}.png`), fullPage: true });
      expect(errors).toEqual([]);
      expect(dialogs).toEqual([]);
      await page.close();
    }
  });

  it('shows a task mid-rollout: percent over time with each health check', async () => {
    const file = await report('sf-roll');
    for (const [browser, scheme] of [
      [light, 'light'],
      [dark, 'dark'],
    ] as const) {
      const { page, errors } = await browser.page();
      await page.goto(`file://${file}`);
      const rollout = page.locator('#sf-roll-rollout');
      expect(await rollout.locator('[data-percent]').getAttribute('data-percent')).toBe('10');
      expect(await rollout.locator('svg polyline.line').count()).toBe(1);
      expect(await rollout.locator('svg circle.check-ok').count()).toBe(1);
      expect(await rollout.innerText()).toContain('error rate 0.002');
      expect(await page.locator('ol.lifecycle li.current').textContent()).toBe('deployed to staging');
      await page.screenshot({ path: path.join(screenshotDir(), `report-rollout-${scheme}.png`), fullPage: true });
      expect(errors).toEqual([]);
      await page.close();
    }
  });

  it('writes every task in one page without a slug', async () => {
    const file = await report();
    expect(file).toBe(path.join(ws.root, '.factory/report.html'));
    const { page, errors } = await light.page();
    await page.goto(`file://${file}`);
    expect(await page.locator('table.task-list tr[data-slug]').count()).toBe(3);
    expect(await page.locator('article.task').count()).toBe(3);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('refuses an unknown slug with a one-line message, not a stack trace', async () => {
    const r = await ws.factory(['report', 'nope-9']);
    expect(r.code).toBe(1);
    expect(r.out.trim()).toBe(
      'factory: no task "nope-9": neither .factory/nope-9/task.yaml nor .factory/nope-9/contract.yaml exists. Tasks here: sf-green, sf-red, sf-roll',
    );
  });

  it("reads an unchanged task's files from the CLI's cache: no core package, no zod, no YAML", async () => {
    await report('sf-green');
    // Outside the workspace, so that the task's lines changed stay as they are.
    const dir = mkdtempSync(path.join(tmpdir(), 'factory-e2e-loaded-'));
    try {
      const hook = path.join(dir, 'hook.cjs');
      writeFileSync(
        hook,
        `process.on('exit', () => require('fs').writeFileSync(${JSON.stringify(path.join(dir, 'loaded.json'))}, JSON.stringify(Object.keys(require.cache))));\n`,
      );
      const r = await ws.run('node', ['--require', hook, 'node_modules/factory/bin/factory.js', 'report', 'sf-green']);
      expect(r.code).toBe(0);
      const loaded = (JSON.parse(readFileSync(path.join(dir, 'loaded.json'), 'utf8')) as string[]).map((f) => path.relative(ws.root, f));
      expect(loaded).toContain('node_modules/factory/dist/cli/report.cjs');
      expect(loaded.filter((f) => /node_modules\/(zod|yaml|@factory\/core)\//.test(f))).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('writes the same page from the cache as from the files', async () => {
    const page = async () => readFileSync(await report('sf-green'), 'utf8').replace(/generated <time[^>]*>[^<]*<\/time>/, 'generated');
    const fromCache = await page();
    rmSync(path.join(ws.root, '.nx/workspace-data/factory-task-report.json'));
    expect(await page()).toBe(fromCache);
  });

  it('still renders a task with a corrupt and a missing result, listing the problem', async () => {
    const json = path.join(ws.root, '.factory/sf-green/results/stage-compile.json');
    const log = path.join(ws.root, '.factory/sf-green/results/stage-unit-test.json');
    const good = readFileSync(json, 'utf8');
    const goodLog = readFileSync(log, 'utf8');
    writeFileSync(json, '{"stage_name": "compile", ');
    execFileSync('rm', [log]);
    try {
      const { page, errors } = await light.page();
      await page.goto(`file://${await report('sf-green')}`);
      expect(await page.locator('.problems').textContent()).toContain(
        '.factory/sf-green/results/stage-compile.json: (document): expected JSON',
      );
      expect(await page.locator('.stage[data-stage="compile"]').getAttribute('data-verdict')).toBe('not_run');
      expect(await page.locator('.stage[data-stage="unit-test"]').getAttribute('data-verdict')).toBe('not_run');
      expect(await page.locator('.stage[data-stage="coverage"]').getAttribute('data-verdict')).toBe('pass');
      expect(errors).toEqual([]);
      await page.close();
    } finally {
      writeFileSync(json, good);
      writeFileSync(log, goodLog);
    }
  });
});
