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

// Rust coverage without crates.io: rustc's own instrumentation, read with llvm-profdata/llvm-cov.
// Their LLVM must be new enough to read rustc's profiles, so the tools are looked for in this
// order: $LLVM_PROFDATA/$LLVM_COV, rustup's llvm-tools component (rustc's own LLVM), the newest
// versioned Debian/Ubuntu tools (/usr/bin/llvm-profdata-19), the unversioned ones on PATH.
// Fails with a clear message when none is found or the one found is too old.
const RUST_COVERAGE = [
  'set -e',
  'SYSBIN="$(rustc --print sysroot 2>/dev/null)/lib/rustlib/$(rustc -vV 2>/dev/null | sed -n "s/^host: //p")/bin"',
  'llvm_tool() { for c in "$SYSBIN/$1" $(ls /usr/bin/$1-[0-9]* 2>/dev/null | sort -V -r) "$(command -v $1 || true)"; do if [ -n "$c" ] && [ -x "$c" ]; then echo "$c"; return; fi; done; }',
  'PROFDATA=${LLVM_PROFDATA:-$(llvm_tool llvm-profdata)}',
  'LLVMCOV=${LLVM_COV:-$(llvm_tool llvm-cov)}',
  '[ -n "$PROFDATA" ] && [ -n "$LLVMCOV" ] || { echo "error: llvm-profdata and llvm-cov are needed for Rust coverage (apt-get install llvm-19, or rustup component add llvm-tools)"; exit 1; }',
  'T="$FACTORY_TMP/rust-cov"',
  'RUSTFLAGS="-C instrument-coverage" LLVM_PROFILE_FILE="$T/cov-%p-%m.profraw" CARGO_TARGET_DIR="$T/target" cargo test --tests',
  '"$PROFDATA" merge -sparse "$T"/*.profraw -o "$T/cov.profdata" || { echo "error: $PROFDATA cannot read the profiles of $(rustc --version) (its LLVM is too old?); install a newer llvm or set LLVM_PROFDATA and LLVM_COV"; exit 1; }',
  'OBJS=$(find "$T/target/debug/deps" -type f -executable ! -name "*.so" ! -name "*.d" | sed "s/^/--object=/")',
  '"$LLVMCOV" report --instr-profile="$T/cov.profdata" $OBJS --ignore-filename-regex="(/\\.cargo/registry|/rustc/|tests/)"',
].join('\n');

/**
 * The Python interpreter: `$PYTHON` when set (e.g. in `.factory/config.yaml` `env:`, for a
 * machine whose first `python3` lacks pytest), else `python3`.
 */
export const PYTHON = '"${PYTHON:-python3}"';

// gofmt -l lists the files it would change and exits 0; this names each and fails.
const GO_FORMAT =
  'out=$(gofmt -l .); if [ -n "$out" ]; then printf \'%s\\n\' "$out" | sed \'s/$/: format error: gofmt would reformat this file (run gofmt -w on it)/\'; exit 1; fi';

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
    version: `${PYTHON} --version`,
    coverageParser: 'coverage-py',
    commands: {
      // compileall names files `./pkg/a.py`: the pattern skips dot-directories, venv and node_modules, not `./`.
      implement: `${PYTHON} -m compileall -q -x "(^|/)(\\.[^/.]|venv/|node_modules/)" .`,
      'unit-test': `${PYTHON} -m pytest -q -p no:cacheprovider`,
      coverage: `COVERAGE_FILE="$FACTORY_TMP/.coverage" ${PYTHON} -m coverage run -m pytest -q -p no:cacheprovider && COVERAGE_FILE="$FACTORY_TMP/.coverage" ${PYTHON} -m coverage report`,
      lint: `${PYTHON} -m pyflakes .`,
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
