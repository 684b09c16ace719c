import type { PathMatcher } from '../repo/glob';
import type { ChangedFile } from './changes';

/** Lockfiles by name (at any depth). */
export const LOCKFILES = [
  'package-lock.json',
  'npm-shrinkwrap.json',
  'yarn.lock',
  'pnpm-lock.yaml',
  'bun.lock',
  'bun.lockb',
  'go.sum',
  'go.work.sum',
  'Cargo.lock',
  'poetry.lock',
  'Pipfile.lock',
  'uv.lock',
  'pdm.lock',
  'composer.lock',
  'Gemfile.lock',
];

/**
 * Files never counted against `max_lines_changed`, at any depth: lockfiles, minified and
 * source-map files, test snapshots, and code generators' conventional outputs
 * (protobuf/gRPC for Go, Python, C++ and JS; Kubernetes deepcopy; `*.generated.*`).
 */
export const DEFAULT_LINE_BUDGET_EXCLUDE: readonly string[] = [
  ...LOCKFILES.map((f) => `**/${f}`),
  '**/*.min.js',
  '**/*.min.css',
  '**/*.map',
  '**/*.snap',
  '**/*.pb.go',
  '**/*.pb.gw.go',
  '**/*_grpc.pb.go',
  '**/zz_generated.*.go',
  '**/*_pb2.py',
  '**/*_pb2.pyi',
  '**/*_pb2_grpc.py',
  '**/*.pb.cc',
  '**/*.pb.h',
  '**/*_pb.js',
  '**/*_pb.d.ts',
  '**/*_grpc_pb.js',
  '**/*.generated.*',
  '**/__generated__/**',
];

export interface LineCount {
  lines_added: number;
  lines_removed: number;
  /** Lines (added + removed) in files the budget counts. */
  lines_counted: number;
  /** Lines (added + removed) in excluded files. */
  lines_excluded: number;
  /** The three counted files with the most changed lines, largest first. */
  largest: { path: string; lines: number }[];
}

/** Sums changed lines; binary files count 0, excluded files count separately. */
export function countLines(changes: readonly ChangedFile[], excluded: PathMatcher): LineCount {
  const count: LineCount = { lines_added: 0, lines_removed: 0, lines_counted: 0, lines_excluded: 0, largest: [] };
  for (const c of changes) {
    if (c.binary) continue;
    const lines = c.added + c.removed;
    count.lines_added += c.added;
    count.lines_removed += c.removed;
    if (excluded(c.path)) {
      count.lines_excluded += lines;
      continue;
    }
    count.lines_counted += lines;
    const top = count.largest;
    if (lines > 0 && (top.length < 3 || lines > top[2].lines)) {
      top.push({ path: c.path, lines });
      top.sort((a, b) => b.lines - a.lines);
      top.length = Math.min(top.length, 3);
    }
  }
  return count;
}
