import { pathTo } from './stage-status';

describe('pathTo', () => {
  it('is empty when no legal path exists', () => {
    expect(pathTo('done', 'in_progress')).toEqual([]);
  });
});
