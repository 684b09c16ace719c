/** What the timeline needs of a stage: its last result's times and verdict. */
export interface TimedStage {
  name: string;
  status: string;
  required: boolean;
  advisory?: boolean;
  started_at?: string;
  finished_at?: string;
  duration_ms?: number;
  /** Restored from the Nx cache rather than run. */
  cached?: boolean;
}

/** `pass`, `fail`, `advisory` (a failure that does not fail the pipeline), `skipped`. */
export type Verdict = 'pass' | 'fail' | 'advisory' | 'skipped' | 'not_run';

export interface TimelineBar {
  name: string;
  verdict: Verdict;
  /** Milliseconds from the run's start to the stage's start. */
  offset_ms: number;
  duration_ms: number;
  cached: boolean;
}

export interface Timeline {
  started_at: string;
  finished_at: string;
  span_ms: number;
  /** Bars in order of start; stages that ran in parallel overlap in time. */
  bars: TimelineBar[];
  /** Stages whose last result belongs to an earlier run, with when it finished. */
  earlier: { name: string; verdict: Verdict; finished_at: string }[];
  /** Stages without a usable result (not run, or times that cannot be read). */
  untimed: string[];
}

/**
 * Stages of one run follow each other within seconds (Nx starts the next when the last ends);
 * a result that ended this long before the next began is from an earlier run.
 */
export const RUN_GAP_MS = 120_000;

export function verdictOf(s: Pick<TimedStage, 'status' | 'required' | 'advisory'>): Verdict {
  if (s.status === 'success') return 'pass';
  if (s.status === 'failure') return s.advisory || !s.required ? 'advisory' : 'fail';
  if (s.status === 'skipped') return 'skipped';
  return 'not_run';
}

interface Span {
  stage: TimedStage;
  start: number;
  end: number;
}

function spanOf(s: TimedStage): Span | undefined {
  const start = s.started_at ? Date.parse(s.started_at) : NaN;
  let end = s.finished_at ? Date.parse(s.finished_at) : NaN;
  if (Number.isNaN(end) && !Number.isNaN(start) && s.duration_ms !== undefined) end = start + s.duration_ms;
  if (Number.isNaN(start) || Number.isNaN(end) || end < start) return undefined;
  return { stage: s, start, end };
}

/**
 * The last pipeline run as bars on a time axis (pure). Results are grouped into runs by gaps
 * of more than `RUN_GAP_MS` between one stage's end and the next one's start; the last group
 * is the run shown, the other results are listed as earlier. Undefined when no stage has times.
 */
export function stageTimeline(stages: readonly TimedStage[], gapMs = RUN_GAP_MS): Timeline | undefined {
  const spans: Span[] = [];
  const untimed: string[] = [];
  for (const s of stages) {
    const span = s.status === 'not_run' ? undefined : spanOf(s);
    if (span) spans.push(span);
    else untimed.push(s.name);
  }
  if (!spans.length) return undefined;
  spans.sort((a, b) => a.start - b.start || a.end - b.end);
  let runStart = 0;
  let reach = spans[0].end;
  for (let i = 1; i < spans.length; i++) {
    if (spans[i].start - reach > gapMs) runStart = i;
    reach = Math.max(reach, spans[i].end);
  }
  const run = spans.slice(runStart);
  const t0 = run[0].start;
  const t1 = Math.max(...run.map((s) => s.end));
  return {
    started_at: new Date(t0).toISOString(),
    finished_at: new Date(t1).toISOString(),
    span_ms: t1 - t0,
    bars: run.map((s) => ({
      name: s.stage.name,
      verdict: verdictOf(s.stage),
      offset_ms: s.start - t0,
      duration_ms: s.end - s.start,
      cached: s.stage.cached === true,
    })),
    earlier: spans
      .slice(0, runStart)
      .map((s) => ({ name: s.stage.name, verdict: verdictOf(s.stage), finished_at: new Date(s.end).toISOString() })),
    untimed,
  };
}
