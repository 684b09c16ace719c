import { codeFingerprint } from '../workspace/fingerprint';

/** Factory's own state is never part of a task's code. */
export const FINGERPRINT_EXCLUDE = ['.factory/**'] as const;

/**
 * The fingerprint of the code a task's evidence is about: its whole workspace when it has one
 * (`codeRoot` differs from `root`), else only the files its contract allows, in the repository.
 * Stage results record it; approval compares it with the current one, so a result made before
 * the last change to that code is stale. Zod-free (the bundled stage runner calls it).
 */
export function taskFingerprint(root: string, codeRoot: string, allowedFiles: readonly string[]): Promise<string> {
  return codeRoot !== root
    ? codeFingerprint(codeRoot, undefined, FINGERPRINT_EXCLUDE)
    : codeFingerprint(root, allowedFiles, FINGERPRINT_EXCLUDE);
}
