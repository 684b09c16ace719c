import { repositoryOf, tokenGitEnv } from './git-remote';

describe('repositoryOf', () => {
  it('reads owner/name from https and ssh remotes of the host', () => {
    expect(repositoryOf('https://github.com/acme/app.git', 'github.com')).toBe('acme/app');
    expect(repositoryOf('https://user@github.com/acme/app', 'github.com')).toBe('acme/app');
    expect(repositoryOf('git@github.com:acme/app.git', 'github.com')).toBe('acme/app');
    expect(repositoryOf('ssh://git@ghe.example.com:2222/acme/app.git', 'ghe.example.com')).toBe('acme/app');
  });

  it('reads nothing from another host or a local path', () => {
    expect(repositoryOf('https://gitlab.com/acme/app.git', 'github.com')).toBeUndefined();
    expect(repositoryOf('/srv/git/app.git', 'github.com')).toBeUndefined();
  });
});

describe('tokenGitEnv', () => {
  it('sends the token as an https header for the web host only, through the environment', () => {
    const env = tokenGitEnv({}, 'https://github.com', 'tok');
    expect(env).toEqual({
      GIT_CONFIG_COUNT: '1',
      GIT_CONFIG_KEY_0: 'http.https://github.com/.extraheader',
      GIT_CONFIG_VALUE_0: `AUTHORIZATION: basic ${Buffer.from('x-access-token:tok').toString('base64')}`,
    });
  });

  it('adds to configuration already given in the environment', () => {
    expect(tokenGitEnv({ GIT_CONFIG_COUNT: '2' }, 'https://github.com', 't')).toMatchObject({
      GIT_CONFIG_COUNT: '3',
      GIT_CONFIG_KEY_2: expect.any(String),
    });
  });
});
