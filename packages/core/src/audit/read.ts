import { readFileSync } from 'node:fs';
import path from 'node:path';
import { isAuditEvent } from './chain';
import type { AuditEvent } from './event';
import { chainFiles } from './files';
import { taskPaths } from '../store/paths';

/** Every readable event of a task's audit trail, oldest first (unreadable lines are skipped: `verify` reports them). */
export function readTaskAudit(root: string, slug: string): AuditEvent[] {
  const out: AuditEvent[] = [];
  for (const file of chainFiles(path.join(root, taskPaths(slug).audit))) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n')) {
      if (!line) continue;
      try {
        const e: unknown = JSON.parse(line);
        if (isAuditEvent(e)) out.push(e);
      } catch {
        // skipped: not an event
      }
    }
  }
  return out;
}
