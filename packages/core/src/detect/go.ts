import type { PlannedTool, ToolSlot } from './types';

type Tools = Partial<Record<ToolSlot, PlannedTool>>;

/** The tools of a Go module: the go command's own (build, test with a cover profile, vet) and gofmt. */
export function detectGo(): Tools {
  return {
    implement: { tool: 'go build', command: 'go build ./...', why: 'go.mod' },
    'unit-test': {
      tool: 'go test',
      command: 'go test -v -coverprofile="$FACTORY_TMP/cover.out" ./... && go tool cover -func="$FACTORY_TMP/cover.out"',
      why: 'go.mod; -v names every test, -coverprofile measures coverage in the same run',
      coverage: { parser: 'go' },
    },
    coverage: { tool: 'go test -coverprofile', why: 'the unit-test run measures it' },
    lint: { tool: 'go vet', command: 'go vet ./...', why: "the go command's own checks", findings: 'gcc' },
    format: { tool: 'gofmt', command: 'gofmt -d .', why: "Go's formatter", findings: 'unified-diff' },
  };
}
