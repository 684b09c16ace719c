import { splitByBase, type BaseFinding } from './base-match';
import type { Finding } from './finding';

const now: Record<string, string[]> = {
  'a.py': ['import os', '', 'def f():', '    return sys.argv'],
  'b.py': ['x = 1', 'import json'],
};
const lineOf = (file: string, line: number) => now[file]?.[line - 1];

describe('splitByBase', () => {
  it('finds a finding already there though the change moved its line, and one the change brought', () => {
    const candidates: Finding[] = [
      { file: 'b.py', line: 2, message: "'json' imported but unused" },
      { file: 'a.py', line: 4, message: "undefined name 'sys'" },
    ];
    const base: BaseFinding[] = [{ file: 'b.py', line: 1, message: "'json' imported but unused", text: 'import json' }];
    const { alreadyThere, brought } = splitByBase(candidates, base, lineOf);
    expect(alreadyThere).toEqual([candidates[0]]);
    expect(brought).toEqual([candidates[1]]);
  });

  it('blurs the numbers in messages, which name lines that move', () => {
    const f: Finding = { file: 'a.py', line: 1, rule: 'F811', message: "redefinition of unused 'os' from line 7" };
    const base: BaseFinding[] = [{ ...f, line: 3, message: "redefinition of unused 'os' from line 9", text: 'import os' }];
    expect(splitByBase([f], base, lineOf).alreadyThere).toEqual([f]);
  });

  it("matches rustc's long form to its short form, which adds `: help: …` (bluss/scopeguard after a plain `cargo clippy`)", () => {
    const replayed: Finding = { file: 'a.py', line: 1, severity: 'warning', message: 'deref which would be done by auto-deref' };
    const base: BaseFinding[] = [{ ...replayed, message: `${replayed.message}: help: try: \`&self.value\``, text: 'import os' }];
    expect(splitByBase([replayed], base, lineOf).alreadyThere).toEqual([replayed]);
    expect(splitByBase([{ ...replayed, message: 'another lint' }], base, lineOf).brought).toHaveLength(1);
  });

  it('tells findings apart by rule, message and the text of their line', () => {
    const f: Finding = { file: 'a.py', line: 1, rule: 'F401', message: "'os' imported but unused" };
    expect(splitByBase([f], [{ ...f, rule: 'F811', text: 'import os' }], lineOf).brought).toEqual([f]);
    expect(splitByBase([f], [{ ...f, message: "'re' imported but unused", text: 'import os' }], lineOf).brought).toEqual([f]);
    expect(splitByBase([f], [{ ...f, text: 'import re' }], lineOf).brought).toEqual([f]);
    expect(splitByBase([f], [{ ...f, file: 'c.py', text: 'import os' }], lineOf).brought).toEqual([f]);
  });

  it('lets each base finding answer for one finding only', () => {
    const f: Finding = { file: 'b.py', line: 2, message: "'json' imported but unused" };
    const { alreadyThere, brought } = splitByBase([f, { ...f }], [{ ...f, text: 'import json' }], lineOf);
    expect(alreadyThere).toHaveLength(1);
    expect(brought).toHaveLength(1);
  });

  it('matches a finding about a whole file by file, rule and message', () => {
    const f: Finding = { file: 'b.py', message: 'not formatted' };
    expect(splitByBase([f], [{ file: 'b.py', message: 'not formatted' }], lineOf).alreadyThere).toEqual([f]);
  });
});
