import { err, ok, type Result } from './errors';

/** Names Factory keeps for itself under `.factory/`. */
export const RESERVED_SLUGS = new Set(['workspaces', 'results', 'config', 'contract', 'keys']);

const SLUG_RE = /^[A-Za-z0-9](?:[A-Za-z0-9.-]{0,62}[A-Za-z0-9])?$/;

/**
 * Names Windows keeps for devices, whatever the case and the extension (`CON`, `nul.txt`): a
 * task folder of that name cannot exist there, so a repository with it could not be checked out.
 */
const WINDOWS_DEVICE = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$/i;

/**
 * Checks a task slug such as `bd-52.1`: letters, digits, `-` and `.`, starting and ending
 * with a letter or digit, at most 64 characters, no `..`. The message says what was wrong.
 */
export function validateSlug(input: unknown): Result<string> {
  if (typeof input !== 'string' || input.length === 0) {
    return err(`expected a task slug such as "bd-52.1", got ${input === '' ? 'an empty string' : String(input)}`);
  }
  const shown = JSON.stringify(input);
  if (input.startsWith('-')) {
    return err(`expected a task slug starting with a letter or digit, got ${shown} (a leading "-" reads as an option)`);
  }
  if (input.includes('/') || input.includes('\\')) {
    return err(`expected a task slug without path separators, got ${shown}`);
  }
  if (input.includes('..')) return err(`expected a task slug without "..", got ${shown}`);
  if (input.length > 64) return err(`expected a task slug of at most 64 characters, got ${input.length}`);
  if (!SLUG_RE.test(input)) {
    return err(`expected a task slug of letters, digits, "-" and ".", starting and ending with a letter or digit, got ${shown}`);
  }
  if (RESERVED_SLUGS.has(input.toLowerCase())) {
    return err(`expected a task slug, got the reserved name ${shown}`);
  }
  if (WINDOWS_DEVICE.test(input)) {
    return err(`expected a task slug, got ${shown}, a device name on Windows (a folder of that name cannot exist there)`);
  }
  return ok(input);
}

const STAGE_NAME_RE = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;

/** Stage names become Nx target names (`stage-<name>`): lower-case words joined by `-`. */
export function validateStageName(input: unknown): Result<string> {
  if (typeof input !== 'string' || !STAGE_NAME_RE.test(input) || input.length < 2 || input.length > 40) {
    return err(`expected a stage name of 2-40 lower-case letters, digits and "-" (such as "unit-test"), got ${JSON.stringify(input)}`);
  }
  return ok(input);
}
