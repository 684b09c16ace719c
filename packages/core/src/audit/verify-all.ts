import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { validateSlug } from '../domain/slug';
import { FACTORY_DIR, GLOBAL_FILES, taskPaths } from '../store/paths';
import { verifyChain, type ChainReport } from './verify';

/** What `factory audit verify --json` prints (version 1; fields are only ever added). */
export interface AuditVerifyReport {
  version: 1;
  ok: boolean;
  chains: ChainReport[];
}

/** Slugs of task folders under `.factory/` that hold an audit trail. */
function slugsWithAudit(root: string): string[] {
  let names: string[];
  try {
    names = readdirSync(path.join(root, FACTORY_DIR), { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name);
  } catch {
    return [];
  }
  return names.filter((n) => validateSlug(n).ok && existsSync(path.join(root, taskPaths(n).audit))).sort();
}

/**
 * Verifies the workspace log `.factory/audit.log` and every task's `audit.jsonl` (with their
 * rotated files), or only the given tasks' trails. Paths in the report are relative to `root`.
 */
export function verifyAuditTrails(root: string, slugs?: readonly string[]): AuditVerifyReport {
  const display = (f: string) => path.relative(root, f).split(path.sep).join('/');
  const chains: ChainReport[] = [];
  if (!slugs) chains.push(verifyChain(path.join(root, GLOBAL_FILES.auditLog), display));
  for (const slug of slugs ?? slugsWithAudit(root)) chains.push(verifyChain(path.join(root, taskPaths(slug).audit), display));
  return { version: 1, ok: chains.every((c) => c.ok), chains };
}
