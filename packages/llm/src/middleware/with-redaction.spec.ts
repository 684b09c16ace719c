import { LlmApiError } from '../errors/api-error';
import { Redactor } from '../redact';
import { collectChunks, fakeModel, okResult } from '../testing/fake-model';
import { withRedaction } from './with-redaction';

const ask = { messages: [{ role: 'user' as const, content: 'hi' }] };
const secret = 'sk-canary-0123456789abcdef';

describe('withRedaction', () => {
  const redactor = new Redactor({ OPENAI_API_KEY: secret });

  it('removes known secret values from generated text', async () => {
    const model = withRedaction(fakeModel([{ result: okResult(`the key is ${secret}`) }]), redactor);
    await expect(model.generate(ask)).resolves.toMatchObject({ text: 'the key is [REDACTED:OPENAI_API_KEY]' });
  });

  it('removes known secret values from stream deltas', async () => {
    const model = withRedaction(fakeModel([{ chunks: [{ type: 'text-delta', text: `echo ${secret}` }] }]), redactor);
    await expect(collectChunks(model.stream(ask))).resolves.toEqual([{ type: 'text-delta', text: 'echo [REDACTED:OPENAI_API_KEY]' }]);
  });

  it('redacts errors thrown by the model', async () => {
    const error = new LlmApiError(`Incorrect API key provided: ${secret}`, { provider: 'openai', statusCode: 401 });
    const model = withRedaction(fakeModel([{ error }]), redactor);
    await expect(model.generate(ask)).rejects.toMatchObject({ message: 'Incorrect API key provided: [REDACTED:OPENAI_API_KEY]' });
  });

  it('removes known secret values from the prompt before it is sent', async () => {
    const fake = fakeModel([{ result: okResult() }, { chunks: [] }]);
    const model = withRedaction(fake, redactor);
    const leaky = { system: `key ${secret}`, messages: [{ role: 'user' as const, content: `a log line with ${secret} in it` }] };
    await model.generate(leaky);
    await collectChunks(model.stream(leaky));
    for (const req of fake.requests) {
      expect(req.system).toBe('key [REDACTED:OPENAI_API_KEY]');
      expect(req.messages[0].content).toBe('a log line with [REDACTED:OPENAI_API_KEY] in it');
    }
  });
});
