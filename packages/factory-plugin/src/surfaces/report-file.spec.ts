import { createHash } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { recordedTaskView } from '@factory/core';
import { surfaceTask, type SurfaceTask } from '../testing/surface-task';
import { defaultReportFile, writeReport } from './report-file';

const HOSTILE = '<script>window.pwned=1</script><img src=x onerror="alert(1)">';

describe('writeReport', () => {
  let task: SurfaceTask;
  const record = (slug: string) => recordedTaskView(task.root, slug);
  beforeAll(async () => {
    task = surfaceTask('sf-9', {
      title: `Hostile ${HOSTILE}`,
      stages: [
        { name: 'compile', command: 'echo compiled' },
        { name: 'checks', command: `echo '${HOSTILE}' && exit 2`, needs: ['compile'] },
      ],
    });
    task.write('packages/app/src/more.ts', 'export const more = 1;\n');
    await task.run();
  });
  afterAll(() => task.cleanup());

  it('writes the task page beside its results and returns the path', async () => {
    const file = await writeReport(task.root, { record, slug: 'sf-9' });
    expect(file).toBe(defaultReportFile(task.root, 'sf-9'));
    expect(file).toBe(path.join(task.root, '.factory/sf-9/results/report.html'));
    const page = readFileSync(file, 'utf8');
    expect(page).toMatch(/^<!doctype html>/);
    expect(page).toContain('data-stage="compile" data-verdict="pass"');
    expect(page).toContain('data-stage="checks" data-verdict="fail"');
  });

  it('renders a hostile title and cause as text, never as markup', async () => {
    const page = readFileSync(await writeReport(task.root, { record, slug: 'sf-9' }), 'utf8');
    expect(page).not.toContain('<script>window.pwned');
    expect(page).not.toContain('<img src=x');
    expect(page).toContain('Hostile &lt;script&gt;window.pwned=1&lt;/script&gt;&lt;img src=x onerror=&quot;alert(1)&quot;&gt;');
    // The only scripts are the page's own, allowed by hash in its Content-Security-Policy.
    expect(page.match(/<script>/g)).toHaveLength(1);
    expect(page).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'sha256-[A-Za-z0-9+/=]+'/);
  });

  it("allows exactly the page's own scripts: each script's hash is in the policy", async () => {
    const page = readFileSync(await writeReport(task.root, { record, slug: 'sf-9' }), 'utf8');
    const policy = /content="(default-src[^"]+)"/.exec(page)?.[1] ?? '';
    const scripts = [...page.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]);
    expect(scripts.length).toBeGreaterThan(0);
    for (const s of scripts) expect(policy).toContain(`'sha256-${createHash('sha256').update(s, 'utf8').digest('base64')}'`);
  });

  it('loads nothing from the network and links each log relative to the page', async () => {
    const page = readFileSync(await writeReport(task.root, { record, slug: 'sf-9' }), 'utf8');
    expect(page).not.toMatch(/(src|href)=["']?(https?:)?\/\//i);
    expect(page).toContain('href="stage-checks.log"');
  });

  it('writes where --out says, with links that still reach the logs', async () => {
    const file = await writeReport(task.root, { record, slug: 'sf-9', out: 'out/r.html' });
    expect(file).toBe(path.join(task.root, 'out/r.html'));
    expect(readFileSync(file, 'utf8')).toContain('href="../.factory/sf-9/results/stage-compile.log"');
  });

  it('writes every task of the workspace in one page', async () => {
    const file = await writeReport(task.root, { record });
    expect(file).toBe(path.join(task.root, '.factory/report.html'));
    const page = readFileSync(file, 'utf8');
    expect(page).toContain('id="task-sf-9"');
    expect(page).toContain('href="#task-sf-9"');
    expect(page).toContain('href="sf-9/results/stage-compile.log"');
  });

  it('writes the same page from a recorded view kept as JSON, as the CLI keeps it', async () => {
    task.write(
      '.factory/sf-9/metrics.yaml',
      'llm:\n  review: { runs: 2, calls: 3, input_tokens: 12000, output_tokens: 3456, latency_ms: 900, cost_usd: 0.0123 }\n',
    );
    task.write(
      '.factory/sf-9/rollout.yaml',
      'version: 1\nflag_key: sf-9\nstrategy: gradual\nsteps: [10, 100]\npercent: 10\nphase: active\napproved_by: ann@example.com\napproved_at: 2026-05-01T00:00:00.000Z\nupdated_at: 2026-05-01T00:00:00.000Z\nhistory: [{ at: 2026-05-01T00:00:00.000Z, by: ann@example.com, action: approved, from: 0, to: 10 }]\n',
    );
    const now = () => new Date('2026-06-01T12:00:00.000Z');
    const kept = (slug: string) => JSON.parse(JSON.stringify(record(slug)));
    try {
      for (const slug of ['sf-9', undefined]) {
        const fresh = readFileSync(await writeReport(task.root, { record, slug, now, out: '.factory/sf-9/results/fresh.html' }), 'utf8');
        expect(fresh).toContain('12,000');
        expect(fresh).toContain('id="sf-9-rollout"');
        expect(
          readFileSync(await writeReport(task.root, { record: kept, slug, now, out: '.factory/sf-9/results/kept.html' }), 'utf8'),
        ).toBe(fresh);
      }
    } finally {
      rmSync(task.path('.factory/sf-9/metrics.yaml'));
      rmSync(task.path('.factory/sf-9/rollout.yaml'));
    }
  });

  it('refuses an unknown slug, naming the tasks there are', async () => {
    await expect(writeReport(task.root, { record, slug: 'nope-1' })).rejects.toThrow(
      'no task "nope-1": neither .factory/nope-1/task.yaml nor .factory/nope-1/contract.yaml exists. Tasks here: sf-9',
    );
  });

  it('still renders a task with a corrupt result and a missing one, listing the problem', async () => {
    const json = task.path('.factory/sf-9/results/stage-compile.json');
    const good = readFileSync(json, 'utf8');
    writeFileSync(json, '{ "truncated": ');
    try {
      const page = readFileSync(await writeReport(task.root, { record, slug: 'sf-9' }), 'utf8');
      expect(page).toContain('.factory/sf-9/results/stage-compile.json: (document): expected JSON');
      expect(page).toContain('data-stage="compile" data-verdict="not_run"');
      expect(page).toContain('data-stage="checks" data-verdict="fail"');
    } finally {
      writeFileSync(json, good);
    }
  });
});

