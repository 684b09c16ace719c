import type { Language } from '../domain/language-names';
import { ProjectFiles } from './fs';
import { detectGleam } from './gleam';
import { detectGo } from './go';
import { locateProject } from './locate';
import { detectNode } from './node';
import { detectPython } from './python';
import { detectRust } from './rust';
import type { DetectionProblem, ProjectProfile } from './types';

export * from './types';
export { ProjectFiles, diskReader, type FileReader } from './fs';

export interface DetectionRequest {
  language: Language;
  allowed_files: readonly string[];
  /** The contract's own `working_directory`, when it sets one. */
  working_directory?: string;
  /** The contract file, for messages. */
  file: string;
}

/**
 * What a task's project is and which of its own tools each standard stage uses: the directory
 * its stages run in (see locate.ts), then the test runner, coverage, linter, formatter and
 * compiler the project's manifests and configuration files name. Reads files only (no process),
 * synchronously: inference and the stage runner both call it.
 */
export function detectProject(root: string, req: DetectionRequest, files = new ProjectFiles(root)): ProjectProfile | DetectionProblem {
  const at = locateProject(files, req.language, req.allowed_files, req.working_directory, req.file);
  if ('message' in at) return at;
  const dir = at.directory;
  const tools = (() => {
    switch (req.language) {
      case 'typescript':
        return detectNode(files, dir);
      case 'python':
        return detectPython(files, dir);
      case 'go':
        return detectGo(files, dir);
      case 'rust':
        return detectRust(files, dir);
      case 'gleam':
        return detectGleam();
    }
  })();
  if ('message' in tools) return tools as DetectionProblem;
  return {
    language: req.language,
    directory: dir,
    ...(at.manifest ? { manifest: at.manifest } : {}),
    why: at.why,
    tools,
    watched: files.watched,
  };
}

/**
 * A command as one line for people. A command of several lines (a guard that says what to
 * install, coverage set up around the run, a tool's output taken further) is shown by the part
 * that runs the tool, with `…` for the rest: the first line that starts with the tool (after
 * variable assignments), else, of its `&&`/`||`/`;`-separated parts that are not messages
 * (`echo`), the last that starts with the tool, else the last naming it; else its last line.
 */
export function shownCommand(tool: string, command: string): string {
  const lines = command.split('\n');
  if (lines.length === 1) return command;
  const split = (l: string) => l.split(/\s*(?:&&|\|\||;)\s*/);
  const word = tool.split(' ')[0];
  const runs = (p: string) => p.replace(/^(?:\w+=(?:"[^"]*"|'[^']*'|\S+)\s+)*/, '').startsWith(word);
  const leading = lines.map((l) => split(l)[0].trim()).find(runs);
  if (leading) return `${leading} …`;
  const parts = lines
    .flatMap(split)
    .map((p) => p.replace(/^(?:then|else|do|exec|\{)\s+/, '').trim())
    .filter((p) => !/^(?:echo|printf)\b/.test(p));
  const found = parts.findLast(runs) ?? parts.findLast((p) => p.includes(tool)) ?? parts.findLast((p) => p.includes(word));
  return `${found ?? lines.at(-1)} …`;
}

/** One line per stage of a plan, for people: the tool, its command, why it was chosen. */
export function describePlan(profile: ProjectProfile): string[] {
  const lines = [`runs in ${profile.directory} (${profile.why})`];
  for (const [slot, t] of Object.entries(profile.tools)) {
    if (!t) continue;
    const what = t.missing
      ? `MISSING: ${t.missing}`
      : t.notConfigured
        ? `not configured: ${t.notConfigured}`
        : t.command && shownCommand(t.tool, t.command);
    lines.push(`${slot}: ${t.tool} (${t.why})${what ? ` — ${what}` : ''}`);
  }
  return lines;
}
