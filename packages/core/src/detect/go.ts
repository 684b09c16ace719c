import { parse as parseToml } from 'smol-toml';
import { join, type ProjectFiles } from './fs';
import type { PlannedTool, ToolSlot } from './types';

type Tools = Partial<Record<ToolSlot, PlannedTool>>;

/** The tools of a Go module: the go command's own (build, test with a cover profile, vet) and gofmt. */
const SKIP = new Set(['vendor', 'testdata', 'node_modules']);

/** The first _test.go file (a few levels down) built with the `integration` tag, if any. */
function integrationTests(files: ProjectFiles, dir: string, depth = 0): string | undefined {
  for (const name of files.list(dir).sort()) {
    if (name.startsWith('.') || SKIP.has(name)) continue;
    const p = join(dir, name);
    if (name.endsWith('_test.go')) {
      if (/^\/\/(go:build|\s*\+build)\s.*\bintegration\b/m.test(files.text(p) ?? '')) return p;
    } else if (depth < 4 && files.isDir(p)) {
      const found = integrationTests(files, p, depth + 1);
      if (found) return found;
    }
  }
  return undefined;
}

/**
 * gofmt on the files the go command takes as the module's (`go fmt ./...` formats these): not in
 * directories starting with `.` or `_`, `vendor` or `testdata`, nor in `node_modules`. `gofmt -d .`
 * walked into all of them, the task's own workspace under `.factory/workspaces/` too, where
 * google/uuid's seven files that gofmt 1.19 would reformat were counted twice.
 */
const gofmtCommand = (simplify: boolean) =>
  `find . -mindepth 1 \\( -name '.*' -o -name '_*' -o -name vendor -o -name testdata -o -name node_modules \\) -prune -o -type f -name '*.go' -print0 | xargs -0 -r gofmt ${simplify ? '-s ' : ''}-d`;

/** golangci-lint's configuration files (v1 and v2 read the same names). */
const GOLANGCI = ['.golangci.yml', '.golangci.yaml', '.golangci.toml', '.golangci.json'];
/** Where projects keep the scripts that check formatting. */
const SCRIPT_DIRS = ['.', 'scripts', 'script', 'hack', 'verify', 'build', 'ci'];
/** A gofmt command line with `-s` among its flags (`gofmt -s -l .`, `gofmt -l -s -w`). */
const GOFMT_S = /\bgofmt(?:\s+-[a-z]+)*\s+-s\b/;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A golangci-lint configuration as data, or undefined when it does not parse. TOML and JSON are
 * parsed; YAML, the usual form, is read by `yamlGolangci` below for the few keys that matter, so
 * that the plugin's inference bundle, which detection is part of, carries no YAML parser.
 */
function readConfig(file: string, text: string): unknown {
  try {
    if (file.endsWith('.toml')) return parseToml(text);
    if (file.endsWith('.json')) return JSON.parse(text) as unknown;
    return yamlGolangci(text);
  } catch {
    return undefined;
  }
}

