import { farewell, greet } from './greeting';

describe('greet', () => {
  it('greets by name', () => {
    expect(greet('Ada')).toBe('Hello, Ada!');
  });
  it('greets the world when the name is blank', () => {
    expect(greet('  ')).toBe('Hello, world!');
  });
});

describe('farewell', () => {
  it('says goodbye politely', () => {
    expect(farewell('Ada')).toBe('Goodbye, Ada. See you soon!');
  });
  it('says goodbye briefly', () => {
    expect(farewell('', true)).toBe('Bye, world.');
  });
});
