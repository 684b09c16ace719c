import type { ChangedLines, FileChange } from './changed-lines';
import type { Finding } from './finding';
import { inChange, judgeFindings } from './judge';

const lines = (...added: number[]): FileChange => ({ added: new Set(added), removedAfter: new Set() });
const removedAfter = (...points: number[]): FileChange => ({ added: new Set(), removedAfter: new Set(points) });

/** a.ts: lines 4 and 5 edited; b.ts: untouched (absent); new.ts: added; moved.ts: renamed only; cut.ts: lines removed after line 10. */
const changed: ChangedLines = new Map<string, FileChange>([
  ['src/a.ts', lines(4, 5)],
  ['src/new.ts', { added: 'all', removedAfter: new Set() }],
  ['src/moved.ts', lines()],
  ['src/cut.go', removedAfter(10)],
]);

const at = (file: string, line?: number, endLine?: number): Finding => ({ file, line, endLine, message: 'm' });

describe('inChange', () => {
  it('puts a line finding in the change when its line was added or modified', () => {
    expect(inChange(at('src/a.ts', 4), changed)).toBe(true);
    expect(inChange(at('src/a.ts', 6), changed)).toBe(false);
  });

  it('puts every finding of an added file in the change', () => {
    expect(inChange(at('src/new.ts', 90), changed)).toBe(true);
    expect(inChange(at('src/new.ts'), changed)).toBe(true);
  });

  it('leaves out files the task did not change, and a rename without an edit', () => {
    expect(inChange(at('src/b.ts', 4), changed)).toBe(false);
    expect(inChange(at('src/b.ts'), changed)).toBe(false);
    expect(inChange(at('src/moved.ts'), changed)).toBe(false);
  });

  it('puts a whole-file finding in the change when its file was edited', () => {
    expect(inChange(at('src/a.ts'), changed)).toBe(true);
    expect(inChange(at('src/cut.go'), changed)).toBe(true);
  });

  it('puts a hunk in the change when any line of its range was changed', () => {
    expect(inChange(at('src/a.ts', 1, 4), changed)).toBe(true);
    expect(inChange(at('src/a.ts', 5, 9), changed)).toBe(true);
    expect(inChange(at('src/a.ts', 6, 9), changed)).toBe(false);
  });

  it('puts a hunk in the change when the task removed lines next to or inside its range', () => {
    expect(inChange(at('src/cut.go', 11, 12), changed)).toBe(true);
    expect(inChange(at('src/cut.go', 8, 10), changed)).toBe(true);
    expect(inChange(at('src/cut.go', 9, 14), changed)).toBe(true);
    expect(inChange(at('src/cut.go', 12, 14), changed)).toBe(false);
    expect(inChange(at('src/cut.go', 5, 9), changed)).toBe(false);
  });

  it('does not count a removal next to a single-line finding', () => {
    expect(inChange(at('src/cut.go', 11), changed)).toBe(false);
  });

  it('with granularity `file`, puts every finding of an edited file in the change', () => {
    expect(inChange(at('src/a.ts', 40), changed, 'file')).toBe(true);
    expect(inChange(at('src/b.ts', 4), changed, 'file')).toBe(false);
  });
});

