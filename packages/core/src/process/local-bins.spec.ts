import path from 'node:path';
import { withLocalBins } from './local-bins';

describe('withLocalBins', () => {
  it("puts every node_modules/.bin from the directory up to the root first, nearest first, as npm's scripts have them", () => {
    expect(withLocalBins('/repo/packages/app', '/usr/bin:/bin').split(path.delimiter)).toEqual([
      '/repo/packages/app/node_modules/.bin',
      '/repo/packages/node_modules/.bin',
      '/repo/node_modules/.bin',
      '/node_modules/.bin',
      '/usr/bin:/bin'.split(path.delimiter)[0],
      '/bin',
    ]);
  });

  it('keeps only the local directories when there was no PATH', () => {
    expect(withLocalBins('/repo', undefined)).toBe(['/repo/node_modules/.bin', '/node_modules/.bin'].join(path.delimiter));
  });
});
