import type { Language } from '../domain/language';
import type { CoverageParser } from '../domain/stage';

/**
 * The commands each language uses for the standard stages, run in the contract's working
 * directory. Commands write scratch files (coverage data) under `$FACTORY_TMP`, a directory
 * the stage runner creates per run and removes afterwards, so a stage never leaves files in
 * the task's code for the contract stage to count.
 */
export interface Toolchain {
  language: Language;
  /** A shell command printing the toolchain's version: part of every stage's cache key. */
  version: string;
  commands: Partial<Record<StandardCommandStage, string>>;
  coverageParser: CoverageParser;
}

export type StandardCommandStage = 'implement' | 'unit-test' | 'coverage' | 'lint' | 'format' | 'integration-test' | 'e2e';

// Rust coverage without crates.io: rustc's own instrumentation, read with llvm-profdata/llvm-cov
// (Debian `llvm`, any version new enough to read rustc's profiles). Fails with a clear message
// when the tools are missing.
const RUST_COVERAGE = [
  'set -e',
  'PROFDATA=$(command -v llvm-profdata || ls /usr/bin/llvm-profdata-* 2>/dev/null | sort -V | tail -1)',
  'LLVMCOV=$(command -v llvm-cov || ls /usr/bin/llvm-cov-* 2>/dev/null | sort -V | tail -1)',
  '[ -n "$PROFDATA" ] && [ -n "$LLVMCOV" ] || { echo "error: llvm-profdata and llvm-cov are needed for Rust coverage (apt-get install llvm)"; exit 1; }',
  'T="$FACTORY_TMP/rust-cov"',
  'RUSTFLAGS="-C instrument-coverage" LLVM_PROFILE_FILE="$T/cov-%p-%m.profraw" CARGO_TARGET_DIR="$T/target" cargo test --tests',
  '"$PROFDATA" merge -sparse "$T"/*.profraw -o "$T/cov.profdata"',
  'OBJS=$(find "$T/target/debug/deps" -type f -executable ! -name "*.so" ! -name "*.d" | sed "s/^/--object=/")',
  '"$LLVMCOV" report --instr-profile="$T/cov.profdata" $OBJS --ignore-filename-regex="(/\\.cargo/registry|/rustc/|tests/)"',
].join('\n');

const GO_FORMAT = 'out=$(gofmt -l .); if [ -n "$out" ]; then echo "$out"; echo "gofmt: the files above need formatting (run gofmt -w)"; exit 1; fi';

export const TOOLCHAINS: Record<Language, Toolchain> = {
  go: {
    language: 'go',
    version: 'go version',
    coverageParser: 'go',
    commands: {
      implement: 'go build ./...',
      'unit-test': 'go test ./...',
      coverage: 'go test -coverprofile="$FACTORY_TMP/cover.out" ./... && go tool cover -func="$FACTORY_TMP/cover.out"',
      lint: 'go vet ./...',
      format: GO_FORMAT,
      'integration-test': 'go test -tags=integration -run Integration ./...',
    },
  },
  rust: {
    language: 'rust',
    version: 'rustc --version && cargo --version',
    coverageParser: 'llvm-cov',
    commands: {
      implement: 'cargo build --all-targets',
      'unit-test': 'cargo test',
      coverage: RUST_COVERAGE,
      lint: 'cargo clippy --all-targets -- -D warnings',
      format: 'cargo fmt --check',
    },
  },
  python: {
    language: 'python',
    version: 'python3 --version',
    coverageParser: 'coverage-py',
    commands: {
      implement: 'python3 -m compileall -q -x "(^|/)(\\.|venv|node_modules)" .',
      'unit-test': 'python3 -m pytest -q -p no:cacheprovider',
      coverage:
        'COVERAGE_FILE="$FACTORY_TMP/.coverage" python3 -m coverage run -m pytest -q -p no:cacheprovider && COVERAGE_FILE="$FACTORY_TMP/.coverage" python3 -m coverage report',
      lint: 'python3 -m pyflakes .',
    },
  },
  gleam: {
    language: 'gleam',
    version: 'gleam --version',
    coverageParser: 'auto',
    commands: {
      implement: 'gleam build --target erlang && gleam build --target javascript',
      'unit-test': 'gleam test',
      lint: 'gleam check',
      format: 'gleam format --check .',
    },
  },
  typescript: {
    language: 'typescript',
    version: 'node --version',
    coverageParser: 'istanbul-text',
    commands: {
      implement: 'npx --no-install tsc --noEmit -p .',
      'unit-test': 'npm test',
      coverage: 'npx --no-install c8 --temp-directory="$FACTORY_TMP/c8" --reporter=text-summary npm test',
      lint: 'npx --no-install eslint .',
      format: 'npx --no-install prettier --check .',
    },
  },
};
