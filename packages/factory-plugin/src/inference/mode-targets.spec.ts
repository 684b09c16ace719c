import { modeTargets } from './mode-targets';

describe('modeTargets', () => {
  const targets = modeTargets();

  it('never caches change-order and rescue, which ask the model and change code', () => {
    expect(targets['change-order']).toMatchObject({ executor: 'factory:change-order', cache: false });
    expect(targets.rescue).toMatchObject({ executor: 'factory:rescue', cache: false });
    for (const t of Object.values(targets)) expect(t.metadata?.description).toEqual(expect.any(String));
  });

  it('leaves review to the pipeline (the built-in review stage)', () => {
    expect(Object.keys(targets).sort()).toEqual(['change-order', 'rescue']);
  });
});
