import type { Language } from '../domain/language-names';

/** The standard stages whose tool depends on the project (the others are Factory's own). */
export type ToolSlot = 'implement' | 'unit-test' | 'coverage' | 'lint' | 'format' | 'integration-test';

/** How a lint or format tool's output is read into findings (see findings/). */
export type FindingsFormat = 'gcc' | 'eslint-stylish' | 'standard' | 'biome' | 'unified-diff' | 'file-list';

/**
 * The tool chosen for one stage, and why. `command` is absent when the project has no such
 * tool (`notConfigured` then says what to add); `missing` says how to install a tool the
 * project configures but this machine lacks (the stage then fails saying so).
 */
export interface PlannedTool {
  tool: string;
  command?: string;
  why: string;
  notConfigured?: string;
  missing?: string;
  /** Lint and format: how findings are read, so that only the task's change is judged. */
  findings?: FindingsFormat;
  /** Lint: the tool's warnings do not fail (the project chose "warn" for them; see Stage's `fail_on_warnings`). */
  warningsPass?: true;
  /** A test run that also measures coverage (feeding the coverage stage): how its figure is read. */
  coverage?: { parser: 'go' | 'coverage-py' | 'istanbul-text' | 'llvm-cov' | 'node-test' };
  /** Directories below the stage's directory its command does not reach, and why (see Stage's `not_judged`). */
  notJudged?: { paths: string[]; why: string };
}

/** What detection found out about the project a task works on. */
export interface ProjectProfile {
  language: Language;
  /** Where the stages run: repository-relative, POSIX, `.` for the root. */
  directory: string;
  /** The manifest that made it the project's directory (repository-relative), if any. */
  manifest?: string;
  /** Why that directory. */
  why: string;
  tools: Partial<Record<ToolSlot, PlannedTool>>;
  /** Repository-relative files detection read or looked for: the stages' cache key covers them. */
  watched: string[];
}

/** A detection that could not read a file it needs: names the file and what is wrong. */
export interface DetectionProblem {
  file: string;
  field: string;
  message: string;
}
