import { contractFromTexts } from './load';

/** Detection finds no file here: Go needs none. */
const NO_ROOT = '/nonexistent-factory-test-project';
const files = { global: '.factory/contract.yaml', task: '.factory/bd-1/contract.yaml' };

describe('contractFromTexts', () => {
  it('merges the global contract under the task one, field by field', () => {
    const r = contractFromTexts(
      NO_ROOT,
      {
        global: 'language: go\nmax_lines_changed: 100\nforbidden_files: ["**/.env"]\ncustom_fields: { team: a, area: x }\n',
        task: 'allowed_files: ["src/**"]\nmax_lines_changed: 50\ncustom_fields: { area: y }\n',
      },
      files,
    );
    expect(r.errors).toEqual([]);
    expect(r.value?.contract).toMatchObject({
      language: 'go',
      allowed_files: ['src/**'],
      forbidden_files: ['**/.env'],
      max_lines_changed: 50,
      custom_fields: { team: 'a', area: 'y' },
    });
  });

  it('names file, field, expected and found for a wrong type', () => {
    const r = contractFromTexts(NO_ROOT, { task: 'language: go\nallowed_files: 3\n' }, files);
    expect(r.errors).toEqual([{ file: files.task, field: 'allowed_files', message: 'expected a list, got 3' }]);
  });

  it('reports invalid YAML with its position', () => {
    const r = contractFromTexts(NO_ROOT, { task: 'language: [go\nallowed_files: 3\n' }, files);
    expect(r.errors[0].file).toBe(files.task);
    expect(r.errors[0].field).toMatch(/^line \d+, column \d+$/);
    expect(r.errors[0].message).toMatch(/^expected valid YAML/);
  });

  it.each([
    ['language: java\n', 'language', 'expected one of "go", "gleam", "rust", "python", "typescript", got "java"'],
    ['language: go\nmax_lines_changed: -1\n', 'max_lines_changed', 'expected at least 0, got -1'],
    ['language: go\nrequired_test_coverage: 101\n', 'required_test_coverage', 'expected at most 100, got 101'],
    ['language: go\nallowed_files: ["src/[a-"]\n', 'allowed_files.0', 'expected a valid glob'],
    ['language: go\nallowed_files: ["../x/**"]\n', 'allowed_files.0', 'expected a glob inside the repository'],
    ['language: go\nallowed_files: ["/etc/**"]\n', 'allowed_files.0', 'relative to the repository root'],
    ['language: go\nalowed_files: []\n', '(document)', 'unknown field "alowed_files"'],
    ['language: go\npipeline: [{ name: x, command: y }]\n', 'pipeline.0.name', 'expected a stage name'],
    ['language: go\nworking_directory: ../up\n', 'working_directory', 'expected a path inside the repository'],
  ])('rejects %j at %s', (task, field, message) => {
    const r = contractFromTexts(NO_ROOT, { task }, files);
    expect(r.errors[0]).toMatchObject({ file: files.task, field });
    expect(r.errors[0].message).toContain(message);
  });

  it('asks for a language when neither file sets one', () => {
    const r = contractFromTexts(NO_ROOT, { global: 'max_lines_changed: 5\n', task: 'allowed_files: []\n' }, files);
    expect(r.errors).toEqual([
      { file: files.task, field: 'language', message: expect.stringContaining('(here or in .factory/contract.yaml), got nothing') },
    ]);
  });

  it('names the global file when it is the broken one', () => {
    const r = contractFromTexts(NO_ROOT, { global: 'max_lines_changed: lots\n', task: 'language: go\n' }, files);
    expect(r.errors[0]).toMatchObject({ file: files.global, field: 'max_lines_changed' });
  });

  it('says when the task contract does not exist', () => {
    expect(contractFromTexts(NO_ROOT, {}, files).errors[0]).toMatchObject({ file: files.task, field: '(document)' });
  });
});