describe('judgeFindings', () => {
  it('fails as a tool error when go vet could not load a package: its other findings are no verdict', () => {
    // pkg/errors without a go.mod, GO111MODULE=off outside GOPATH (Go 1.19.8), a planted Printf finding in the change.
    const load: Finding = {
      file: 'libs/errors/example_test.go',
      line: 6,
      column: 2,
      message: 'cannot find package "github.com/pkg/errors" in any of:',
    };
    const v = judgeFindings([load, { ...at('src/b.ts', 4), message: 'fmt.Printf format %d has arg' }], changed, {
      scope: 'change',
      exitCode: 1,
    });
    expect(v).toMatchObject({ failed: true, toolError: true, inChange: [], preexisting: [] });
    expect(v.summary).toBe(
      'the tool could not load the code, so it judged none of it: libs/errors/example_test.go:6: cannot find package "github.com/pkg/errors" in any of:',
    );
    const module = { ...load, message: 'no required module provides package github.com/nope/nope; to add it:' };
    expect(judgeFindings([module], changed, { scope: 'change', exitCode: 1 }).toolError).toBe(true);
  });

  const findings: Finding[] = [
    { file: 'src/a.ts', line: 4, rule: 'no-unused-vars', message: "'x' is assigned a value but never used" },
    { file: 'src/b.ts', line: 3, rule: 'eqeqeq', message: "Expected '===' and instead saw '=='" },
    { file: 'dist/bundle.js', message: 'not formatted' },
  ];

  it('with scope `change`, fails on findings in the change and lists the others as already there', () => {
    const verdict = judgeFindings(findings, changed, { scope: 'change', exitCode: 1 });
    expect(verdict).toEqual({
      failed: true,
      toolError: false,
      inChange: [findings[0]],
      warnings: [],
      preexisting: [findings[1], findings[2]],
      summary:
        "1 finding in changed lines: src/a.ts:4 no-unused-vars 'x' is assigned a value but never used (2 already there, not failing)",
    });
  });

  it('passes a tool that failed only on findings that were already there', () => {
    const verdict = judgeFindings(findings.slice(1), changed, { scope: 'change', exitCode: 1 });
    expect(verdict.failed).toBe(false);
    expect(verdict.summary).toBe(
      "no findings in changed lines (2 already there: src/b.ts:3 eqeqeq Expected '===' and instead saw '==', dist/bundle.js not formatted)",
    );
  });

  it('fails on findings in the change even when the tool exited 0 (gofmt -l)', () => {
    const verdict = judgeFindings([{ file: 'src/new.ts', message: 'not formatted' }], changed, { scope: 'change', exitCode: 0 });
    expect(verdict.failed).toBe(true);
    expect(verdict.summary).toBe('1 finding in changed lines: src/new.ts not formatted');
  });

  it('with scope `repository`, fails on every finding', () => {
    const verdict = judgeFindings(findings, changed, { scope: 'repository', exitCode: 1 });
    expect(verdict.failed).toBe(true);
    expect(verdict.inChange).toEqual(findings);
    expect(verdict.preexisting).toEqual([]);
    expect(verdict.summary).toMatch(/^3 findings in the repository: src\/a\.ts:4 /);
  });

  it('with granularity `file`, judges by file and says so', () => {
    const verdict = judgeFindings([{ file: 'src/a.ts', line: 1, message: "'fs' is defined but never used" }], changed, {
      scope: 'change',
      exitCode: 1,
      granularity: 'file',
    });
    expect(verdict.failed).toBe(true);
    expect(verdict.summary).toBe("1 finding in changed files: src/a.ts:1 'fs' is defined but never used");
  });

  it('fails a tool that exited non-zero without a finding it could read, with the summary the caller gives', () => {
    expect(judgeFindings([], changed, { scope: 'change', exitCode: 2, toolErrorSummary: 'Oops! Something went wrong! :(' })).toEqual({
      failed: true,
      toolError: true,
      inChange: [],
      warnings: [],
      preexisting: [],
      summary: 'Oops! Something went wrong! :(',
    });
    expect(judgeFindings([], changed, { scope: 'change', exitCode: null }).summary).toBe(
      'the tool was killed and reported no finding it could read',
    );
    expect(judgeFindings([], changed, { scope: 'repository', exitCode: 2 }).summary).toBe(
      'the tool exited with code 2 and reported no finding it could read',
    );
  });

  it('passes a clean run', () => {
    expect(judgeFindings([], changed, { scope: 'change', exitCode: 0 })).toEqual({
      failed: false,
      toolError: false,
      inChange: [],
      warnings: [],
      preexisting: [],
      summary: 'no findings in changed lines',
    });
  });

  describe('warnings, when the project configures them not to fail (ESLint, Biome, oxlint)', () => {
    const warning: Finding = { file: 'src/a.ts', line: 5, rule: 'no-magic-numbers', message: 'No magic number: 2', severity: 'warning' };
    const error: Finding = { ...findings[0], severity: 'error' };
    const old: Finding = { file: 'src/b.ts', line: 9, rule: 'no-magic-numbers', message: 'No magic number: 7', severity: 'warning' };

    it('lists a warning in the change without failing, and says why', () => {
      const verdict = judgeFindings([warning, old], changed, { scope: 'change', exitCode: 0, warningsFail: false });
      expect(verdict).toMatchObject({ failed: false, inChange: [], warnings: [warning], preexisting: [old] });
      expect(verdict.summary).toBe(
        "no errors in changed lines; 1 warning, not failing (the project's configuration makes it a warning): " +
          'src/a.ts:5 no-magic-numbers No magic number: 2 (1 already there: src/b.ts:9 no-magic-numbers No magic number: 7)',
      );
    });

    it('still fails on an error in the change, counting the warnings beside it', () => {
      const verdict = judgeFindings([error, warning, old], changed, { scope: 'change', exitCode: 1, warningsFail: false });
      expect(verdict).toMatchObject({ failed: true, inChange: [error], warnings: [warning] });
      expect(verdict.summary).toBe(
        "1 finding in changed lines: src/a.ts:4 no-unused-vars 'x' is assigned a value but never used (1 warning there, 1 already there, not failing)",
      );
    });

    it('fails on a warning by default (tools whose warnings are their findings: clippy, go vet)', () => {
      expect(judgeFindings([warning], changed, { scope: 'change', exitCode: 0 })).toMatchObject({ failed: true, inChange: [warning] });
    });
  });
});

describe('judgeFindings with the base commit’s findings', () => {
  const changed: ChangedLines = new Map([['a.py', { added: new Set([1]), removedAfter: new Set<number>() }]]);
  const lines: Record<string, string[]> = { 'a.py': ['x = 1', 'print(sys.argv)'], 'b.py': ['import json'] };
  const lineOf = (file: string, line: number) => lines[file]?.[line - 1];
  const found = [
    { file: 'a.py', line: 2, message: "undefined name 'sys'" },
    { file: 'b.py', line: 1, message: "'json' imported but unused", severity: 'warning' as const },
  ];

  it('fails on a finding off the changed lines that the base did not have; keeps the base’s as already there', () => {
    const base = { findings: [{ file: 'b.py', line: 1, message: "'json' imported but unused", text: 'import json' }], lineOf };
    const v = judgeFindings(found, changed, { scope: 'change', exitCode: 1, base });
    expect(v.inChange).toEqual([found[0]]);
    expect(v.preexisting).toEqual([found[1]]);
    expect(v.summary).toBe("1 finding in the change: a.py:2 undefined name 'sys' (1 already there, not failing)");
  });

  it('lists a brought warning without failing when warnings do not fail', () => {
    const v = judgeFindings(found, changed, { scope: 'change', exitCode: 1, warningsFail: false, base: { findings: [], lineOf } });
    expect(v.inChange).toEqual([found[0]]);
    expect(v.warnings).toEqual([found[1]]);
    expect(v.preexisting).toEqual([]);
  });
});
