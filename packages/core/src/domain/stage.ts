import { z } from 'zod';
import { StageNameSchema } from './slug-schema';
import { RelativePathSchema } from './paths';
import { BuiltinStageNameSchema } from './builtin-stages';

export const COVERAGE_PARSERS = ['auto', 'go', 'coverage-py', 'istanbul-text', 'istanbul-json', 'c8', 'llvm-cov', 'node-test'] as const;
export const CoverageParserSchema = z.enum(COVERAGE_PARSERS);
export type CoverageParser = z.infer<typeof CoverageParserSchema>;

export const StageCoverageSchema = z
  .object({
    /** How to read the coverage figure; `auto` tries every known format. */
    parser: CoverageParserSchema.default('auto'),
    /** A file the command writes (relative to the stage's working directory), read instead of the output. */
    report_file: RelativePathSchema.optional(),
    /** Fail when the figure is under the contract's `required_test_coverage` (default true). */
    gate: z.boolean().default(true),
  })
  .strict();
export type StageCoverage = z.infer<typeof StageCoverageSchema>;

export const FINDINGS_FORMATS = ['gcc', 'eslint-stylish', 'standard', 'biome', 'unified-diff', 'file-list'] as const;
export const FindingsFormatSchema = z.enum(FINDINGS_FORMATS);

const stageFields = {
  name: StageNameSchema,
  description: z.string(),
  /** A shell command, run as its author wrote it. */
  command: z.string().trim().min(1),
  timeout_seconds: z.number().int().min(1).max(86_400),
  required_success: z.boolean(),
  /** Stages that must succeed before this one runs (Nx `dependsOn`). */
  needs: z.array(StageNameSchema),
  working_directory: RelativePathSchema,
  env: z.record(z.string(), z.string()),
  coverage: StageCoverageSchema,
  /**
   * Set for a stage Factory implements itself (`contract`, `security`): the runner calls the
   * built-in instead of a shell, and `command` only describes it. A contract that gives such a
   * stage a `command` replaces the built-in with that command.
   */
  builtin: BuiltinStageNameSchema,
  /** How the command's findings are read (lint and format stages), so that only the task's change is judged. */
  findings: FindingsFormatSchema,
  /** `change` (default): findings fail only in the lines and files the task changed; `repository`: every finding fails. */
  scope: z.enum(['change', 'repository']),
  /**
   * Whether findings the tool reports as warnings fail the stage (default true). Detection sets
   * false for ESLint, Biome and oxlint, whose severities are the project's own configuration
   * (a rule set to "warn" does not fail the project's lint), unless the project's lint script
   * makes warnings fail (`--max-warnings 0`, `--error-on-warnings`, `--deny-warnings`).
   */
  fail_on_warnings: z.boolean(),
  /** A test stage that ran no test fails, unless this is true. */
  allow_no_tests: z.boolean(),
};

/** A fully resolved stage (every field known). */
export const StageSchema = z
  .object({
    ...stageFields,
    working_directory: stageFields.working_directory.optional(),
    env: stageFields.env.optional(),
    coverage: stageFields.coverage.optional(),
    builtin: stageFields.builtin.optional(),
    findings: stageFields.findings.optional(),
    scope: stageFields.scope.optional(),
    fail_on_warnings: stageFields.fail_on_warnings.optional(),
    allow_no_tests: stageFields.allow_no_tests.optional(),
    /** The tool detection chose for the stage (see detect/), and why: shown to people. */
    tool: z.string().optional(),
    why: z.string().optional(),
    /** Set when the project lacks the stage's tool: the stage records it instead of running. */
    unavailable: z.object({ kind: z.enum(['not-configured', 'missing']), message: z.string() }).optional(),
    /**
     * Directories below the stage's directory that detection knows its command does not reach (a
     * Go module of its own, which `./...` stops at), and why: a change there fails the stage,
     * saying so, instead of passing unjudged. Gone when a contract gives the stage a command.
     */
    not_judged: z.object({ paths: z.array(z.string().min(1)).min(1), why: z.string() }).optional(),
  })
  .strict();
export type Stage = z.infer<typeof StageSchema>;

/** A stage as written in a contract: only `name` is required; the rest comes from the standard stage. */
export const StageInputSchema = z
  .object({
    name: stageFields.name,
    description: stageFields.description.optional(),
    command: stageFields.command.optional(),
    timeout_seconds: stageFields.timeout_seconds.optional(),
    required_success: stageFields.required_success.optional(),
    needs: stageFields.needs.optional(),
    working_directory: stageFields.working_directory.optional(),
    env: stageFields.env.optional(),
    coverage: stageFields.coverage.optional(),
    /** Runs a built-in stage under this name (e.g. a second `security` scan); excludes `command`. */
    builtin: stageFields.builtin.optional(),
    findings: stageFields.findings.optional(),
    scope: stageFields.scope.optional(),
    fail_on_warnings: stageFields.fail_on_warnings.optional(),
    allow_no_tests: stageFields.allow_no_tests.optional(),
  })
  .strict();
export type StageInput = z.infer<typeof StageInputSchema>;

/** An override of a stage by name in `stages:`; `enabled: false` removes it from the pipeline. */
export const StageOverrideSchema = StageInputSchema.omit({ name: true }).extend({ enabled: z.boolean().optional() }).strict();
export type StageOverride = z.infer<typeof StageOverrideSchema>;

export { DEFAULT_TIMEOUT_SECONDS } from '../pipeline/standard';
