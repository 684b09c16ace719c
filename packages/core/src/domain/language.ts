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

/** Packages that put Nx and Factory into a repository: a package.json holding only these is not a JavaScript project. */
const WORKSPACE_TOOLING = /^(?:nx|@nx\/.+|factory|@factory\/.+|@nx-tools\/.+)$/;

/**
 * Whether a package.json only installs Nx and Factory (what `npm install -D nx` and the plugin
 * write into a Go, Python or Rust repository): no dependencies but tooling, no test script.
 */
export function onlyWorkspaceTooling(packageJson: string): boolean {
  let pkg: { dependencies?: object; devDependencies?: object; scripts?: Record<string, unknown> };
  try {
    pkg = JSON.parse(packageJson) as typeof pkg;
  } catch {
    return false;
  }
  if (!pkg || typeof pkg !== 'object') return false;
  const deps = [...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.devDependencies ?? {})];
  const test = pkg.scripts?.test;
  const realTest = typeof test === 'string' && !/no test specified/.test(test);
  return !realTest && deps.every((d) => WORKSPACE_TOOLING.test(d));
}

/**
 * Detects the language from the file names present in one directory (not recursive).
 * Errors when none matches, or when several languages match (the contract must then say).
 * `packageJson`, the text of that directory's package.json, lets a package.json that only
 * installs Nx and Factory give way to the other language's manifest.
 */
export function detectLanguageFromFiles(fileNames: readonly string[], packageJson?: string): Result<Language> {
  const present = new Set(fileNames.map((f) => f.split('/').pop() as string));
  let found = LANGUAGES.filter((l) => LANGUAGE_MANIFESTS[l].some((m) => present.has(m)));
  if (found.length > 1 && packageJson !== undefined && !present.has('tsconfig.json') && onlyWorkspaceTooling(packageJson)) {
    found = found.filter((l) => l !== 'typescript');
  }
  if (found.length === 1) return ok(found[0]);
  const manifests = LANGUAGES.map((l) => `${l}: ${LANGUAGE_MANIFESTS[l].join(' or ')}`).join('; ');
  if (found.length === 0) {
    return err(`could not detect the language: no manifest file found (looked for ${manifests}); set "language" in the contract`);
  }
  const which = found.map((l) => `${l} (${LANGUAGE_MANIFESTS[l].filter((m) => present.has(m)).join(', ')})`).join(', ');
  return err(`could not detect the language: several match: ${which}; set "language" in the contract`);
}
