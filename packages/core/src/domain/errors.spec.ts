import { FactoryError, isFactoryError, ValidationError } from './errors';

/** A FactoryError class as another copy of this module defines it (a bundle of the CLI holds one). */
function otherCopy(): new (code: string, message: string) => Error {
  class Copy extends Error {
    constructor(
      readonly code: string,
      message: string,
    ) {
      super(message);
      this.name = 'FactoryError';
    }
  }
  Object.defineProperty(Copy.prototype, Symbol.for('factory.FactoryError'), { value: true });
  return Copy;
}

describe('isFactoryError', () => {
  it('knows a FactoryError and its subclasses', () => {
    expect(isFactoryError(new FactoryError('TASK', 'no task'))).toBe(true);
    expect(isFactoryError(new ValidationError([{ file: 'f', field: 'x', message: 'm' }]))).toBe(true);
  });

  it('knows a FactoryError made by another copy of the class, which instanceof does not', () => {
    const e = new (otherCopy())('TASK', 'no task');
    expect(e instanceof FactoryError).toBe(false);
    expect(isFactoryError(e)).toBe(true);
  });

  it('tells any other error or value apart', () => {
    expect(isFactoryError(new Error('boom'))).toBe(false);
    expect(isFactoryError(Object.assign(new Error('boom'), { name: 'FactoryError' }))).toBe(false);
    expect(isFactoryError({ [Symbol.for('factory.FactoryError')]: true })).toBe(false);
    expect(isFactoryError(undefined)).toBe(false);
  });

  it('adds no own field to the error (its JSON and inspection stay as they were)', () => {
    expect(Object.getOwnPropertySymbols(new FactoryError('TASK', 'no task'))).toEqual([]);
  });
});
