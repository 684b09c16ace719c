/** `1 file`, `2 files`: a count and its noun, which takes an `s` unless the count is 1. */
export const plural = (n: number, noun: string): string => `${n} ${noun}${n === 1 ? '' : 's'}`;