describe('writeReport: a result a later failure upstream left behind', () => {
  it('marks the stage that was not run again since a stage it needs failed, and its coverage figure', async () => {
    const task = surfaceTask('sf-8', {
      stages: [
        { name: 'compile', command: 'test ! -f packages/app/broken' },
        { name: 'coverage', command: 'echo "All files |   72.3 |   70 |   71 |   72.3 |"', needs: ['compile'] },
      ],
    });
    try {
      await task.run();
      task.write('packages/app/broken', 'x\n');
      await task.run(['compile']);
      const page = readFileSync(await writeReport(task.root, { record: (s) => recordedTaskView(task.root, s), slug: 'sf-8' }), 'utf8');
      const card = (name: string) => {
        const at = page.search(new RegExp(`class="stage s-\\w+" data-stage="${name}"`));
        return page.slice(at, page.indexOf('</div>', at));
      };
      expect(card('coverage')).toContain('not re-run: compile failed');
      expect(card('compile')).not.toContain('not re-run');
      const cov = page.slice(page.indexOf('id="sf-8-coverage"'));
      expect(cov.slice(0, cov.indexOf('</section>'))).toMatch(
        /of earlier code: not re-run since <span class="mono">compile<\/span> failed/,
      );
    } finally {
      task.cleanup();
    }
  });
});
