import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { readTextIfExists } from '../store/atomic';
import { GLOBAL_FILES, taskPaths } from '../store/paths';

export const sha256Hex = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');

/** The sha256 of a file's bytes, or undefined when it does not exist. */
export function fileSha256(file: string): string | undefined {
  try {
    return sha256Hex(readFileSync(file));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/** The texts that make a task's effective contract (undefined: the file does not exist). */
export interface EffectiveContractTexts {
  task?: string;
  global?: string;
  config?: string;
}

/**
 * The digest of a task's effective contract: sha256 over a framing of the three texts that
 * decide it, in this order, each as `<name> <byte length>\n<text>\n`, or `<name> absent\n`:
 *
 *     factory-effective-contract/v1\n
 *     task-contract …   (.factory/<slug>/contract.yaml)
 *     global-contract … (.factory/contract.yaml)
 *     config …          (.factory/config.yaml)
 *
 * Length prefixes keep text from moving across a boundary; "absent" differs from empty.
 * The exact bytes count (not the parsed YAML): any edit, even a comment, is a new contract.
 */
export function contractDigest(texts: EffectiveContractTexts): string {
  const h = createHash('sha256').update('factory-effective-contract/v1\n');
  for (const [name, text] of [
    ['task-contract', texts.task],
    ['global-contract', texts.global],
    ['config', texts.config],
  ] as const) {
    if (text === undefined) h.update(`${name} absent\n`);
    else
      h.update(`${name} ${Buffer.byteLength(text, 'utf8')}\n`)
        .update(text, 'utf8')
        .update('\n');
  }
  return h.digest('hex');
}

/** Reads the three files under `root` and returns `contractDigest` of them. */
export function effectiveContractDigest(root: string, slug: string): string {
  return contractDigest({
    task: readTextIfExists(path.join(root, taskPaths(slug).contract)),
    global: readTextIfExists(path.join(root, GLOBAL_FILES.contract)),
    config: readTextIfExists(path.join(root, GLOBAL_FILES.config)),
  });
}

/** A git tree id: 40 hex digits (SHA-1 repositories) or 64 (SHA-256 repositories). */
export const GIT_TREE_RE = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;
