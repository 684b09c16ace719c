/**
 * The contract parser's bundle entry (`dist/runner/contract-parser.cjs`: YAML and zod), loaded by
 * inference and by the stage runner only when a contract is not in their shared cache.
 */
export { parseContract } from './inferred-contract';
