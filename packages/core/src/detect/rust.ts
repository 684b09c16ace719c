import { parse as parseToml } from 'smol-toml';
import { join, parent, type ProjectFiles } from './fs';
import type { PlannedTool, ToolSlot } from './types';

type Tools = Partial<Record<ToolSlot, PlannedTool>>;

// Rust coverage without crates.io: rustc's own instrumentation, read with llvm-profdata/llvm-cov.
// Their LLVM must be new enough to read rustc's profiles, so the tools are looked for in this
// order: $LLVM_PROFDATA/$LLVM_COV, rustup's llvm-tools component (rustc's own LLVM), the newest
// versioned Debian/Ubuntu tools (/usr/bin/llvm-profdata-19), the unversioned ones on PATH. Without
// them the tests still run, and the coverage stage says why it has no figure. `--no-fail-fast`:
// every test target runs, so a failure in the library's tests does not hide those of tests/ and
// the doc tests (strsim: "1 test failed" where two did).
const coveredTests = (workspace: string) =>
  [
    'SYSBIN="$(rustc --print sysroot 2>/dev/null)/lib/rustlib/$(rustc -vV 2>/dev/null | sed -n "s/^host: //p")/bin"',
    'llvm_tool() { for c in "$SYSBIN/$1" $(ls /usr/bin/$1-[0-9]* 2>/dev/null | sort -V -r) "$(command -v $1 || true)"; do if [ -n "$c" ] && [ -x "$c" ]; then echo "$c"; return; fi; done; }',
    'PROFDATA=${LLVM_PROFDATA:-$(llvm_tool llvm-profdata)}',
    'LLVMCOV=${LLVM_COV:-$(llvm_tool llvm-cov)}',
    `if [ -z "$PROFDATA" ] || [ -z "$LLVMCOV" ]; then echo "factory: coverage unavailable: llvm-profdata and llvm-cov are needed for Rust coverage (apt-get install llvm-19, or rustup component add llvm-tools)"; exec cargo test${workspace} --no-fail-fast; fi`,
    'T="$FACTORY_TMP/rust-cov"',
    `RUSTFLAGS="-C instrument-coverage" LLVM_PROFILE_FILE="$T/cov-%p-%m.profraw" CARGO_TARGET_DIR="$T/target" cargo test${workspace} --no-fail-fast || exit $?`,
    '"$PROFDATA" merge -sparse "$T"/*.profraw -o "$T/cov.profdata" || { echo "factory: coverage unavailable: $PROFDATA cannot read the profiles of $(rustc --version) (its LLVM is too old?); install a newer llvm or set LLVM_PROFDATA and LLVM_COV"; exit 0; }',
    'OBJS=$(find "$T/target/debug/deps" -type f -executable ! -name "*.so" ! -name "*.d" | sed "s/^/--object=/")',
    // Only the crate's own code: not its tests, benches and examples (paths under the crate, which
    // may itself sit under a directory named like them), nor the registry or the standard library.
    "HERE=$(pwd | sed 's/[][\\.*^$()+?{}|]/\\\\&/g')",
    '"$LLVMCOV" report --instr-profile="$T/cov.profdata" $OBJS --ignore-filename-regex="(/\\.cargo/registry/|/rustc/|^$HERE/(tests|benches|examples)/)"',
  ].join('\n');

/**
 * Whether a `.gitignore` from the crate's directory up to the root ignores its `target` folder:
 * `target` or `target/` anywhere above (also after `**` and a slash), `/target` in the crate's own.
 */
function targetIgnored(files: ProjectFiles, dir: string): boolean {
  for (let d = dir; ; d = parent(d)) {
    const text = files.text(join(d, '.gitignore')) ?? '';
    const own = d === dir ? '/?' : '';
    if (new RegExp(`^(?:\\*\\*/|${own})target/?\\s*$`, 'm').test(text)) return true;
    if (d === '.') return false;
  }
}

