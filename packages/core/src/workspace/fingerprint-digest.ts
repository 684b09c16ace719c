import { createHash } from 'node:crypto';

/** sha256 over the entries of `git ls-files -s -z` (mode, blob id, stage, path) whose path matches. */
export function digestIndexListing(listed: string, match: (file: string) => boolean = () => true): string {
  const h = createHash('sha256');
  for (const entry of listed.split('\0')) {
    if (!entry) continue;
    const file = entry.slice(entry.indexOf('\t') + 1);
    if (match(file)) h.update(entry).update('\0');
  }
  return h.digest('hex');
}
