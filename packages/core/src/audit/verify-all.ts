import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { validateSlug } from '../domain/slug';
import { loadEvidencePolicy, type EvidencePolicy } from '../evidence/trust';
import { readTextIfExists } from '../store/atomic';
import { FACTORY_DIR, GLOBAL_FILES, taskPaths } from '../store/paths';
import { checkAnchors, trailAnchors } from './anchors';
import { AUDIT_CHECKPOINT_FILE, judgeCheckpoint, type CheckpointReport } from './checkpoint';
import { crossCheckTask } from './cross-check';
import { readChain, type ChainProblem, type ChainReport, type LocatedEvent } from './verify';

/** What `factory audit verify --json` prints (version 1; fields are only ever added). */
export interface AuditVerifyReport {
  version: 1;
  ok: boolean;
  chains: ChainReport[];
  /** The signed checkpoint of chain heads, when there is one. */
  checkpoint?: CheckpointReport;
}

export interface AuditVerifyOptions {
  /** The trust policy for the checkpoint's signature; default: read from the workspace when there is a checkpoint. */
  policy?: EvidencePolicy;
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

function fail(report: ChainReport, problem: ChainProblem | undefined): void {
  if (!problem || !report.ok) return;
  report.ok = false;
  report.problem = problem;
}

/**
 * Verifies the workspace log `.factory/audit.log` and every task's `audit.jsonl` (with their
 * rotated files), or only the given tasks' trails: each chain on its own (`verifyChain`), then
 * each task trail against the workspace log (`crossCheckTask`: a deleted, emptied or truncated
 * trail, or one rewritten and re-hashed, no longer matches the log's copies), against the head
 * its signed approval summary recorded, and every chain against the signed checkpoint when
 * there is one. A task the log or the checkpoint knows is checked even when its folder is gone.
 * Paths in the report are relative to `root`.
 */
export function verifyAuditTrails(root: string, slugs?: readonly string[], options: AuditVerifyOptions = {}): AuditVerifyReport {
  const display = (f: string) => path.relative(root, f).split(path.sep).join('/');
  const log = readChain(path.join(root, GLOBAL_FILES.auditLog), display);
  const checkpoint = judgeCheckpoint(
    readTextIfExists(path.join(root, AUDIT_CHECKPOINT_FILE)),
    () => options.policy ?? loadEvidencePolicy(root),
  );
  const headOf = (file: string) =>
    (checkpoint?.heads ?? [])
      .filter((h) => h.file === file)
      .map((h) => ({ seq: h.seq, hash: h.hash, source: `the signed checkpoint ${AUDIT_CHECKPOINT_FILE}` }));
  const logFile = display(path.join(root, GLOBAL_FILES.auditLog));
  if (log.report.ok)
    fail(
      log.report,
      checkAnchors(headOf(logFile), { file: logFile, exists: existsSync(path.join(root, GLOBAL_FILES.auditLog)), events: log.events }),
    );

  const known = new Set(slugsWithAudit(root));
  for (const e of log.events) if (e.event.task && validateSlug(e.event.task).ok) known.add(e.event.task);
  for (const h of checkpoint?.heads ?? []) if (h.task && validateSlug(h.task).ok) known.add(h.task);
  const chains: ChainReport[] = [];
  if (!slugs || !log.report.ok) chains.push(log.report);
  const byTask = new Map<string, LocatedEvent[]>();
  for (const e of log.events) if (e.event.task) byTask.set(e.event.task, [...(byTask.get(e.event.task) ?? []), e]);
  for (const slug of slugs ?? [...known].sort()) {
    const abs = path.join(root, taskPaths(slug).audit);
    const trail = readChain(abs, display);
    const file = display(abs);
    const exists = existsSync(abs);
    if (log.report.ok && trail.report.ok) {
      const c = crossCheckTask({
        task: slug,
        trailFile: file,
        trailExists: exists,
        trail: trail.events,
        log: byTask.get(slug) ?? [],
        logFirst: log.events[0]?.event,
      });
      fail(trail.report, c.problem);
      trail.report.warnings.push(...c.warnings);
    }
    fail(trail.report, checkAnchors([...trailAnchors(root, slug), ...headOf(file)], { file, exists, events: trail.events }));
    chains.push(trail.report);
  }
  return { version: 1, ok: chains.every((c) => c.ok) && (checkpoint?.ok ?? true), chains, ...(checkpoint ? { checkpoint } : {}) };
}
