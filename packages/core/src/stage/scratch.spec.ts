import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pruneKept } from './base-findings';
import { bytecodeDirectory, openScratch } from './scratch';

describe('openScratch', () => {
  let tmp: string;
  beforeEach(() => {
    tmp = mkdtempSync(path.join(tmpdir(), 'factory-scratch-spec-'));
  });
  afterEach(() => rmSync(tmp, { recursive: true, force: true }));
  const uid = process.getuid?.() ?? 0;

  it('gives a stage the same empty directory on every run, private to the user', () => {
    const first = openScratch('/repo/a', 'bd-1', 'unit-test', tmp);
    writeFileSync(path.join(first, 'left-over'), 'x');
    const second = openScratch('/repo/a', 'bd-1', 'unit-test', tmp);
    expect(second).toBe(first);
    expect(readdirSync(second)).toEqual([]);
    expect(path.dirname(first)).toBe(path.join(tmp, `factory-${uid}`));
  });

  it('gives another stage, task or workspace another directory', () => {
    const a = openScratch('/repo/a', 'bd-1', 'unit-test', tmp);
    expect(openScratch('/repo/a', 'bd-1', 'lint', tmp)).not.toBe(a);
    expect(openScratch('/repo/a', 'bd-2', 'unit-test', tmp)).not.toBe(a);
    expect(openScratch('/repo/b', 'bd-1', 'unit-test', tmp)).not.toBe(a);
  });

  it('falls back to a new random directory when the parent is open to others or is a link', () => {
    const parent = path.join(tmp, `factory-${uid}`);
    mkdirSync(parent, { mode: 0o755 });
    chmodSync(parent, 0o755);
    const open1 = openScratch('/repo/a', 'bd-1', 'unit-test', tmp);
    const open2 = openScratch('/repo/a', 'bd-1', 'unit-test', tmp);
    expect(path.dirname(open1)).toBe(tmp);
    expect(open1).not.toBe(open2);
    expect(readdirSync(parent)).toEqual([]);

    rmSync(parent, { recursive: true });
    const elsewhere = mkdtempSync(path.join(tmp, 'elsewhere-'));
    symlinkSync(elsewhere, parent);
    const linked = openScratch('/repo/a', 'bd-1', 'unit-test', tmp);
    expect(path.dirname(linked)).toBe(tmp);
    expect(readdirSync(elsewhere)).toEqual([]);
    expect(existsSync(linked)).toBe(true);
  });
});

describe('bytecodeDirectory', () => {
  let tmp: string;
  beforeEach(() => {
    tmp = mkdtempSync(path.join(tmpdir(), 'factory-pycache-spec-'));
  });
  afterEach(() => rmSync(tmp, { recursive: true, force: true }));
  const uid = process.getuid?.() ?? 0;

  it('is one directory kept between runs, inside the private parent', () => {
    const scratch = openScratch('/repo/a', 'bd-1', 'unit-test', tmp);
    const dir = bytecodeDirectory(scratch, tmp);
    expect(dir).toBe(path.join(tmp, `factory-${uid}`, 'pycache'));
    writeFileSync(path.join(dir, 'kept'), 'x');
    expect(bytecodeDirectory(openScratch('/repo/b', 'bd-2', 'implement', tmp), tmp)).toBe(dir);
    expect(readdirSync(dir)).toEqual(['kept']);
  });

  it("is inside the stage's own scratch directory when the parent is open to others", () => {
    const parent = path.join(tmp, `factory-${uid}`);
    mkdirSync(parent, { mode: 0o755 });
    chmodSync(parent, 0o755);
    const scratch = openScratch('/repo/a', 'bd-1', 'unit-test', tmp);
    expect(bytecodeDirectory(scratch, tmp)).toBe(path.join(scratch, 'pycache'));
    expect(readdirSync(parent)).toEqual([]);
  });
});

describe("pruneKept (a base commit's kept lint findings)", () => {
  let tmp: string;
  beforeEach(() => {
    tmp = mkdtempSync(path.join(tmpdir(), 'factory-prune-spec-'));
  });
  afterEach(() => rmSync(tmp, { recursive: true, force: true }));

  it('removes the kept findings unused for a week, and nothing else', () => {
    for (const f of ['base-findings-old.json', 'base-findings-new.json', 'other-old']) writeFileSync(path.join(tmp, f), '[]');
    const weekAgo = (Date.now() - 8 * 24 * 3600 * 1000) / 1000;
    utimesSync(path.join(tmp, 'base-findings-old.json'), weekAgo, weekAgo);
    utimesSync(path.join(tmp, 'other-old'), weekAgo, weekAgo);
    pruneKept(tmp, Date.now());
    expect(readdirSync(tmp).sort()).toEqual(['base-findings-new.json', 'other-old']);
  });
});
