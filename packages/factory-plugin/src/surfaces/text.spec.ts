import { jest } from '@jest/globals';
import { thousands } from './text';

describe('thousands', () => {
  const numbers = [
    0,
    -0,
    7,
    999,
    1000,
    -1000,
    12345,
    999999,
    1000000,
    -1234567,
    2 ** 53 - 1,
    -(2 ** 53 - 1),
    2 ** 53,
    1e21,
    1234.5678,
    NaN,
    Infinity,
  ];

  it('writes what toLocaleString("en-US") writes', () => {
    for (const n of numbers) expect(thousands(n)).toBe(n.toLocaleString('en-US'));
  });

  it('writes a whole number without toLocaleString, which loads the locale data', () => {
    const spy = jest.spyOn(Number.prototype, 'toLocaleString');
    try {
      expect([0, 999, 1000, -1234567, 2 ** 53 - 1].map(thousands)).toEqual(['0', '999', '1,000', '-1,234,567', '9,007,199,254,740,991']);
      expect(spy).not.toHaveBeenCalled();
    } finally {
      spy.mockRestore();
    }
  });
});
