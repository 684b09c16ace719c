import path from 'node:path';
import type { AddedLine } from '../repo/added-lines';

/** A comment with this text on a line lets a test switched off on that line through. */
export const ALLOW_SKIP_MARKER = 'factory:allow-skip';

/** A test switched off (skipped, or every other test switched off by focusing one) on an added line. */
export interface DisabledTest {
  file: string;
  line: number;
  /** What was found, as written: `it.skip`, `@pytest.mark.skip`, `t.Skip`, `#[ignore]`. */
  marker: string;
}

interface Language {
  /** Whether a file (repository-relative, `/`-separated) holds tests of this language. */
  holdsTests: (file: string) => boolean;
  /** A line that is a comment as a whole. */
  comment: RegExp;
  /** Switches that turn a test off unconditionally; the first group that matched is what the message names. */
  markers: RegExp;
}

const JS_EXT = /\.[cm]?[jt]sx?$/;
const TEST_DIR = /(^|\/)(__tests__|tests?|spec)\//;

/**
 * Per language, the ways a change switches tests off that its runner reports, if at all, as a
 * skip rather than a failure. Conditional skips (`skipIf`, `skipif`, `if testing.Short()` aside)
 * are not listed: they are how a test says where it applies. `.only`, `fit` and `fdescribe`
 * switch every other test of the file off.
 */
const LANGUAGES: Language[] = [
  {
    holdsTests: (f) => JS_EXT.test(f) && (/(^|\/|\.)(tests?|spec)\.[cm]?[jt]sx?$/.test(f) || TEST_DIR.test(f)),
    comment: /^\s*(\/\/|\/\*|\*)/,
    // `it.skip(…)`, `xit(…)`, `fit(…)`, `this.skip()`, `t.skip()`, and node:test's `{ skip: true }`.
    markers:
      /(?<![\w.$])((?:describe|context|suite|it|test|specify)(?:\.concurrent)?\.(?:skip|only)|x(?:it|describe|test|context|specify)|f(?:it|describe)|this\.skip|t\.skip)\s*[(`]|[{,]\s*((?:skip|only)\s*:\s*(?:true|['"`]))/,
  },
  {
    holdsTests: (f) => f.endsWith('.py') && (/^(test_.*|.*_test|conftest)\.py$/.test(path.posix.basename(f)) || TEST_DIR.test(f)),
    comment: /^\s*#/,
    markers:
      /(@pytest\.mark\.(?:skip|xfail)\b|\bpytest\.skip\s*\(|@(?:unittest\.)?skip\s*\(|@(?:unittest\.)?expectedFailure\b|\.skipTest\s*\(|raise\s+(?:unittest\.)?SkipTest\b)/,
  },
  {
    holdsTests: (f) => f.endsWith('_test.go'),
    comment: /^\s*\/\//,
    markers: /\b([tb]\.Skip(?:f|Now)?)\s*\(/,
  },
  {
    holdsTests: (f) => f.endsWith('.rs'),
    comment: /^\s*(\/\/|\/\*|\*)/,
    markers: /(#\[ignore\b)/,
  },
];

/** Whether a file (relative, `/`-separated) is one whose added lines `findDisabledTests` looks at. */
export function holdsTests(file: string): boolean {
  return LANGUAGES.some((g) => g.holdsTests(file));
}

/**
 * The added lines that switch a test off, in files that hold tests: a verdict over a test that
 * no longer runs says nothing of it, so the `contract` stage refuses them unless the line says
 * `factory:allow-skip`. Tests removed outright are not seen here (the line budget and the
 * review see them).
 */
export function findDisabledTests(lines: readonly AddedLine[]): DisabledTest[] {
  const out: DisabledTest[] = [];
  for (const l of lines) {
    if (l.text.includes(ALLOW_SKIP_MARKER)) continue;
    const lang = LANGUAGES.find((g) => g.holdsTests(l.file));
    if (!lang || lang.comment.test(l.text)) continue;
    const m = lang.markers.exec(l.text);
    if (m) out.push({ file: l.file, line: l.line, marker: (m[1] ?? m[2]).replace(/\s*\($/, '') });
  }
  return out;
}
