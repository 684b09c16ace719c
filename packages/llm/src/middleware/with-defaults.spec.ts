import { fakeModel, okResult } from '../testing/fake-model';
import { withDefaults } from './with-defaults';

describe('withDefaults', () => {
  it('fills maxOutputTokens and temperature the request leaves out', async () => {
    const inner = fakeModel([{ result: okResult() }]);
    await withDefaults(inner, { maxOutputTokens: 800, temperature: 0.2 }).generate({ messages: [] });
    expect(inner.requests[0]).toMatchObject({ maxOutputTokens: 800, temperature: 0.2 });
  });

  it('keeps the values the request sets', async () => {
    const inner = fakeModel([{ result: okResult() }]);
    await withDefaults(inner, { maxOutputTokens: 800, temperature: 0.2 }).generate({ messages: [], maxOutputTokens: 50, temperature: 0 });
    expect(inner.requests[0]).toMatchObject({ maxOutputTokens: 50, temperature: 0 });
  });
});
