import { randomUUID } from 'node:crypto';
import { KEYRING_SERVICE, lookupSecret, type Keyring } from './secrets';

const recordingKeyring = (stored: Record<string, string>) => {
  const asked: string[] = [];
  const keyring: Keyring = {
    getPassword: (service, account) => {
      asked.push(`${service}/${account}`);
      return stored[account] ?? null;
    },
  };
  return { keyring, asked };
};

describe('lookupSecret', () => {
  it('takes the environment first, without touching the keyring', async () => {
    const { keyring, asked } = recordingKeyring({ OPENAI_API_KEY: 'from-keyring' });
    await expect(lookupSecret('OPENAI_API_KEY', { env: { OPENAI_API_KEY: 'from-env' }, keyring })).resolves.toEqual({
      found: true,
      value: 'from-env',
      source: 'env',
    });
    expect(asked).toEqual([]);
  });

  it("falls back to the keyring under service 'factory', account <name>", async () => {
    const { keyring, asked } = recordingKeyring({ OPENAI_API_KEY: 'from-keyring' });
    await expect(lookupSecret('OPENAI_API_KEY', { env: {}, keyring })).resolves.toEqual({
      found: true,
      value: 'from-keyring',
      source: 'keyring',
    });
    expect(asked).toEqual([`${KEYRING_SERVICE}/OPENAI_API_KEY`]);
  });

  it('reports not found when neither has it', async () => {
    const { keyring } = recordingKeyring({});
    await expect(lookupSecret('OPENAI_API_KEY', { env: {}, keyring })).resolves.toEqual({ found: false });
  });

  it('treats a keyring that throws (no Secret Service) as absent and says why', async () => {
    const keyring: Keyring = {
      getPassword: () => {
        throw new Error('Platform secure storage failure: DBus error: The name org.freedesktop.secrets was not provided');
      },
    };
    await expect(lookupSecret('GEMINI_API_KEY', { env: {}, keyring })).resolves.toEqual({
      found: false,
      keyringProblem: 'Platform secure storage failure: DBus error: The name org.freedesktop.secrets was not provided',
    });
  });

  it('accepts an asynchronous keyring', async () => {
    const keyring: Keyring = { getPassword: async () => 'async-value' };
    await expect(lookupSecret('X_KEY', { env: {}, keyring })).resolves.toMatchObject({ value: 'async-value', source: 'keyring' });
  });

  it('ignores empty or blank values', async () => {
    const { keyring } = recordingKeyring({ X_KEY: '  ' });
    await expect(lookupSecret('X_KEY', { env: { X_KEY: '' }, keyring })).resolves.toEqual({ found: false });
  });

  it('reads the real OS keyring through @napi-rs/keyring when none is injected', async () => {
    // Whether this machine has a keyring or not, an entry nobody stored is not found.
    const result = await lookupSecret(`FACTORY_TEST_ABSENT_${randomUUID().replace(/-/g, '_')}`, { env: {} });
    expect(result.found).toBe(false);
  });
});
