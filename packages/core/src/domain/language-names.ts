/** The languages Factory has standard stages for, and their manifests (no zod: the stage runner reads them). */
export const LANGUAGES = ['go', 'gleam', 'rust', 'python', 'typescript'] as const;
export type Language = (typeof LANGUAGES)[number];

/** Manifest files that identify each language, most specific first. */
export const LANGUAGE_MANIFESTS: Record<Language, readonly string[]> = {
  go: ['go.mod'],
  gleam: ['gleam.toml'],
  rust: ['Cargo.toml'],
  python: ['pyproject.toml', 'setup.py', 'setup.cfg', 'requirements.txt'],
  typescript: ['tsconfig.json', 'package.json'],
};
