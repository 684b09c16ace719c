/**
 * The Test-Code-Revert step a change order hands its applied edits to. The change order only
 * decides WHAT to write; the TCR step decides whether it stays: it tests the code root and
 * either commits the edits or reverts them.
 *
 * Contract for implementations:
 * - Called with the edits already written in `codeRoot` (only `files` changed by them).
 * - Passed: the edits are committed (the result names the commit); the code root is clean of them.
 * - Failed: the code root is back as it was before the edits (the step may call `restore`, which
 *   puts back exactly the edited files; a VCS-level revert is fine too, and may save the attempt,
 *   e.g. under `refs/factory/<slug>/reverted/<n>`), and `summary` says in 1-2 lines why the test
 *   failed: it is sent back to the model as the root cause.
 * - Throws only when it cannot tell (the test could not run at all); the change order then
 *   restores the files itself and stops.
 */
export interface TcrRequest {
  root: string;
  codeRoot: string;
  slug: string;
  /** The change order's attempt number, from 1. */
  attempt: number;
  /** The full commit message: `<slug>: <summary>` and a line naming the change order. */
  message: string;
  /** The model's one-line summary of the change (for steps that write their own message). */
  summary: string;
  /** Files the edits wrote or deleted, relative to the code root. */
  files: string[];
  /** Puts the edited files back as they were before the edits. */
  restore: () => void;
  signal?: AbortSignal;
}

export type TcrOutcome =
  | { committed: true; commit: string; summary: string }
  | {
      committed: false;
      /** 1-2 lines: why the test failed (the root cause sent back to the model). */
      summary: string;
      /** The failing output (trimmed by the change order before it reaches a prompt). */
      log?: string;
      /** Where the reverted attempt was saved, when it was. */
      savedAs?: string;
    };

export type TcrStep = (request: TcrRequest) => Promise<TcrOutcome>;
