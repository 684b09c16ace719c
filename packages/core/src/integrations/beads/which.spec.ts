import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { findOnPath, isBdAvailable } from './which';

describe('findOnPath', () => {
  let root: string;
  let withBd: string;
  let notExecutable: string;
  let dirNamedBd: string;
  let windows: string;

  beforeAll(() => {
    root = mkdtempSync(path.join(tmpdir(), 'factory-beads-which-'));
    withBd = path.join(root, 'bin');
    notExecutable = path.join(root, 'noexec');
    dirNamedBd = path.join(root, 'dir');
    windows = path.join(root, 'win');
    for (const d of [withBd, notExecutable, dirNamedBd, windows]) mkdirSync(d);
    writeFileSync(path.join(withBd, 'bd'), '#!/bin/sh\necho bd\n');
    chmodSync(path.join(withBd, 'bd'), 0o755);
    writeFileSync(path.join(notExecutable, 'bd'), 'not a program');
    chmodSync(path.join(notExecutable, 'bd'), 0o644);
    mkdirSync(path.join(dirNamedBd, 'bd'));
    writeFileSync(path.join(windows, 'bd.cmd'), '@echo bd');
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('finds an executable file in a PATH directory', async () => {
    expect(await findOnPath('bd', { PATH: withBd })).toBe(path.join(withBd, 'bd'));
  });

  it('skips files that are not executable and directories, and keeps looking', async () => {
    const PATH = [notExecutable, '', dirNamedBd, withBd].join(':');
    expect(await findOnPath('bd', { PATH })).toBe(path.join(withBd, 'bd'));
    expect(await findOnPath('bd', { PATH: [notExecutable, dirNamedBd].join(':') })).toBeUndefined();
  });

  it('finds nothing with an empty or missing PATH', async () => {
    expect(await findOnPath('bd', { PATH: '' })).toBeUndefined();
    expect(await findOnPath('bd', {})).toBeUndefined();
  });

  it('tries the PATHEXT extensions on Windows', async () => {
    expect(await findOnPath('bd', { Path: windows, PATHEXT: '.EXE;.CMD' }, 'win32')).toBe(path.join(windows, 'bd.cmd'));
  });
});

describe('isBdAvailable', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'factory-beads-avail-'));
    writeFileSync(path.join(dir, 'bd'), '#!/bin/sh\n');
    chmodSync(path.join(dir, 'bd'), 0o755);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is true when bd is on the PATH', async () => {
    expect(await isBdAvailable({ PATH: `/nonexistent:${dir}` })).toBe(true);
  });

  it('is false when it is not', async () => {
    expect(await isBdAvailable({ PATH: '/nonexistent' })).toBe(false);
  });
});
