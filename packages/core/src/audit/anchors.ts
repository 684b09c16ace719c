import path from 'node:path';
import { readTextIfExists } from '../store/atomic';
import { approvalSummaryFile } from '../evidence/approval-summary';
import type { ChainProblem, LocatedEvent } from './verify';

/** A chain head that a signed statement recorded: the chain must still hold this event. */
export interface SignedAnchor {
  seq: number;
  hash: string;
  /** What recorded it, for messages: "the signed approval summary .factory/x/approval.intoto.json". */
  source: string;
}

/** The `audit_head` a DSSE envelope's in-toto statement carries in its predicate, if any. */
export function anchorInEnvelope(text: string | undefined): { seq: number; hash: string } | undefined {
  if (text === undefined) return undefined;
  try {
    const env = JSON.parse(text) as { payload?: unknown };
    if (typeof env.payload !== 'string') return undefined;
    const st = JSON.parse(Buffer.from(env.payload, 'base64').toString('utf8')) as {
      predicate?: { audit_head?: { seq?: unknown; hash?: unknown } };
    };
    const h = st.predicate?.audit_head;
    return h && typeof h.seq === 'number' && typeof h.hash === 'string' ? { seq: h.seq, hash: h.hash } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The anchors of a task's trail in signed statements committed with it: its approval summary.
 * (Stage attestations carry anchors too, but they travel through the Nx cache apart from the
 * tracked trail, from other branches and clones; `factory evidence verify` reports them.)
 * A forged anchor can only make verification fail, never pass, so signatures are checked
 * where the statements are judged, not here.
 */
export function trailAnchors(root: string, slug: string): SignedAnchor[] {
  const file = approvalSummaryFile(slug);
  const a = anchorInEnvelope(readTextIfExists(path.join(root, file)));
  return a ? [{ ...a, source: `the signed approval summary ${file}` }] : [];
}

/**
 * Checks that a chain still holds every anchored event (pure): an anchor past the chain's end
 * means events were removed from its end (`truncated`; `deleted`/`emptied` when nothing is
 * left), an anchored event with another hash means the chain was rewritten (`diverged`).
 * Anchors older than what rotation kept are not checked.
 */
export function checkAnchors(
  anchors: readonly SignedAnchor[],
  chain: { file: string; exists: boolean; events: readonly LocatedEvent[] },
): ChainProblem | undefined {
  const bySeq = new Map(chain.events.map((e) => [e.event.seq, e]));
  const first = chain.events[0]?.event.seq ?? 1;
  const head = chain.events.at(-1);
  for (const a of anchors) {
    const e = bySeq.get(a.seq);
    if (!e) {
      if (a.seq < first) continue;
      const kind = !chain.exists ? 'deleted' : !chain.events.length ? 'emptied' : 'truncated';
      const now = !chain.exists
        ? 'the file is missing'
        : !chain.events.length
          ? 'the file is empty'
          : `it ends at event ${head?.event.seq}`;
      return {
        kind,
        file: chain.file,
        line: head?.line ?? 0,
        seq: a.seq,
        message: `${chain.file}: ${a.source} records event ${a.seq} of this trail, but ${now}: events were removed`,
      };
    }
    if (e.event.hash !== a.hash)
      return {
        kind: 'diverged',
        file: e.file,
        line: e.line,
        seq: a.seq,
        message: `${e.file}:${e.line}: ${a.source} records event ${a.seq} with hash ${a.hash.slice(0, 16)}…, but the trail's event ${a.seq} has ${e.event.hash.slice(0, 16)}…: the trail was rewritten and its chain recomputed`,
      };
  }
  return undefined;
}
