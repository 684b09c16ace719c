import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** A temporary directory with the given files (path → content); `cleanup()` removes it. */
export function tempWorkspace(files: Record<string, string>): {
  root: string;
  write(file: string, content: string): void;
  cleanup(): void;
} {
  const root = mkdtempSync(path.join(tmpdir(), 'factory-ws-'));
  const write = (file: string, content: string) => {
    const abs = path.join(root, file);
    mkdirSync(path.dirname(abs), { recursive: true });
    writeFileSync(abs, content);
  };
  for (const [f, c] of Object.entries(files)) write(f, c);
  return { root, write, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}
