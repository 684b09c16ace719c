import { modeTargets } from './mode-targets';

describe('modeTargets', () => {
  const targets = modeTargets(['stage-implement', 'stage-unit-test'], ['{projectRoot}/task.yaml']);

  it('runs review after every other stage, cached, with the spec among its inputs', () => {
    expect(targets['stage-review']).toMatchObject({
      executor: 'factory:review',
      dependsOn: ['stage-implement', 'stage-unit-test'],
      cache: true,
      inputs: ['{projectRoot}/task.yaml', '{projectRoot}/spec.md'],
      outputs: ['{projectRoot}/results/stage-review.*'],
    });
  });

  it('never caches change-order and rescue, which ask the model and change code', () => {
    expect(targets['change-order']).toMatchObject({ executor: 'factory:change-order', cache: false });
    expect(targets.rescue).toMatchObject({ executor: 'factory:rescue', cache: false });
    for (const t of Object.values(targets)) expect(t.metadata?.description).toEqual(expect.any(String));
  });
});
