import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SCHEMAS, toNxSchema } from './schemas';

const here = path.dirname(fileURLToPath(import.meta.url));

describe('committed schema.json files', () => {
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
