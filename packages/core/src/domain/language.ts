import { z } from 'zod';
import { err, ok, type Result } from './errors';
import { LANGUAGE_MANIFESTS, LANGUAGES, type Language } from './language-names';

export { LANGUAGE_MANIFESTS, LANGUAGES };

export const LanguageSchema = z.enum(LANGUAGES);
export type { Language };

const ALIASES: Record<string, Language> = {
  go: 'go',
  golang: 'go',
  gleam: 'gleam',
  rust: 'rust',
  rs: 'rust',
  python: 'python',
  py: 'python',
  typescript: 'typescript',
  ts: 'typescript',
  javascript: 'typescript',
  js: 'typescript',
};

/** Converts "go", "Rust", "ts", … into a Language; the error lists what is accepted. */
export function parseLanguage(input: string): Result<Language> {
  const l = ALIASES[input.trim().toLowerCase()];
  return l ? ok(l) : err(`expected one of ${LANGUAGES.join(', ')}, got ${JSON.stringify(input)}`);
}

/**
 * Detects the language from the file names present in one directory (not recursive).
 * Errors when none matches, or when several languages match (the contract must then say).
 */
export function detectLanguageFromFiles(fileNames: readonly string[]): Result<Language> {
  const present = new Set(fileNames.map((f) => f.split('/').pop() as string));
  const found = LANGUAGES.filter((l) => LANGUAGE_MANIFESTS[l].some((m) => present.has(m)));
  if (found.length === 1) return ok(found[0]);
  const manifests = LANGUAGES.map((l) => `${l}: ${LANGUAGE_MANIFESTS[l].join(' or ')}`).join('; ');
  if (found.length === 0) {
    return err(`could not detect the language: no manifest file found (looked for ${manifests}); set "language" in the contract`);
  }
  const which = found.map((l) => `${l} (${LANGUAGE_MANIFESTS[l].filter((m) => present.has(m)).join(', ')})`).join(', ');
  return err(`could not detect the language: several match: ${which}; set "language" in the contract`);
}
