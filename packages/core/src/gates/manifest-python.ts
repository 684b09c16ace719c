import { describeValue } from '../domain/zod-problems';
import type { Problem } from '../domain/errors';
import { isRecord, parseToml, problem, type DeclaredDependency, type ParsedManifest } from './manifest-types';
import { normalizePythonName, parseRequirement } from './pep508';

/** `requirements*.txt`, `requirements*.in`, or any `.txt`/`.in` inside a `requirements/` folder. */
export function isRequirementsFile(path: string): boolean {
  if (!path.endsWith('.txt') && !path.endsWith('.in')) return false;
  const parts = path.replace(/\\/g, '/').split('/');
  const base = parts[parts.length - 1];
  if (!/\.(?:txt|in)$/.test(base)) return false;
  return base.startsWith('requirements') || parts[parts.length - 2] === 'requirements';
}

const URL_OR_PATH = /^(?:[A-Za-z][A-Za-z0-9+.-]*:\/\/|git\+|\.|\/)/;

/** Drops a `#` comment: at the start of the line or after whitespace, as pip does. */
function stripComment(line: string): string {
  if (line.startsWith('#')) return '';
  const m = /\s#/.exec(line);
  return m ? line.slice(0, m.index) : line;
}

/**
 * Reads a pip requirements file: one requirement per line, `\` continuations joined; comments,
 * option lines (`-r`, `-c`, `-e`, `--index-url`, …) and per-requirement options (`--hash`) ignored.
 */
export function readRequirementsTxt(file: string, text: string): ParsedManifest {
  const dependencies: DeclaredDependency[] = [];
  const problems: Problem[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    let line = stripComment(lines[i]);
    while (line.endsWith('\\') && i + 1 < lines.length) line = `${line.slice(0, -1)} ${stripComment(lines[++i])}`;
    let req = line.trim();
    if (req === '' || req.startsWith('-')) continue;
    const option = /\s--?[A-Za-z]/.exec(req);
    if (option) req = req.slice(0, option.index).trim();
    if (URL_OR_PATH.test(req)) {
      const egg = /[#&]egg=([A-Za-z0-9._-]+)/.exec(req);
      if (egg) dependencies.push({ name: normalizePythonName(egg[1]), section: 'requirements', spec: `@ ${req}` });
      else
        problems.push(
          problem(
            file,
            `line ${lineNo}`,
            `expected a requirement with a package name, got the URL or path ${JSON.stringify(req)} (add "#egg=<name>")`,
          ),
        );
      continue;
    }
    const r = parseRequirement(req);
    if (r.ok) dependencies.push({ ...r.value, section: 'requirements' });
    else problems.push(problem(file, `line ${lineNo}`, r.error));
  }
  return { dependencies, problems };
}

function poetrySpec(v: Record<string, unknown>): string {
  for (const key of ['version', 'git', 'path', 'url']) {
    if (typeof v[key] === 'string') return key === 'version' ? String(v[key]) : `${key}:${String(v[key])}`;
  }
  return '*';
}

/**
 * Reads a `pyproject.toml`: PEP 621 `[project]` dependencies and optional dependencies,
 * PEP 735 `[dependency-groups]`, and Poetry's `[tool.poetry.*dependencies]` (without `python`).
 */
export function readPyproject(file: string, text: string): ParsedManifest {
  const { doc, problem: bad } = parseToml(file, text);
  if (!doc) return { problems: [bad as Problem] };
  const dependencies: DeclaredDependency[] = [];
  const problems: Problem[] = [];

  const pep508List = (section: string, list: unknown) => {
    if (list === undefined) return;
    if (!Array.isArray(list)) {
      problems.push(problem(file, section, `expected a list of requirement strings, got ${describeValue(list)}`));
      return;
    }
    list.forEach((item: unknown, i) => {
      if (isRecord(item) && typeof item['include-group'] === 'string') return;
      const r = typeof item === 'string' ? parseRequirement(item) : undefined;
      if (r?.ok) dependencies.push({ ...r.value, section });
      else problems.push(problem(file, `${section}.${i}`, r ? r.error : `expected a requirement string, got ${describeValue(item)}`));
    });
  };
  const lists = (prefix: string, table: unknown) => {
    if (table === undefined) return;
    if (!isRecord(table)) problems.push(problem(file, prefix, `expected a table of lists, got ${describeValue(table)}`));
    else for (const [name, list] of Object.entries(table)) pep508List(`${prefix}.${name}`, list);
  };
  const poetry = (section: string, table: unknown) => {
    if (table === undefined) return;
    if (!isRecord(table)) {
      problems.push(problem(file, section, `expected a table of packages, got ${describeValue(table)}`));
      return;
    }
    for (const [key, v] of Object.entries(table)) {
      const name = normalizePythonName(key);
      if (name === 'python') continue;
      if (typeof v === 'string') dependencies.push({ name, section, spec: v });
      else if (isRecord(v)) dependencies.push({ name, section, spec: poetrySpec(v) });
      else if (Array.isArray(v) && v.every(isRecord)) dependencies.push({ name, section, spec: v.map(poetrySpec).join(' || ') });
      else problems.push(problem(file, `${section}.${key}`, `expected a version string or a table, got ${describeValue(v)}`));
    }
  };

  const project = doc.project;
  if (isRecord(project)) {
    pep508List('project.dependencies', project.dependencies);
    lists('project.optional-dependencies', project['optional-dependencies']);
  }
  lists('dependency-groups', doc['dependency-groups']);
  const tool = isRecord(doc.tool) ? doc.tool.poetry : undefined;
  if (isRecord(tool)) {
    poetry('tool.poetry.dependencies', tool.dependencies);
    poetry('tool.poetry.dev-dependencies', tool['dev-dependencies']);
    if (isRecord(tool.group)) {
      for (const [g, group] of Object.entries(tool.group)) {
        if (isRecord(group)) poetry(`tool.poetry.group.${g}.dependencies`, group.dependencies);
      }
    }
  }
  return { dependencies, problems };
}
