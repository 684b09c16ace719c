import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { KeyObject } from 'node:crypto';
import { FactoryError, isFactoryError, type Problem } from '../domain/errors';
import { FACTORY_DIR } from '../store/paths';
import { KEY_ID_RE, keyIdOf, parsePublicKey, publicKeyPem } from './keys';

/** Where public keys are listed, one file per key, committed: `.factory/keys/<keyid>.pub`. */
export const KEYS_DIR = `${FACTORY_DIR}/keys`;

export const publicKeyFile = (keyid: string): string => `${KEYS_DIR}/${keyid}.pub`;

/** A public key listed in the workspace, with who it belongs to. */
export interface PublicKeyEntry {
  keyid: string;
  owner: string;
  created?: string;
  publicKey: KeyObject;
  /** The SPKI PEM. */
  pem: string;
  /** The file it was read from, relative to the workspace root. */
  file: string;
}

/**
 * The text of a key file: a short header (`keyid:`, `owner:`, `created:`) and the SPKI PEM
 * block. PEM allows text before the block (RFC 7468), so `openssl pkey -pubin -in <file>`
 * reads the file as it is.
 */
export function formatPublicKeyFile(entry: { keyid: string; owner: string; created: string; publicKey: KeyObject }): string {
  return [
    '# Factory evidence public key. Commit it; the private key stays with its owner.',
    `keyid: ${entry.keyid}`,
    `owner: ${entry.owner.replace(/[\r\n]/g, ' ')}`,
    `created: ${entry.created}`,
    publicKeyPem(entry.publicKey).trimEnd(),
    '',
  ].join('\n');
}

/** Parses a key file; `file` (relative) names it in errors, and its name must be `<keyid>.pub`. */
export function parsePublicKeyFile(text: string, file: string): PublicKeyEntry {
  const begin = text.indexOf('-----BEGIN');
  const header = new Map<string, string>();
  for (const line of (begin >= 0 ? text.slice(0, begin) : text).split('\n')) {
    const m = /^([a-z_]+):\s*(.*?)\s*$/.exec(line);
    if (m) header.set(m[1], m[2]);
  }
  const publicKey = parsePublicKey(text, file);
  const keyid = keyIdOf(publicKey);
  const problem = (field: string, message: string) => new FactoryError('EVIDENCE_KEY', `${file}: ${field}: ${message}`, { file, field });
  const owner = header.get('owner');
  if (!owner) throw problem('owner', 'expected who the key belongs to (a line "owner: ann@example.com" before the PEM block), got nothing');
  const declared = header.get('keyid');
  if (declared !== undefined && declared !== keyid)
    throw problem('keyid', `expected ${keyid} (the sha256 of the key's SPKI DER), got ${declared}`);
  const name = path.basename(file);
  if (name !== `${keyid}.pub`) throw problem('(file name)', `expected ${keyid}.pub for this key, got ${name}`);
  return { keyid, owner, created: header.get('created'), publicKey, pem: publicKeyPem(publicKey), file };
}

/** Every key listed under `.factory/keys/`; a file that cannot be read is a problem, the others still count. */
export function readPublicKeys(root: string): { keys: Map<string, PublicKeyEntry>; problems: Problem[] } {
  const keys = new Map<string, PublicKeyEntry>();
  const problems: Problem[] = [];
  let names: string[];
  try {
    names = readdirSync(path.join(root, KEYS_DIR)).filter((n) => n.endsWith('.pub'));
  } catch {
    return { keys, problems };
  }
  for (const name of names.sort()) {
    const file = `${KEYS_DIR}/${name}`;
    try {
      const entry = parsePublicKeyFile(readFileSync(path.join(root, file), 'utf8'), file);
      keys.set(entry.keyid, entry);
    } catch (e) {
      problems.push(problemOf(e, file));
    }
  }
  return { keys, problems };
}

/** A thrown `file: field: message` error as a Problem (the file and field not repeated in the message). */
function problemOf(e: unknown, file: string): Problem {
  if (!isFactoryError(e)) return { file, field: '(document)', message: String(e) };
  const field = e.field ?? '(document)';
  let message = e.message.startsWith(`${file}: `) ? e.message.slice(file.length + 2) : e.message;
  if (message.startsWith(`${field}: `)) message = message.slice(field.length + 2);
  return { file, field, message };
}

/** The full key id a user typed (a unique prefix of at least 8 hex digits is enough). */
export function resolveKeyId(prefix: string, known: Iterable<string>): { keyid: string } | { error: string } {
  const p = prefix.toLowerCase();
  if (KEY_ID_RE.test(p)) return { keyid: p };
  if (!/^[0-9a-f]{8,63}$/.test(p))
    return { error: `expected a key id (64 hex digits, or a unique prefix of at least 8), got ${JSON.stringify(prefix)}` };
  const matches = [...known].filter((k) => k.startsWith(p));
  if (matches.length === 1) return { keyid: matches[0] };
  return {
    error: matches.length
      ? `the key id prefix ${p} is ambiguous: it matches ${matches.join(', ')}`
      : `no key ${p}… is listed in ${KEYS_DIR}/ (see factory keys list)`,
  };
}
