import { decodeBase64, parseEnvelope, preAuthEncoding, signEnvelope, verifyEnvelopeSignature, type ParsedEnvelope } from './dsse';
import { generateSigningKey } from './keys';

describe('preAuthEncoding', () => {
  it("matches the DSSE spec's example byte for byte", () => {
    // protocol.md of secure-systems-lab/dsse: PAE("http://example.com/HelloWorld", "hello world").
    expect(preAuthEncoding('http://example.com/HelloWorld', Buffer.from('hello world')).toString()).toBe(
      'DSSEv1 29 http://example.com/HelloWorld 11 hello world',
    );
  });

  it('counts lengths in bytes, not characters', () => {
    expect(preAuthEncoding('t/é', Buffer.from('€')).toString()).toBe('DSSEv1 4 t/é 3 €');
  });
});

describe('signEnvelope and verifyEnvelopeSignature', () => {
  const key = generateSigningKey();
  const parsed = (env: ReturnType<typeof signEnvelope>): ParsedEnvelope => {
    const p = parseEnvelope(JSON.parse(JSON.stringify(env)));
    if ('error' in p) throw new Error(p.error);
    return p.value;
  };

  it('signs the PAE with the key id and verifies with the public key', () => {
    const env = signEnvelope(Buffer.from('{"a":1}'), 'application/vnd.in-toto+json', key);
    expect(env).toMatchObject({ payloadType: 'application/vnd.in-toto+json', payload: Buffer.from('{"a":1}').toString('base64') });
    expect(env.signatures).toHaveLength(1);
    expect(env.signatures[0].keyid).toBe(key.keyid);
    const p = parsed(env);
    expect(verifyEnvelopeSignature(p, p.envelope.signatures[0], key.publicKey)).toBe(true);
  });

  it('fails for another payload type, another payload, another key, or a damaged signature', () => {
    const env = signEnvelope(Buffer.from('{"a":1}'), 'application/vnd.in-toto+json', key);
    const p = parsed(env);
    const sig = p.envelope.signatures[0];
    expect(verifyEnvelopeSignature({ ...p, envelope: { ...p.envelope, payloadType: 'text/plain' } }, sig, key.publicKey)).toBe(false);
    expect(verifyEnvelopeSignature({ ...p, payload: Buffer.from('{"a":2}') }, sig, key.publicKey)).toBe(false);
    expect(verifyEnvelopeSignature(p, sig, generateSigningKey().publicKey)).toBe(false);
    expect(verifyEnvelopeSignature(p, { ...sig, sig: 'not base64!' }, key.publicKey)).toBe(false);
  });

  it('writes an unsigned envelope when no key is given', () => {
    expect(signEnvelope(Buffer.from('x'), 'text/plain').signatures).toEqual([]);
  });
});

describe('parseEnvelope', () => {
  it('names the field that is wrong', () => {
    expect(parseEnvelope([])).toEqual({ error: 'expected a JSON object (a DSSE envelope), got a list' });
    expect(parseEnvelope({ payloadType: 't', payload: '%%%', signatures: [] })).toEqual({
      error: 'payload: expected base64 text, got other characters',
    });
    expect(parseEnvelope({ payloadType: 't', payload: 'eA==', signatures: {} })).toEqual({
      error: 'signatures: expected a list, got an object',
    });
    expect(parseEnvelope({ payloadType: 't', payload: 'eA==', signatures: [{ keyid: 'k' }] })).toEqual({
      error: 'signatures.0.sig: expected base64 text, got nothing',
    });
  });
});

describe('decodeBase64', () => {
  it('accepts standard and URL-safe base64 (DSSE allows both) and nothing else', () => {
    expect(decodeBase64('+/8=')?.toString('hex')).toBe('fbff');
    expect(decodeBase64('-_8')?.toString('hex')).toBe('fbff');
    expect(decodeBase64('a b')).toBeUndefined();
  });
});
