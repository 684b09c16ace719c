/** A coverage figure found in a command's output, and the line (index) that states it. */
export interface CoverageTotal {
  percent: number;
  line: number;
}

/** Reads a figure such as `86`, `50.0` or `66.66%`; undefined when it is not a number. */
export function toPercent(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const match = /^(\d+(?:\.\d+)?)%?$/.exec(text.trim());
  return match ? Number(match[1]) : undefined;
}
