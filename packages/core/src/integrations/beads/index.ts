/**
 * Beads (steveyegge/beads) integration: read issues through `bd`, or from a JSONL export when
 * bd is absent (read-only), and keep their status in step with Factory's tasks.
 */
export * from './record';
export * from './jsonl';
export * from './cli';
export * from './exec';
export * from './which';
export * from './client';
