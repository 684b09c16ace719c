import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { mergeContracts, type Contract, type ContractFile } from '../domain/contract';
import { planContract } from './plan';

let root: string;
beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'factory-plan-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const write = (files: Record<string, string>) => {
  for (const [f, c] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, f)), { recursive: true });
    writeFileSync(path.join(root, f), c);
  }
};
const contract = (c: ContractFile): Contract => {
  const m = mergeContracts({}, c);
  if (!m.contract) throw new Error('no language');
  return m.contract;
};
const F = '.factory/t/contract.yaml';

describe('planContract', () => {
  it("plans a detected stage that stages: moves to another directory for that directory's project (its runner, configuration and coverage scope)", () => {
    // An npm workspace's root runs jest; packages/app has vitest of its own.
    write({
      'package.json': JSON.stringify({ workspaces: ['packages/*'], devDependencies: { jest: '30' } }),
      'node_modules/.bin/jest': '',
      'packages/app/package.json': JSON.stringify({ devDependencies: { vitest: '4' } }),
      'packages/app/vitest.config.ts': 'export default {}\n',
      'packages/app/node_modules/.bin/vitest': '',
    });
    const at = (stages: ContractFile['stages']) =>
      planContract(root, contract({ language: 'typescript', allowed_files: ['**'], stages }), F).value?.pipeline.find(
        (s) => s.name === 'unit-test',
      );
    expect(at(undefined)).toMatchObject({ tool: 'jest' });
    const moved = at({ 'unit-test': { working_directory: 'packages/app', allow_no_tests: true } });
    expect(moved).toMatchObject({
      tool: 'vitest',
      working_directory: 'packages/app',
      allow_no_tests: true,
      command: expect.stringContaining('vitest'),
      why: expect.stringContaining('(planned for packages/app, where stages.unit-test.working_directory moves it)'),
    });
    // The same directory as detection's, or a command of the author's own: nothing to plan again.
    expect(at({ 'unit-test': { working_directory: '.' } })).toMatchObject({ tool: 'jest' });
    expect(at({ 'unit-test': { working_directory: 'packages/app', command: 'npm test' } })).toMatchObject({ command: 'npm test' });
  });

  it('names the field when the directory a stage moves to is not there', () => {
    write({ 'package.json': JSON.stringify({ devDependencies: { jest: '30' } }), 'node_modules/.bin/jest': '' });
    const r = planContract(
      root,
      contract({ language: 'typescript', allowed_files: ['**'], stages: { 'unit-test': { working_directory: 'nope' } } }),
      F,
    );
    expect(r.errors).toEqual([
      {
        file: F,
        field: 'stages.unit-test.working_directory',
        message: 'expected a directory of the repository, got nothing (it does not exist): nope',
      },
    ]);
  });
});
