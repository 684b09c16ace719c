import { z } from 'zod';
import { TEST_RUNNERS } from './test-run';

/**
 * What a test command's output says about its tests, summed over every run in it (Go packages,
 * cargo test binaries, several Jest invocations, or several runners in one command).
 */
export const TestReportSchema = z.object({
  /** The runners whose results were read, in the order they are tried. */
  runners: z.array(z.enum(TEST_RUNNERS)),
  /** Null when a runner does not print passing tests (`go test` without `-v`). */
  passed: z.number().int().nonnegative().nullable(),
  failed: z.number().int().nonnegative(),
  /** Errors outside test bodies: pytest setup/teardown errors, unittest errors, test files that failed to load, Go packages that did not build. */
  errors: z.number().int().nonnegative(),
  /** Skipped, ignored, pending and todo tests, and expected failures; null when not printed. */
  skipped: z.number().int().nonnegative().nullable(),
  /** Failing and erroring tests in output order, as each runner names them (`suite › test`, pytest node ids, `TestX/sub`). */
  failing: z.array(z.string()),
  /** No test passed, failed or errored: none were found, none matched, or all were skipped. */
  none_ran: z.boolean(),
});
export type TestReport = z.infer<typeof TestReportSchema>;
