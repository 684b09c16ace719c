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

export function detectGo(files?: ProjectFiles, dir = '.'): Tools {
  const integration = files ? integrationTests(files, dir) : undefined;
  return {
    'integration-test': integration
      ? {
          tool: 'go test -tags=integration',
          command: 'go test -v -timeout "${FACTORY_TEST_TIMEOUT:-10m}" -tags=integration -run Integration ./...',
          why: `${integration} is built with the integration tag`,
        }
      : {
          tool: 'none',
          why: 'no _test.go file is built with the integration tag',
          notConfigured: 'add tests under //go:build integration, named TestIntegration…',
        },
    implement: { tool: 'go build', command: 'go build ./...', why: 'go.mod' },
    'unit-test': {
      tool: 'go test',
      command:
        'go test -v -timeout "${FACTORY_TEST_TIMEOUT:-10m}" -coverprofile="$FACTORY_TMP/cover.out" ./... && go tool cover -func="$FACTORY_TMP/cover.out"',
      why: "go.mod; -v names every test, -coverprofile measures coverage in the same run, -timeout ends a stuck test before the stage's own timeout (Go then names it)",
      coverage: { parser: 'go' },
    },
    coverage: { tool: 'go test -coverprofile', why: 'the unit-test run measures it' },
    lint: { tool: 'go vet', command: 'go vet ./...', why: "the go command's own checks", findings: 'gcc' },
    format: {
      tool: 'gofmt',
      command: GOFMT,
      why: "Go's formatter, on the .go files below (not in directories starting with `.` or `_`, vendor, testdata or node_modules)",
      findings: 'unified-diff',
    },
  };
}