/** The key a YAML line's value belongs to: its own `key:`, or for a list item the nearest less indented `key:` above it. */
function yamlKeyOf(lines: readonly string[], i: number): string | undefined {
  const own = /^\s*(?:-\s*)?["']?([\w-]+)["']?\s*:/.exec(lines[i]);
  if (own && !/^\s*-/.test(lines[i])) return own[1];
  const indent = lines[i].search(/\S/);
  for (let j = i - 1; j >= 0; j--) {
    const at = lines[j].search(/\S/);
    if (at < 0 || lines[j].trimStart().startsWith('#') || at >= indent) continue;
    return /^\s*["']?([\w-]+)["']?\s*:/.exec(lines[j])?.[1];
  }
  return undefined;
}

/**
 * The part of a YAML golangci-lint configuration that says whether gofmt runs with `-s`, shaped
 * as `golangciSimplifies` reads it: where `gofmt` is listed (under `enable` or `disable`, in a
 * block list or a flow list), whether everything is enabled, and `simplify: false`.
 */
function yamlGolangci(text: string): Record<string, unknown> {
  const lines = text.split('\n').map((l) => l.replace(/\s+#.*$/, ''));
  const section: Record<string, unknown> = {};
  lines.forEach((line, i) => {
    if (line.trimStart().startsWith('#')) return;
    if (/^\s*enable-all\s*:\s*true\b/.test(line)) section['enable-all'] = true;
    if (/^\s*default\s*:\s*["']?all\b/.test(line)) section.default = 'all';
    if (!/(^|[\s,[-])["']?gofmt["']?\s*(,|]|$)/.test(line)) return;
    const key = yamlKeyOf(lines, i);
    if (key === 'enable' || key === 'disable') section[key] = ['gofmt'];
  });
  const off = lines.some((l) => /^\s*simplify\s*:\s*false\b/.test(l));
  return { linters: section, ...(off ? { 'linters-settings': { gofmt: { simplify: false } } } : {}) };
}

/**
 * Whether a golangci-lint configuration runs gofmt with its simplifications: gofmt enabled as a
 * linter (v1) or a formatter (v2), by name or by `enable-all` without disabling it, and its
 * `simplify` setting (true unless set) not turned off.
 */
function golangciSimplifies(config: unknown): boolean {
  if (!isRecord(config)) return false;
  const listed = (v: unknown) => Array.isArray(v) && v.includes('gofmt');
  const enables = (section: unknown) =>
    isRecord(section) &&
    (listed(section.enable) || ((section['enable-all'] === true || section.default === 'all') && !listed(section.disable)));
  if (!enables(config.linters) && !enables(config.formatters)) return false;
  const settingsOf = (section: unknown) => (isRecord(section) && isRecord(section.settings) ? section.settings.gofmt : undefined);
  const gofmt =
    settingsOf(config.formatters) ??
    settingsOf(config.linters) ??
    (isRecord(config['linters-settings']) ? config['linters-settings'].gofmt : undefined);
  return !(isRecord(gofmt) && gofmt.simplify === false);
}

/**
 * The file that asks for gofmt's simplifications (`gofmt -s`), if any: golangci-lint's
 * configuration enabling its gofmt linter or formatter (whose `simplify` is on unless set to
 * false), or a Makefile or shell script that runs `gofmt -s` (spf13/pflag's verify/gofmt.sh).
 */
function simplifyAsked(files: ProjectFiles, dir: string): string | undefined {
  const golangci = files.first(dir, GOLANGCI);
  if (golangci && golangciSimplifies(readConfig(golangci, files.text(golangci) ?? ''))) return golangci;
  for (const sub of SCRIPT_DIRS) {
    const d = join(dir, sub);
    for (const name of files.list(d).sort()) {
      if (name !== 'Makefile' && name !== 'makefile' && !name.endsWith('.sh') && !name.endsWith('.mk')) continue;
      const p = join(d, name);
      if (GOFMT_S.test(files.text(p) ?? '')) return p;
    }
  }
  return undefined;
}

/** A go.work `use` path Factory passes on to the go command: a plain relative path below the module. */
const USE_PATH = /^(?:\.\/)?[A-Za-z0-9_][\w.-]*(?:\/[A-Za-z0-9_][\w.-]*)*\/?$/;

/** The module directories a `go.work` in `dir` uses below `dir` (`use ./arc`, `use ( . ./arc )`), without `.`. */
function workspaceModules(files: ProjectFiles, dir: string): string[] {
  const text = files.text(join(dir, 'go.work'));
  if (text === undefined) return [];
  const used: string[] = [];
  const words = (line: string) => line.replace(/\/\/.*$/, '').trim();
  let inBlock = false;
  for (const raw of text.split('\n')) {
    const line = words(raw);
    if (inBlock) {
      if (line === ')') inBlock = false;
      else if (line) used.push(line);
    } else if (/^use\s*\($/.test(line)) inBlock = true;
    else if (/^use\s+\S/.test(line)) used.push(line.slice(3).trim());
  }
  return [...new Set(used.map((u) => u.replace(/^"(.*)"$/, '$1')))]
    .filter((u) => u !== '.' && u !== './' && USE_PATH.test(u) && !u.split('/').includes('..'))
    .map((u) => u.replace(/^\.\//, '').replace(/\/$/, ''))
    .sort();
}

/** Directories below `dir` (a few levels) with a go.mod of their own: modules the go command's `./...` stops at. */
function nestedModules(files: ProjectFiles, dir: string, depth = 0, at = ''): string[] {
  const found: string[] = [];
  for (const name of files.list(join(dir, at)).sort()) {
    if (name.startsWith('.') || name.startsWith('_') || SKIP.has(name)) continue;
    const rel = at ? `${at}/${name}` : name;
    if (!files.isDir(join(dir, rel))) continue;
    if (files.isFile(join(dir, `${rel}/go.mod`))) found.push(rel);
    else if (depth < 3) found.push(...nestedModules(files, dir, depth + 1, rel));
  }
  return found;
}

export function detectGo(files?: ProjectFiles, dir = '.'): Tools {
  const integration = files ? integrationTests(files, dir) : undefined;
  // The go command's `./...` stops at a module below: a go.work that uses it lets the same run
  // build, test and vet it (its paths then read from here); one it does not use is named in the plan.
  const used = files ? workspaceModules(files, dir) : [];
  const unused = files ? nestedModules(files, dir).filter((m) => !used.includes(m)) : [];
  const pkgs = ['./...', ...used.map((m) => `'./${m}/...'`)].join(' ');
  const simplify = files ? simplifyAsked(files, dir) : undefined;
  const also = used.length ? `; and the modules go.work uses (${used.join(', ')})` : '';
  // Without a go.mod here or above, the go command (module mode) says only "directory prefix . does
  // not contain main module" (gobwas/glob, from before modules): each go stage first says what to do,
  // unless a go.mod has come with the change, or GOPATH mode (GO111MODULE=off) needs none.
  const modless = files !== undefined && files.upward(dir, ['go.mod', 'go.work']) === undefined;
  const needsMod = modless
    ? `if [ "$(go env GOMOD 2>/dev/null)" = /dev/null ]; then echo "factory: no go.mod in $(pwd) or above: the go command needs a module; run go mod init <module path> there and commit go.mod"; exit 1; fi; `
    : '';
  const manifest = modless ? 'no go.mod here or above (run go mod init)' : 'go.mod';
  const apart =
    'a module of its own (its go.mod) that no go.work here uses, which ./... stops at (add it to a go.work here, or give it a task of its own with --directory)';
  const left = unused.length ? `; not ${unused.map((m) => `${join(dir, m)}`).join(', ')}: ${apart}` : '';
  // A change there is judged by none of the go command's stages: each says so (and fails) instead of passing.
  const notJudged = unused.length ? { notJudged: { paths: unused, why: apart } } : {};
  return {
    'integration-test': integration
      ? {
          tool: 'go test -tags=integration',
          command: `${needsMod}go test -v -timeout "\${FACTORY_TEST_TIMEOUT:-10m}" -tags=integration -run Integration ${pkgs}`,
          why: `${integration} is built with the integration tag`,
        }
      : {
          tool: 'none',
          why: 'no _test.go file is built with the integration tag',
          notConfigured: 'add tests under //go:build integration, named TestIntegration…',
        },
    implement: { tool: 'go build', command: `${needsMod}go build ${pkgs}`, why: `${manifest}${also}${left}`, ...notJudged },
    'unit-test': {
      tool: 'go test',
      // The total of the profile also when a test failed: `go test -cover` alone prints each
      // package's figure, and the lowest one was recorded (google/go-cmp: 51.5 % for 93 %). A
      // profile of its mode line alone (no package built: a vet finding in google/uuid) measured
      // nothing, and `go tool cover` would call it 0 %.
      command: `${needsMod}go test -v -timeout "\${FACTORY_TEST_TIMEOUT:-10m}" -coverprofile="$FACTORY_TMP/cover.out" ${pkgs}; s=$?; ! grep -qv '^mode: ' "$FACTORY_TMP/cover.out" 2>/dev/null || go tool cover -func="$FACTORY_TMP/cover.out"; exit $s`,
      why: `${manifest}${also}${left}; -v names every test, -coverprofile measures coverage in the same run, -timeout ends a stuck test before the stage's own timeout (Go then names it)`,
      coverage: { parser: 'go' },
      ...notJudged,
    },
    coverage: { tool: 'go test -coverprofile', why: 'the unit-test run measures it' },
    lint: {
      tool: 'go vet',
      command: `${needsMod}go vet ${pkgs}`,
      why: `the go command's own checks${also}${left}`,
      findings: 'gcc',
      ...notJudged,
    },
    format: {
      tool: simplify ? 'gofmt -s' : 'gofmt',
      command: gofmtCommand(simplify !== undefined),
      why: `Go's formatter, on the .go files below (not in directories starting with \`.\` or \`_\`, vendor, testdata or node_modules)${
        simplify ? `; with -s (simplify), as ${simplify} asks` : ''
      }`,
      findings: 'unified-diff',
    },
  };
}
