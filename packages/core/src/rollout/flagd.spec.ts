import { FlagdCore } from '@openfeature/flagd-core';
import { flagdDocument, servedPercent } from './flagd';

const quiet = { debug() {}, info() {}, warn() {}, error() {} };

/** The share of 10,000 targeting keys the real flagd evaluator serves `on`, in percent. */
function observedShare(doc: unknown, key: string, keys = 10_000): number {
  const core = new FlagdCore();
  core.setConfigurations(JSON.stringify(doc));
  let on = 0;
  for (let i = 0; i < keys; i++) {
    const r = core.resolveBooleanEvaluation(key, false, { targetingKey: `user-${i}` }, quiet);
    if (r.value) on++;
  }
  return (on / keys) * 100;
}

describe('flagdDocument', () => {
  it.each([0, 1, 10, 50, 100, 2.5, 33.33])('serves %d%% of 10,000 keys within 1.5 points (real flagd evaluator)', (percent) => {
    const doc = flagdDocument('bd-95.1', percent);
    const share = observedShare(doc, 'bd-95.1');
    expect(Math.abs(share - percent)).toBeLessThanOrEqual(1.5);
    if (percent === 0) expect(share).toBe(0);
    if (percent === 100) expect(share).toBe(100);
  });

  it('keeps a key that got the change as the percentage grows (sticky buckets)', () => {
    const on = (p: number) => {
      const core = new FlagdCore();
      core.setConfigurations(JSON.stringify(flagdDocument('bd-1', p)));
      return new Set(
        Array.from({ length: 2000 }, (_, i) => `k${i}`).filter(
          (k) => core.resolveBooleanEvaluation('bd-1', false, { targetingKey: k }, quiet).value,
        ),
      );
    };
    const ten = on(10);
    const fifty = on(50);
    for (const k of ten) expect(fifty.has(k)).toBe(true);
  });

  it('buckets two tasks independently (the flag key is part of the bucket)', () => {
    const a = flagdDocument('bd-a', 50);
    const b = flagdDocument('bd-b', 50);
    const core = new FlagdCore();
    core.setConfigurations(JSON.stringify({ ...a, flags: { ...a.flags, ...b.flags } }));
    let same = 0;
    for (let i = 0; i < 2000; i++) {
      const ctx = { targetingKey: `u${i}` };
      if (core.resolveBooleanEvaluation('bd-a', false, ctx, quiet).value === core.resolveBooleanEvaluation('bd-b', false, ctx, quiet).value)
        same++;
    }
    expect(same / 2000).toBeGreaterThan(0.4);
    expect(same / 2000).toBeLessThan(0.6);
  });

  it('reads back the percentage it serves', () => {
    for (const p of [0, 1, 12.34, 100]) expect(servedPercent(flagdDocument('x', p), 'x')).toBe(p);
    expect(servedPercent({ flags: {} }, 'x')).toBeUndefined();
  });
});
