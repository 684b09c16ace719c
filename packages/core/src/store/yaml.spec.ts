import { parseYaml, YAML_LIMITS } from './yaml';

describe('parseYaml', () => {
  it('parses a document; an empty one is {}', () => {
    expect(parseYaml('a: 1\nb: [x, y]\n', 'f.yaml')).toEqual({ data: { a: 1, b: ['x', 'y'] }, errors: [] });
    expect(parseYaml('', 'f.yaml')).toEqual({ data: {}, errors: [] });
  });

  it('names the file, line and column of a syntax error', () => {
    expect(parseYaml('a: [1\n', 'f.yaml').errors[0]).toMatchObject({
      file: 'f.yaml',
      field: expect.stringMatching(/^line \d+, column \d+$/),
    });
  });

  it('refuses a key given twice in one mapping, naming where', () => {
    expect(parseYaml('a: 1\nb:\n  c: 1\n  c: 2\n', 'f.yaml').errors).toEqual([
      { file: 'f.yaml', field: 'line 4, column 3', message: 'expected each key once in a mapping, found "c" again' },
    ]);
  });

  it('checks keys in linear time: 60,000 distinct keys parse (the parser’s own check is quadratic)', () => {
    const text = Array.from({ length: 60_000 }, (_, i) => `k${i}: v`).join('\n');
    const r = parseYaml(text, 'f.yaml');
    expect(r.errors).toEqual([]);
    expect(Object.keys(r.data as object)).toHaveLength(60_000);
  });

  it('refuses nesting deeper than the limit', () => {
    const deep = `${'['.repeat(YAML_LIMITS.depth + 1)}${']'.repeat(YAML_LIMITS.depth + 1)}`;
    expect(parseYaml(deep, 'f.yaml').errors[0]).toMatchObject({
      file: 'f.yaml',
      message: `expected at most ${YAML_LIMITS.depth} levels of nesting, found more`,
    });
    const ok = `${'['.repeat(YAML_LIMITS.depth)}${']'.repeat(YAML_LIMITS.depth)}`;
    expect(parseYaml(ok, 'f.yaml').errors).toEqual([]);
  });

  it('refuses an alias bomb, naming the file', () => {
    let bomb = 'a0: &a0 [x, x, x, x, x, x, x, x, x]\n';
    for (let i = 1; i < 9; i++)
      bomb += `a${i}: &a${i} [${Array(9)
        .fill(`*a${i - 1}`)
        .join(', ')}]\n`;
    expect(parseYaml(bomb, 'f.yaml').errors).toEqual([
      {
        file: 'f.yaml',
        field: '(document)',
        message: 'expected aliases (*name) that stand for at most 100 nodes, found more (an alias bomb expands to billions)',
      },
    ]);
    expect(parseYaml('a: &x [1]\nb: *x\n', 'f.yaml').data).toEqual({ a: [1], b: [1] });
  });
});
