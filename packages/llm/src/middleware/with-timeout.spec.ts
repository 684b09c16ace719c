import { collectChunks, fakeModel, okResult } from '../testing/fake-model';
import { withTimeout } from './with-timeout';

const ask = { messages: [{ role: 'user' as const, content: 'hi' }] };

describe('withTimeout', () => {
  it('turns an abort caused by the timer into LlmTimeoutError', async () => {
    const model = withTimeout(fakeModel([{ hang: true }]), 30);
    await expect(model.generate(ask)).rejects.toMatchObject({ name: 'LlmTimeoutError', timeoutMs: 30, provider: 'openai' });
  });

  it("leaves an abort caused by the caller's signal as it is", async () => {
    const controller = new AbortController();
    const model = withTimeout(fakeModel([{ hang: true }]), 10_000);
    const call = model.generate({ ...ask, signal: controller.signal });
    controller.abort(new Error('caller gave up'));
    await expect(call).rejects.toThrow('caller gave up');
  });

  it('bounds a stream the same way', async () => {
    const model = withTimeout(fakeModel([{ hang: true }]), 30);
    await expect(collectChunks(model.stream(ask))).rejects.toMatchObject({ name: 'LlmTimeoutError' });
  });

  it('hands the model a signal that follows the caller and the timer', async () => {
    const inner = fakeModel([{ result: okResult() }]);
    const controller = new AbortController();
    await withTimeout(inner, 10_000).generate({ ...ask, signal: controller.signal });
    const passed = inner.requests[0].signal;
    expect(passed).toBeDefined();
    expect(passed).not.toBe(controller.signal);
    controller.abort();
    expect(passed?.aborted).toBe(true);
  });
});
