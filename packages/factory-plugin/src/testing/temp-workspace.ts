import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** A temporary directory with the given files (path → content); `cleanup()` removes it. */
export function tempWorkspace(files: Record<string, string | Buffer>): {
  root: string;
  write(file: string, content: string | Buffer): void;
  cleanup(): void;
} {
  const root = mkdtempSync(path.join(tmpdir(), 'factory-ws-'));
  const write = (file: string, content: string | Buffer) => {
    const abs = path.join(root, file);
    mkdirSync(path.dirname(abs), { recursive: true });
    writeFileSync(abs, content);
  };
  for (const [f, c] of Object.entries(files)) write(f, c);
  return { root, write, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}
