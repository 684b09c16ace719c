import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SCHEMAS, toNxSchema } from './schemas';

const here = path.dirname(fileURLToPath(import.meta.url));

describe('committed schema.json files', () => {
  // In this repository Nx loads generators from their TypeScript sources, where `./schema`
  // would resolve to schema.json before schema.ts: the zod module must have another name.
  it.each(Object.keys(SCHEMAS))('%s has no schema.ts beside it', (rel) => {
    expect(existsSync(path.join(here, path.dirname(rel), 'schema.ts'))).toBe(false);
    expect(existsSync(path.join(here, path.dirname(rel), 'options.ts'))).toBe(true);
  });

  it.each(Object.keys(SCHEMAS))('%s matches its zod schema (regenerate: npm run schemas)', (rel) => {
    const committed = JSON.parse(readFileSync(path.join(here, rel), 'utf8'));
    expect(committed).toEqual(toNxSchema(SCHEMAS[rel]));
  });

  it('gives every option a description', () => {
    for (const schema of Object.values(SCHEMAS)) {
      const props = (toNxSchema(schema).properties ?? {}) as Record<string, { description?: string }>;
      for (const [name, p] of Object.entries(props)) expect([name, typeof p.description]).toEqual([name, 'string']);
    }
  });
});
