import { stageTimeline, verdictOf, type TimedStage } from './timeline';

const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 12, 0, 0) + s * 1000).toISOString();
const stage = (name: string, from: number, to: number, extra: Partial<TimedStage> = {}): TimedStage => ({
  name,
  status: 'success',
  required: true,
  started_at: at(from),
  finished_at: at(to),
  ...extra,
});

describe('verdictOf', () => {
  it('calls a failed required stage a fail and a failed advisory one advisory', () => {
    expect(verdictOf({ status: 'failure', required: true })).toBe('fail');
    expect(verdictOf({ status: 'failure', required: false })).toBe('advisory');
    expect(verdictOf({ status: 'failure', required: true, advisory: true })).toBe('advisory');
    expect(verdictOf({ status: 'success', required: true })).toBe('pass');
    expect(verdictOf({ status: 'skipped', required: true })).toBe('skipped');
    expect(verdictOf({ status: 'not_run', required: true })).toBe('not_run');
  });
});

describe('stageTimeline', () => {
  it('places each stage at its offset from the run start, in order of start', () => {
    const t = stageTimeline([stage('test', 10, 30), stage('build', 0, 10)]);
    expect(t?.started_at).toBe(at(0));
    expect(t?.finished_at).toBe(at(30));
    expect(t?.span_ms).toBe(30_000);
    expect(t?.bars.map((b) => [b.name, b.offset_ms, b.duration_ms])).toEqual([
      ['build', 0, 10_000],
      ['test', 10_000, 20_000],
    ]);
  });

  it('shows parallel stages overlapping in time', () => {
    const t = stageTimeline([stage('build', 0, 10), stage('lint', 0, 4), stage('format', 1, 3)]);
    const lint = t?.bars.find((b) => b.name === 'lint');
    const format = t?.bars.find((b) => b.name === 'format');
    expect(lint?.offset_ms).toBe(0);
    expect(format?.offset_ms).toBe(1000);
    expect(format!.offset_ms < lint!.offset_ms + lint!.duration_ms).toBe(true);
  });

  it('keeps only the last run on the axis and lists results of earlier runs', () => {
    const t = stageTimeline([stage('old', 0, 5, { status: 'failure' }), stage('build', 3600, 3610), stage('test', 3611, 3620)]);
    expect(t?.bars.map((b) => b.name)).toEqual(['build', 'test']);
    expect(t?.started_at).toBe(at(3600));
    expect(t?.earlier).toEqual([{ name: 'old', verdict: 'fail', finished_at: at(5) }]);
  });

  it('lists stages without a result or with unreadable times as untimed', () => {
    const t = stageTimeline([
      stage('build', 0, 1),
      { name: 'never', status: 'not_run', required: true },
      stage('bad', 0, 1, { started_at: 'yesterday' }),
      stage('backwards', 5, 1),
    ]);
    expect(t?.bars.map((b) => b.name)).toEqual(['build']);
    expect(t?.untimed).toEqual(['never', 'bad', 'backwards']);
  });

  it('takes the end from the duration when the finish time is missing', () => {
    const t = stageTimeline([{ name: 'x', status: 'success', required: true, started_at: at(0), duration_ms: 2500 }]);
    expect(t?.bars[0].duration_ms).toBe(2500);
  });

  it('marks cache hits and colours by verdict', () => {
    const t = stageTimeline([stage('a', 0, 1, { cached: true }), stage('b', 1, 2, { status: 'failure', required: false })]);
    expect(t?.bars.map((b) => [b.name, b.cached, b.verdict])).toEqual([
      ['a', true, 'pass'],
      ['b', false, 'advisory'],
    ]);
  });

  it('is undefined when no stage has run', () => {
    expect(stageTimeline([{ name: 'x', status: 'not_run', required: true }])).toBeUndefined();
  });
});
