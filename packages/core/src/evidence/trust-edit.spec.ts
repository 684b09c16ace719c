import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setKeyTrust } from './trust-edit';

describe('setKeyTrust', () => {
  let root: string;
  const config = () => readFileSync(path.join(root, '.factory/config.yaml'), 'utf8');
  const id = 'ab'.repeat(32);
  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), 'factory-trust-'));
    mkdirSync(path.join(root, '.factory'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('adds and removes a key, keeping the rest of the file and its comments', () => {
    writeFileSync(path.join(root, '.factory/config.yaml'), '# settings\nversion: 1\nenv:\n  PYTHON: python3 # the interpreter\n');
    expect(setKeyTrust(root, id, { stages: ['unit-test'], approvals: false, audit: true })).toBe(true);
    expect(config()).toBe(
      `# settings\nversion: 1\nenv:\n  PYTHON: python3 # the interpreter\nevidence:\n  trusted_keys:\n    ${id}:\n      stages:\n        - unit-test\n      approvals: false\n      audit: true\n`,
    );
    expect(setKeyTrust(root, id, { stages: ['unit-test'], approvals: false, audit: true })).toBe(false);
    expect(setKeyTrust(root, id, null)).toBe(true);
    expect(config()).toContain('# settings\nversion: 1\nenv:\n  PYTHON: python3 # the interpreter\n');
    expect(config()).not.toContain(id);
  });

  it('refuses to write a config that would not validate, naming the field', () => {
    writeFileSync(path.join(root, '.factory/config.yaml'), 'evidence:\n  allow_ungated_approval: maybe\n');
    expect(() => setKeyTrust(root, id, { stages: ['*'], approvals: true, audit: true })).toThrow(
      '.factory/config.yaml: evidence.allow_ungated_approval: expected true or false, got "maybe"',
    );
    expect(config()).toBe('evidence:\n  allow_ungated_approval: maybe\n');
  });
});