/** Whether a crate's benches (or its code) use unstable features, which stable cargo cannot build. */
function needsNightly(files: ProjectFiles, dir: string): string | undefined {
  for (const sub of ['benches', 'src']) {
    for (const name of files.list(join(dir, sub))) {
      if (!name.endsWith('.rs')) continue;
      const text = files.text(join(dir, `${sub}/${name}`)) ?? '';
      if (/^\s*#!\[feature\(/m.test(text) && !/cfg_attr\([^)]*feature\(/.test(text)) return join(dir, `${sub}/${name}`);
    }
  }
  return undefined;
}

/**
 * The crate's features that its default set leaves off (`[features]` keys but `default` and what
 * `default` turns on), which cargo builds, tests and lints without: code behind them is not judged.
 */
function featuresLeftOff(manifest: string): string[] {
  let features: unknown;
  try {
    features = (parseToml(manifest) as { features?: unknown }).features;
  } catch {
    return [];
  }
  if (typeof features !== 'object' || features === null) return [];
  const table = features as Record<string, unknown>;
  const on = new Set(Array.isArray(table.default) ? table.default.filter((f): f is string => typeof f === 'string') : []);
  return Object.keys(table).filter((f) => f !== 'default' && !on.has(f) && !f.startsWith('_'));
}

/**
 * Whether the crate's manifest is also its workspace's root with members of its own
 * (`[workspace] members = ["proc"]`, nvzqz/static-assertions) and no `default-members`: cargo
 * then builds, tests and lints the root package alone, and a member's code would never be judged
 * (a type error in proc/src/lib.rs passed the pipeline). A virtual manifest covers its members
 * already.
 */
function rootWithMembers(manifest: string): boolean {
  let parsed: { package?: unknown; workspace?: { members?: unknown; 'default-members'?: unknown } };
  try {
    parsed = parseToml(manifest) as typeof parsed;
  } catch {
    return false;
  }
  const ws = parsed.workspace;
  return parsed.package !== undefined && Array.isArray(ws?.members) && ws.members.length > 0 && ws['default-members'] === undefined;
}

/** The tools of a Cargo crate: cargo's own (build, test with coverage, clippy) and rustfmt. */
export function detectRust(files: ProjectFiles, dir: string): Tools {
  const nightly = needsNightly(files, dir);
  const manifest = files.text(join(dir, 'Cargo.toml')) ?? '';
  const hasLib = files.isFile(join(dir, 'src/lib.rs')) || /^\[lib\]/m.test(manifest);
  // Every target stable Rust can build: benches that need nightly are left out.
  const stable = [...(hasLib ? ['--lib'] : []), '--bins', '--tests', '--examples'];
  const members = rootWithMembers(manifest);
  const workspace = members ? ' --workspace' : '';
  const targets = `${members ? '--workspace ' : ''}${nightly ? stable.join(' ') : '--all-targets'}`;
  const off = featuresLeftOff(manifest);
  const shown = off.length > 6 ? `${off.slice(0, 6).join(', ')} and ${off.length - 6} more` : off.join(', ');
  const features = off.length
    ? `; default features only (not ${shown}: code behind them is not built, tested or linted; to judge it, give the stages' commands --features in the contract)`
    : '';
  // Without `target` git-ignored, cargo's output in the judged tree would be counted as the task's
  // change (rust-lang/pkg-config-rs without its .gitignore: "507 files changed", never a cache hit).
  const away = targetIgnored(files, dir) ? '' : 'CARGO_TARGET_DIR="$FACTORY_TMP/target" ';
  const awayWhy = away ? "; target/ is not git-ignored here, so builds go to the stage's temporary folder" : '';
  const membersWhy = members ? "; the workspace's members too (--workspace)" : '';
  const why = `${nightly ? `Cargo.toml; ${nightly} needs nightly (#![feature]), so benches are not built` : 'Cargo.toml'}${membersWhy}${features}${awayWhy}`;
  return {
    implement: { tool: 'cargo build', command: `${away}cargo build ${targets}`, why },
    'unit-test': {
      tool: 'cargo test',
      command: coveredTests(workspace),
      why: `${why}; instrumented for coverage (cargo test builds no benches)`,
      coverage: { parser: 'llvm-cov' },
    },
    coverage: { tool: 'llvm-cov', why: 'the unit-test run measures it (rustc -C instrument-coverage)' },
    lint: {
      tool: 'clippy',
      // --keep-going: a deny-level finding in one target stops cargo before it checks the others,
      // whose findings would then be missing (on the base commit too, making old ones look new).
      command: `${away}cargo clippy --keep-going --message-format=short ${targets}`,
      why: `cargo's linter, every target checked however many fail${membersWhy}${features}${awayWhy}`,
      findings: 'gcc',
    },
    format: { tool: 'rustfmt', command: 'cargo fmt --check', why: "Rust's formatter", findings: 'unified-diff' },
  };
}
