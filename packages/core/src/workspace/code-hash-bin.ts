/**
 * Entry point of the bundled `factory/dist/bin/code-hash.cjs`: the `runtime` cache input of
 * every stage target. Usage (from the workspace root, as Nx runs it): node code-hash.cjs <slug>
 */
import { workspaceCodeHash } from './code-hash';

const slug = process.argv[2];
process.stdout.write(`${slug ? workspaceCodeHash(process.cwd(), slug) : 'error: expected a task slug'}\n`);
