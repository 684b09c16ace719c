import type { Language } from '../domain/language-names';

/**
 * What each language's toolchain adds beyond the project's own tools (detect/ finds those): the
 * version command that is part of every stage's cache key, and the commands of stages no
 * project configuration names (Go's integration tests by build tag).
 */
export interface Toolchain {
  language: Language;
  /** A shell command printing the toolchain's version: part of every stage's cache key. */
  version: string;
  commands: Partial<Record<'integration-test' | 'e2e', string>>;
}

/** The Python interpreter: `$PYTHON` when set (e.g. in `.factory/config.yaml` `env:`), else `python3`. */
export const PYTHON = '"${PYTHON:-python3}"';

export const TOOLCHAINS: Record<Language, Toolchain> = {
  go: { language: 'go', version: 'go version', commands: {} },
  rust: { language: 'rust', version: 'rustc --version && cargo --version', commands: {} },
  python: { language: 'python', version: `${PYTHON} --version`, commands: {} },
  gleam: { language: 'gleam', version: 'gleam --version', commands: {} },
  typescript: { language: 'typescript', version: 'node --version', commands: {} },
};
