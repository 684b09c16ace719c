import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { nodeVersionHint } from './node-engines';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function project(engines: Record<string, string> | undefined, packages: Record<string, string> = {}): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'factory-engines-'));
  dirs.push(dir);
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'entities', ...(engines ? { engines } : {}) }));
  for (const [name, range] of Object.entries(packages)) {
    mkdirSync(path.join(dir, 'node_modules', name), { recursive: true });
    writeFileSync(path.join(dir, 'node_modules', name, 'package.json'), JSON.stringify({ name, engines: { node: range } }));
  }
  return dir;
}

describe('nodeVersionHint', () => {
  it("names a package of the crash's stack that asks for a newer Node (entities' ESLint in eslint-plugin-unicorn)", async () => {
    const dir = project({ node: '>=20.19.0' }, { 'eslint-plugin-unicorn': '>=22', eslint: '^20.19.0 || ^22.13.0 || >=24' });
    const frame = pathToFileURL(path.join(dir, 'node_modules/eslint-plugin-unicorn/rules/consistent-function-style.js')).href;
    const output = [
      'Oops! Something went wrong! :(',
      'TypeError: roleStyles.keys(...).map is not a function',
      `    at ${frame}:332:54`,
      `    at async dynamicImportConfig (${dir}/node_modules/eslint/lib/config/config-loader.js:185:17)`,
    ].join('\n');
    expect(await nodeVersionHint(output, dir, dir, 'v20.20.2')).toBe(' (eslint-plugin-unicorn asks for Node >=22; this is Node v20.20.2)');
    expect(await nodeVersionHint(output, dir, dir, 'v22.13.0')).toBe('');
  });

  it('names the project when its own engines leave this Node out (nanoid: ^22 || ^24 || >=26), from a directory below it', async () => {
    const dir = project({ node: '^22 || ^24 || >=26' });
    mkdirSync(path.join(dir, 'src'));
    expect(await nodeVersionHint('Failed to parse oxlint configuration file.', path.join(dir, 'src'), dir, 'v20.20.2')).toBe(
      ' (the project (entities) asks for Node ^22 || ^24 || >=26; this is Node v20.20.2)',
    );
  });

  it('says nothing without engines, with a range that is no range, or outside the code', async () => {
    expect(await nodeVersionHint('TypeError: x', project(undefined), project(undefined), 'v20.20.2')).toBe('');
    expect(await nodeVersionHint('TypeError: x', project({ node: 'latest please' }), tmpdir(), 'v20.20.2')).toBe('');
    expect(await nodeVersionHint('at /nowhere/node_modules/ghost/index.js:1:1', project(undefined), tmpdir(), 'v20.20.2')).toBe('');
  });
});
