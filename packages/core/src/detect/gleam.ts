import type { PlannedTool, ToolSlot } from './types';

type Tools = Partial<Record<ToolSlot, PlannedTool>>;

/** The tools of a Gleam project: the gleam command's own. Gleam has no coverage tool. */
export function detectGleam(): Tools {
  return {
    implement: { tool: 'gleam build', command: 'gleam build --target erlang && gleam build --target javascript', why: 'gleam.toml' },
    'unit-test': { tool: 'gleam test', command: 'gleam test', why: 'gleam.toml' },
    coverage: { tool: 'none', why: 'Gleam has no coverage tool', notConfigured: 'give the coverage stage a command in the contract' },
    lint: { tool: 'gleam check', command: 'gleam check', why: "the gleam command's own checks" },
    format: { tool: 'gleam format', command: 'gleam format --check .', why: "Gleam's formatter", findings: 'file-list' },
  };
}
