import path from 'node:path';
import { readTextIfExists } from '../store/atomic';
import type { Finding } from './finding';

/** A finding the tool reported on the base commit, with the text of its line there. */
export interface BaseFinding extends Finding {
  /** The finding's (first) line as it reads at the base commit; absent for a whole-file finding. */
  text?: string;
}

/**
 * What identifies a finding across the task's change, whose edits move lines: the file, the rule,
 * the message with its numbers blurred (`redefinition of unused 'x' from line 3` names a line
 * that moves) and without rustc's short form's `: help: …` (cargo replays a crate's diagnostics
 * in the form of the run that first printed them: after a plain `cargo clippy` the stage reads
 * `deref which would be done by auto-deref` where the base run printed it with `: help: try: …`),
 * and the text of the line it is on.
 */
function identity(f: Finding, text: string | undefined): string {
  const help = f.message.indexOf(': help: ');
  const message = (help < 0 ? f.message : f.message.slice(0, help)).replace(/\d+/g, '#').replace(/\s+/g, ' ').trim();
  return [f.file, f.rule ?? '', message, (text ?? '').trim()].join('\0');
}

/**
 * Splits the findings off the task's changed lines into those the tool also reported on the
 * base commit (already there) and those it did not (the change brought them: an import removed
 * leaves its uses undefined, an item added after a test module makes clippy flag that module).
 * `lineOf` gives a line of a file as it reads now. Each base finding answers for one finding.
 */
export function splitByBase(
  candidates: readonly Finding[],
  base: readonly BaseFinding[],
  lineOf: (file: string, line: number) => string | undefined,
): { alreadyThere: Finding[]; brought: Finding[] } {
  const left = new Map<string, number>();
  for (const f of base) {
    const key = identity(f, f.line === undefined ? undefined : f.text);
    left.set(key, (left.get(key) ?? 0) + 1);
  }
  const alreadyThere: Finding[] = [];
  const brought: Finding[] = [];
  for (const f of candidates) {
    const key = identity(f, f.line === undefined ? undefined : lineOf(f.file, f.line));
    const n = left.get(key) ?? 0;
    if (n > 0) {
      left.set(key, n - 1);
      alreadyThere.push(f);
    } else brought.push(f);
  }
  return { alreadyThere, brought };
}

/** `lineOf` for the files under `root`: each file read once, when first asked. */
export function linesUnder(root: string): (file: string, line: number) => string | undefined {
  const texts = new Map<string, string[] | undefined>();
  return (file, line) => {
    if (!texts.has(file)) texts.set(file, readTextIfExists(path.join(root, file))?.split(/\r?\n/));
    return texts.get(file)?.[line - 1];
  };
}
