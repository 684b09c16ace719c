import { validateSlug, validateStageName } from './slug';

describe('validateSlug', () => {
  it.each(['bd-52.1', 'console', 'com10', 'bd-wisp-0385z', 'offlinebrew-3d0.1', 'A1', 'x'])('accepts %s', (s) => {
    expect(validateSlug(s)).toEqual({ ok: true, value: s });
  });

  it.each([
    ['', 'empty string'],
    ['../x', 'path separators'],
    ['a/b', 'path separators'],
    ['a..b', '".."'],
    ['.hidden', 'starting and ending'],
    ['-x', 'starting with a letter or digit'],
    ['CON', 'device name on Windows'],
    ['lpt1.txt', 'device name on Windows'],
    ['x-', 'starting and ending'],
    ['has space', 'letters, digits'],
    ['semi;colon', 'letters, digits'],
    ['$(rm -rf)', 'letters, digits'],
    ['workspaces', 'reserved'],
    ['a'.repeat(65), 'at most 64'],
  ])('rejects %j with a message mentioning %s', (s, why) => {
    const r = validateSlug(s);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toContain(why);
  });

  it('rejects non-strings', () => {
    expect(validateSlug(42).ok).toBe(false);
  });
});

describe('validateStageName', () => {
  it.each(['implement', 'unit-test', 'e2e', 'integration-test'])('accepts %s', (s) => {
    expect(validateStageName(s).ok).toBe(true);
  });
  it.each(['e', 'Unit', 'unit_test', '-x', 'x-', 'a b', ''])('rejects %j', (s) => {
    expect(validateStageName(s).ok).toBe(false);
  });
});
