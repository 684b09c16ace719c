/**
 * The entry of the contract parser bundle (`dist/contract-parser.cjs`: YAML and zod), loaded by
 * the plugin and by the stage runner only when a contract is not in their shared cache.
 */
export { parseContract } from '@factory/core';
