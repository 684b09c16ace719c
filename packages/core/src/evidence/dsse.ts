import { sign, verify, type KeyObject } from 'node:crypto';

/**
 * DSSE (Dead Simple Signing Envelope, https://github.com/secure-systems-lab/dsse, v1.0):
 * the signature covers PAE(payloadType, payload), never the JSON around it, so re-encoding the
 * envelope cannot change what was signed. node:crypto only: this runs on every stage run.
 */

/** The payload type of in-toto statements. */
export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';

export interface DsseSignature {
  /** The signer's key id (see `keyIdOf`). Optional in DSSE; Factory always sets it. */
  keyid: string;
  /** Base64 of the Ed25519 signature over the PAE. */
  sig: string;
}

export interface DsseEnvelope {
  payloadType: string;
  /** Base64 of the payload bytes. */
  payload: string;
  signatures: DsseSignature[];
}

/**
 * The pre-authentication encoding, exactly as the spec defines it:
 * `"DSSEv1" SP LEN(type) SP type SP LEN(body) SP body`, lengths in ASCII decimal bytes.
 */
export function preAuthEncoding(payloadType: string, payload: Buffer): Buffer {
  const type = Buffer.from(payloadType, 'utf8');
  return Buffer.concat([Buffer.from(`DSSEv1 ${type.length} `), type, Buffer.from(` ${payload.length} `), payload]);
}

/** Signs `payload` into an envelope; `key` undefined writes an unsigned envelope (no signatures). */
export function signEnvelope(payload: Buffer, payloadType: string, key?: { keyid: string; privateKey: KeyObject }): DsseEnvelope {
  const signatures = key
    ? [{ keyid: key.keyid, sig: sign(null, preAuthEncoding(payloadType, payload), key.privateKey).toString('base64') }]
    : [];
  return { payloadType, payload: payload.toString('base64'), signatures };
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const BASE64URL = /^[A-Za-z0-9_-]*$/;

/** Decodes standard or URL-safe base64 (DSSE allows either); undefined when it is neither. */
export function decodeBase64(text: string): Buffer | undefined {
  if (BASE64.test(text)) return Buffer.from(text, 'base64');
  if (BASE64URL.test(text) && text.length % 4 !== 1) return Buffer.from(text, 'base64url');
  return undefined;
}

/** An envelope read back from a file: its payload decoded. */
export interface ParsedEnvelope {
  envelope: DsseEnvelope;
  payload: Buffer;
}

/**
 * Checks that `data` (parsed JSON) is a DSSE envelope; returns it with its payload decoded, or
 * what is wrong with it (said as "expected …, got …").
 */
export function parseEnvelope(data: unknown): { value: ParsedEnvelope } | { error: string } {
  if (!data || typeof data !== 'object' || Array.isArray(data))
    return { error: `expected a JSON object (a DSSE envelope), got ${kindOf(data)}` };
  const e = data as Record<string, unknown>;
  if (typeof e.payloadType !== 'string') return { error: `payloadType: expected a string, got ${kindOf(e.payloadType)}` };
  if (typeof e.payload !== 'string') return { error: `payload: expected base64 text, got ${kindOf(e.payload)}` };
  const payload = decodeBase64(e.payload);
  if (!payload) return { error: 'payload: expected base64 text, got other characters' };
  if (!Array.isArray(e.signatures)) return { error: `signatures: expected a list, got ${kindOf(e.signatures)}` };
  const signatures: DsseSignature[] = [];
  for (const [i, s] of e.signatures.entries()) {
    const sig = s as Record<string, unknown> | null;
    if (!sig || typeof sig !== 'object' || typeof sig.sig !== 'string')
      return { error: `signatures.${i}.sig: expected base64 text, got ${kindOf(sig?.sig)}` };
    if (sig.keyid !== undefined && typeof sig.keyid !== 'string')
      return { error: `signatures.${i}.keyid: expected a string, got ${kindOf(sig.keyid)}` };
    signatures.push({ keyid: typeof sig.keyid === 'string' ? sig.keyid : '', sig: sig.sig });
  }
  return { value: { envelope: { payloadType: e.payloadType, payload: e.payload, signatures }, payload } };
}

/** Whether `signature` is a valid signature of the envelope's PAE by `publicKey`. */
export function verifyEnvelopeSignature(parsed: ParsedEnvelope, signature: DsseSignature, publicKey: KeyObject): boolean {
  const sig = decodeBase64(signature.sig);
  if (!sig) return false;
  try {
    return verify(null, preAuthEncoding(parsed.envelope.payloadType, parsed.payload), publicKey, sig);
  } catch {
    return false;
  }
}

/** A short description of a JSON value's kind, for messages (never the value itself). */
export function kindOf(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}
