import { allowedHost, allowedOrigin, newToken, sameToken } from './guard';

describe('newToken', () => {
  it('makes a different 256-bit URL-safe token each time', () => {
    const a = newToken();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(newToken()).not.toBe(a);
  });
});

describe('sameToken', () => {
  it('accepts only the exact token', () => {
    const t = newToken();
    expect(sameToken(t, t)).toBe(true);
    expect(sameToken(`${t}x`, t)).toBe(false);
    expect(sameToken(t.slice(1), t)).toBe(false);
    expect(sameToken('', t)).toBe(false);
    expect(sameToken(undefined, t)).toBe(false);
  });
});

describe('allowedHost', () => {
  it('allows only 127.0.0.1 and localhost on the dashboard port', () => {
    expect(allowedHost('127.0.0.1:8080', 8080)).toBe(true);
    expect(allowedHost('localhost:8080', 8080)).toBe(true);
    expect(allowedHost('127.0.0.1:8081', 8080)).toBe(false);
    expect(allowedHost('evil.example:8080', 8080)).toBe(false);
    expect(allowedHost('127.0.0.1', 8080)).toBe(false);
    expect(allowedHost(undefined, 8080)).toBe(false);
  });
});

describe('allowedOrigin', () => {
  it("allows no Origin (not a browser's cross-site request) and the dashboard's own", () => {
    expect(allowedOrigin(undefined, 8080)).toBe(true);
    expect(allowedOrigin('http://127.0.0.1:8080', 8080)).toBe(true);
    expect(allowedOrigin('http://localhost:8080', 8080)).toBe(true);
    expect(allowedOrigin('http://evil.example', 8080)).toBe(false);
    expect(allowedOrigin('null', 8080)).toBe(false);
  });
});
