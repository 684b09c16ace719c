import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** A package directory in a stack frame or message: `…/node_modules/eslint-plugin-unicorn/rules/x.js`. */
const PACKAGE_IN_PATH = /((?:file:\/\/)?\/[^\s()'"`:]*?\/node_modules\/(?:@[^/\s()'"`:]+\/)?[^/\s()'"`:]+)\//g;

/** How many packages named in an output are looked at: the first ones are where it failed. */
const PACKAGES_LOOKED_AT = 8;

/** semver's range check, loaded when a failed stage asks (it builds its patterns as it loads). */
type Semver = { satisfies: typeof import('semver/functions/satisfies'); validRange: typeof import('semver/ranges/valid') };

/** `engines.node` of the package.json at `dir`, with its name, when it has one. */
function enginesOf(dir: string, { validRange }: Semver): { name: string; range: string } | undefined {
  try {
    const manifest = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
      name?: unknown;
      engines?: { node?: unknown };
    };
    const range = manifest.engines?.node;
    if (typeof range !== 'string' || validRange(range) === null) return undefined;
    return { name: typeof manifest.name === 'string' ? manifest.name : path.basename(dir), range };
  } catch {
    return undefined;
  }
}

/** The project's package.json: in the directory the stage ran in, or above it up to the code's root. */
function projectDir(cwd: string, codeRoot: string): string | undefined {
  const top = path.resolve(codeRoot);
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    try {
      readFileSync(path.join(dir, 'package.json'));
      return dir;
    } catch {
      // none here: look above
    }
    if (dir === top || path.dirname(dir) === dir || !dir.startsWith(top)) return undefined;
  }
}

/**
 * Why a failed stage may have failed for the Node it ran on rather than for the code: the project,
 * or a package its failing output runs code of, asks for a Node this is not (entities' ESLint
 * crashed in eslint-plugin-unicorn, which asks for Node >= 22, with `TypeError: … is not a
 * function`; nanoid's oxlint refused its TypeScript configuration). Said after the cause, as
 * ` (eslint-plugin-unicorn asks for Node >=22; this is Node v20.20.2)`, or '' when every
 * package named asks for nothing this Node is not.
 */
export async function nodeVersionHint(output: string, cwd: string, codeRoot: string, version: string = process.version): Promise<string> {
  const dirs: string[] = [];
  const project = projectDir(cwd, codeRoot);
  if (project) dirs.push(project);
  for (const m of output.matchAll(PACKAGE_IN_PATH)) {
    let dir = m[1];
    if (dir.startsWith('file://')) {
      try {
        dir = fileURLToPath(dir);
      } catch {
        continue;
      }
    }
    if (!dirs.includes(dir)) dirs.push(dir);
    if (dirs.length > PACKAGES_LOOKED_AT) break;
  }
  if (dirs.length === 0) return '';
  const semver: Semver = {
    satisfies: (await import('semver/functions/satisfies')).default,
    validRange: (await import('semver/ranges/valid')).default,
  };
  const unmet: string[] = [];
  for (const dir of dirs) {
    const engines = enginesOf(dir, semver);
    if (!engines || semver.satisfies(version, engines.range, { includePrerelease: true })) continue;
    const who = dir === project ? `the project (${engines.name})` : engines.name;
    if (!unmet.some((u) => u.startsWith(`${who} `))) unmet.push(`${who} asks for Node ${engines.range}`);
  }
  return unmet.length ? ` (${unmet.join('; ')}; this is Node ${version})` : '';
}
