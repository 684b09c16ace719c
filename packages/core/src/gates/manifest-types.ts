import { parse, TomlError } from 'smol-toml';
import { z } from 'zod';
import type { Problem } from '../domain/errors';

export const EcosystemSchema = z.enum(['npm', 'go', 'cargo', 'python']);
export type Ecosystem = z.infer<typeof EcosystemSchema>;

/** One dependency as a manifest declares it: package name, where, and its version spec. */
export interface DeclaredDependency {
  name: string;
  /** The manifest's own section name (`devDependencies`, `require`, `dev-dependencies`, …). */
  section: string;
  spec: string;
}

/** What a manifest reader found. `dependencies` is undefined when the document cannot be read at all. */
export interface ParsedManifest {
  dependencies?: DeclaredDependency[];
  problems: Problem[];
}

export type ManifestReader = (file: string, text: string) => ParsedManifest;

export const problem = (file: string, field: string, message: string): Problem => ({ file, field, message });

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Parses TOML, or returns the Problem saying where and why it cannot be parsed. */
export function parseToml(file: string, text: string): { doc?: Record<string, unknown>; problem?: Problem } {
  try {
    return { doc: parse(text) as Record<string, unknown> };
  } catch (e) {
    const first = (e as Error).message.split('\n')[0];
    const at = e instanceof TomlError ? ` (line ${e.line}, column ${e.column})` : '';
    return { problem: problem(file, '(document)', `expected TOML, but it cannot be parsed: ${first}${at}`) };
  }
}

/** Hides the user:password part of URLs (`https://user:token@host` → `https://***@host`). */
export function redactUrlCredentials(spec: string): string {
  return spec.replace(/:\/\/[^/@\s]+@/g, '://***@');
}
