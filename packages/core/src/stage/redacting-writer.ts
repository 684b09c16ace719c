/**
 * Passes text through `redact` one whole line at a time, so that a secret split across two
 * output chunks is still caught. Partial lines are held until their newline, or flushed when
 * they grow past `maxHold` characters.
 */
export function createLineRedactor(
  redact: (text: string) => string,
  emit: (text: string) => void,
  maxHold = 64 * 1024,
): { write(chunk: string): void; end(): void } {
  let held = '';
  return {
    write(chunk) {
      held += chunk;
      const cut = held.lastIndexOf('\n');
      if (cut >= 0) {
        emit(redact(held.slice(0, cut + 1)));
        held = held.slice(cut + 1);
      }
      if (held.length > maxHold) {
        emit(redact(held));
        held = '';
      }
    },
    end() {
      if (held) emit(redact(held));
      held = '';
    },
  };
}
