import { tempWorkspace } from '../../testing/temp-workspace';
import { loadGithubConfig, tokenAccount, webBaseUrl } from './config';

describe('loadGithubConfig', () => {
  it('has defaults for github.com without a github section', () => {
    const ws = tempWorkspace({ '.factory/config.yaml': 'version: 1\n' });
    try {
      expect(loadGithubConfig(ws.root)).toEqual({
        base_url: 'https://api.github.com',
        client_type: 'github-app',
        remote: 'origin',
        pull_request_on_approval: false,
        draft: false,
      });
    } finally {
      ws.cleanup();
    }
  });

  it('names the file and the field of a bad value', () => {
    const ws = tempWorkspace({ '.factory/config.yaml': 'github:\n  base_url: ftp://x\n  repository: just-a-name\n  colour: blue\n' });
    try {
      expect(() => loadGithubConfig(ws.root)).toThrow(/\.factory\/config\.yaml: github\.base_url: expected url, got "ftp:\/\/x"/);
      expect(() => loadGithubConfig(ws.root)).toThrow(
        '.factory/config.yaml: github.repository: expected owner/name, e.g. acme/app, got "just-a-name"',
      );
      expect(() => loadGithubConfig(ws.root)).toThrow('.factory/config.yaml: github: unknown field "colour"');
    } finally {
      ws.cleanup();
    }
  });
});

describe('webBaseUrl and tokenAccount', () => {
  it('sign in and push on the web host: github.com, or the Enterprise server without /api/v3', () => {
    expect(webBaseUrl({ base_url: 'https://api.github.com' })).toBe('https://github.com');
    expect(webBaseUrl({ base_url: 'https://ghe.example.com/api/v3/' })).toBe('https://ghe.example.com');
    expect(tokenAccount({ base_url: 'https://ghe.example.com/api/v3' })).toBe('github:ghe.example.com');
    expect(tokenAccount({ base_url: 'https://api.github.com' })).toBe('github:github.com');
  });
});
