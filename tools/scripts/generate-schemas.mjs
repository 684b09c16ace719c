#!/usr/bin/env node
// Writes every generator's and executor's schema.json from its zod schema (the single source
// of truth). Run after `npm run build`: node tools/scripts/generate-schemas.mjs
// A unit test fails when a committed schema.json differs from what this would write.
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const plugin = path.join(root, 'packages/factory-plugin');
const require = createRequire(path.join(plugin, 'package.json'));
const { SCHEMAS, toNxSchema } = require(path.join(plugin, 'dist/schemas.js'));

for (const [rel, schema] of Object.entries(SCHEMAS)) {
  const file = path.join(plugin, 'src', rel);
  writeFileSync(file, `${JSON.stringify(toNxSchema(schema), null, 2)}\n`);
  console.log(`wrote ${path.relative(root, file)}`);
}
