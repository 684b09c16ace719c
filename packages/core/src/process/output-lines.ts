/**
 * ANSI escape sequences: CSI (colours, cursor movement), OSC (window titles, hyperlinks; ended
 * by BEL or ST, never running past the end of a line), nF escapes (`ESC ( B`, the character-set
 * reset terminfo's `sgr0` sends, as rustfmt does after each coloured line) and the remaining
 * two-byte escapes. Every alternative is a plain character-class run, so stripping is linear in
 * the input.
 */
// eslint-disable-next-line no-control-regex -- ANSI escapes start with ESC
const ANSI_PATTERN = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b\n]*(?:\u0007|\u001b\\)?|\u001b[ -/]+[0-~]|\u001b[@-_]/g;

/** Removes ANSI escape sequences (colours, cursor movement, hyperlinks) from `text`. */
export function stripAnsi(text: string): string {
  return text.includes('\u001b') ? text.replace(ANSI_PATTERN, '') : text;
}

/**
 * Splits a command's combined output into the lines a reader would see: ANSI codes removed,
 * LF and CRLF endings both accepted, and for a line rewritten in place with bare carriage
 * returns (progress bars) only its last non-blank segment kept. Lines are not trimmed.
 */
export function outputLines(output: string): string[] {
  return stripAnsi(output).split('\n').map(visibleText);
}

function visibleText(line: string): string {
  if (!line.includes('\r')) return line;
  const segments = line.split('\r');
  for (let i = segments.length - 1; i >= 0; i--) {
    if (segments[i].trim() !== '') return segments[i];
  }
  return '';
}

/** Index of the first line at or after `from` that matches `pattern`, or -1. */
export function findLine(lines: readonly string[], pattern: RegExp, from = 0): number {
  for (let i = from; i < lines.length; i++) {
    if (pattern.test(lines[i])) return i;
  }
  return -1;
}

/** Index of the first non-blank line at or after `from`, or -1. */
export function nextNonBlank(lines: readonly string[], from: number): number {
  for (let i = from; i < lines.length; i++) {
    if (lines[i].trim() !== '') return i;
  }
  return -1;
}
