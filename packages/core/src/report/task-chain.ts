import path from 'node:path';
import { readChainBytes, verifyChainBytes, type ChainReport } from '../audit/verify';
import { taskPaths } from '../store/paths';

/** A task's audit chain verified, and the digest of the bytes verified (see `readChainBytes`). */
export interface VerifiedChain {
  report: ChainReport;
  digest: string;
}

/**
 * The task's audit chain verified as its files are now: `kept` (verified earlier) while the
 * files are still the bytes it verified, else verified again. Paths show relative to the root.
 */
export function taskChain(root: string, slug: string, kept?: VerifiedChain): VerifiedChain {
  const file = path.join(root, taskPaths(slug).audit);
  const read = readChainBytes(file);
  if (kept && kept.digest === read.digest) return kept;
  const display = (f: string) => path.relative(root, f).split(path.sep).join('/');
  return { report: verifyChainBytes(file, read, display), digest: read.digest };
}
