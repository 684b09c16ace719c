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
const GOFMT =
  "find . -mindepth 1 \\( -name '.*' -o -name '_*' -o -name vendor -o -name testdata -o -name node_modules \\) -prune -o -type f -name '*.go' -print0 | xargs -0 -r gofmt -d";

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
  const also = used.length ? `; and the modules go.work uses (${used.join(', ')})` : '';
  const left = unused.length
    ? `; not ${unused.map((m) => `${join(dir, m)}`).join(', ')}: a module of its own (its go.mod) that no go.work here uses, which ./... stops at (add it to a go.work here, or give it a task of its own with --directory)`
    : '';
  return {
    'integration-test': integration
      ? {
          tool: 'go test -tags=integration',
          command: `go test -v -timeout "\${FACTORY_TEST_TIMEOUT:-10m}" -tags=integration -run Integration ${pkgs}`,
          why: `${integration} is built with the integration tag`,
        }
      : {
          tool: 'none',
          why: 'no _test.go file is built with the integration tag',
          notConfigured: 'add tests under //go:build integration, named TestIntegration…',
        },
    implement: { tool: 'go build', command: `go build ${pkgs}`, why: `go.mod${also}${left}` },
    'unit-test': {
      tool: 'go test',
      // The total of the profile also when a test failed: `go test -cover` alone prints each
      // package's figure, and the lowest one was recorded (google/go-cmp: 51.5 % for 93 %).
      command: `go test -v -timeout "\${FACTORY_TEST_TIMEOUT:-10m}" -coverprofile="$FACTORY_TMP/cover.out" ${pkgs}; s=$?; [ ! -s "$FACTORY_TMP/cover.out" ] || go tool cover -func="$FACTORY_TMP/cover.out"; exit $s`,
      why: `go.mod${also}${left}; -v names every test, -coverprofile measures coverage in the same run, -timeout ends a stuck test before the stage's own timeout (Go then names it)`,
      coverage: { parser: 'go' },
    },
    coverage: { tool: 'go test -coverprofile', why: 'the unit-test run measures it' },
    lint: { tool: 'go vet', command: `go vet ${pkgs}`, why: `the go command's own checks${also}${left}`, findings: 'gcc' },
    format: {
      tool: 'gofmt',
      command: GOFMT,
      why: "Go's formatter, on the .go files below (not in directories starting with `.` or `_`, vendor, testdata or node_modules)",
      findings: 'unified-diff',
    },
  };
}
