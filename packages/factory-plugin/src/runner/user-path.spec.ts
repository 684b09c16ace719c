import path from 'node:path';
import { userPath } from './user-path';

describe('userPath', () => {
  const bins = ['/w/node_modules/.bin', '/node_modules/.bin'];
  const user = ['/home/u/.pyenv/shims', '/usr/local/bin', '/usr/bin', '/bin'];
  const join = (...parts: string[][]) => parts.flat().join(path.delimiter);

  it("takes out the directory of Nx's node that run-commands put before the user's PATH", () => {
    expect(userPath(join(bins, ['/usr/bin'], user), '/w', '/usr/bin')).toBe(join(bins, user));
  });

  it("keeps node's directory, at the end, when the user's PATH lacks it", () => {
    expect(userPath(join(bins, ['/opt/node/bin'], user), '/w', '/opt/node/bin')).toBe(join(bins, user, ['/opt/node/bin']));
  });

  it('leaves a PATH alone that has not the whole prefix (not started by run-commands, or by npm)', () => {
    for (const other of [
      join(user),
      join(['/w/node_modules/.bin'], ['/usr/bin'], user),
      join(bins, ['/usr/lib/node_modules/npm/node_modules/@npmcli/run-script/lib/node-gyp-bin'], user),
    ])
      expect(userPath(other, '/w', '/usr/bin')).toBe(other);
    expect(userPath(undefined, '/w', '/usr/bin')).toBeUndefined();
  });
});
