import { describeFinding, verdictSummary } from './summary';

describe('describeFinding', () => {
  it('names the place, the rule and the message', () => {
    expect(
      describeFinding({ file: 'src/a.ts', line: 4, column: 7, rule: 'no-unused-vars', message: "'x' is assigned a value but never used" }),
    ).toBe("src/a.ts:4 no-unused-vars 'x' is assigned a value but never used");
  });

  it('gives a range as `first-last` and a whole-file finding without a line', () => {
    expect(describeFinding({ file: 'main.go', line: 8, endLine: 16, message: 'would reformat: x' })).toBe('main.go:8-16 would reformat: x');
    expect(describeFinding({ file: 'dist/b.js', message: 'not formatted' })).toBe('dist/b.js not formatted');
  });

  it('puts a multi-line message on one line and cuts a long one', () => {
    expect(describeFinding({ file: 'a.py', line: 1, message: 'first\n  second' })).toBe('a.py:1 first second');
    // The spaces a formatter's finding quotes are the finding (BurntSushi/toml: `var   x=1`).
    expect(describeFinding({ file: 'a.go', line: 3, message: 'would reformat: var   x=1' })).toBe('a.go:3 would reformat: var   x=1');
    expect(describeFinding({ file: 'a.py', line: 1, message: 'x'.repeat(300) })).toHaveLength('a.py:1 '.length + 120);
  });
});

describe('verdictSummary', () => {
  const f = (n: number) => ({ file: `src/f${n}.ts`, line: n, rule: 'r', message: `message ${n}` });

  it('lists failing findings and counts the ones already there', () => {
    expect(verdictSummary([f(1), f(2)], [f(3)], { where: 'changed lines' })).toBe(
      '2 findings in changed lines: src/f1.ts:1 r message 1; src/f2.ts:2 r message 2 (1 already there, not failing)',
    );
  });

  it('lists the findings already there in a pass', () => {
    expect(verdictSummary([], [f(3), f(4)], { where: 'changed lines' })).toBe(
      'no findings in changed lines (2 already there: src/f3.ts:3 r message 3, src/f4.ts:4 r message 4)',
    );
    expect(verdictSummary([], [], { where: 'repository' })).toBe('no findings in the repository');
  });

  it('keeps to its budget, saying how many were left out', () => {
    const many = Array.from({ length: 50 }, (_, i) => f(i + 1));
    const summary = verdictSummary(many, many, { where: 'changed lines', max: 200 });
    expect(summary.length).toBeLessThanOrEqual(200);
    expect(summary).toMatch(/^50 findings in changed lines: src\/f1\.ts:1 r message 1; .*; … \d+ more \(50 already there, not failing\)$/);
    const pass = verdictSummary([], many, { where: 'changed files', max: 120 });
    expect(pass.length).toBeLessThanOrEqual(120);
    expect(pass).toMatch(/^no findings in changed files \(50 already there: src\/f1\.ts:1 r message 1, .*, … \d+ more\)$/);
  });

  it('cuts a first finding longer than the budget rather than listing none', () => {
    const long = { file: 'src/a.ts', line: 1, message: 'y'.repeat(110) };
    const summary = verdictSummary([long, long], [], { where: 'changed lines', max: 90 });
    expect(summary.length).toBeLessThanOrEqual(90);
    expect(summary).toMatch(/^2 findings in changed lines: src\/a\.ts:1 y+…; … 1 more$/);
  });
});
