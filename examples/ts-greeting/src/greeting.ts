/** Greets someone by name; an empty name greets the world. */
export function greet(name: string): string {
  const who = name.trim() || 'world';
  return `Hello, ${who}!`;
}

/** Says goodbye, politely or briefly. */
export function farewell(name: string, brief = false): string {
  const who = name.trim() || 'world';
  return brief ? `Bye, ${who}.` : `Goodbye, ${who}. See you soon!`;
}
