import { readdirSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { E2E_ENV, REPO_ROOT } from './workspace';

/**
 * The corpus of real public projects (corpus/README.md) and what the ecosystems' own tools print
 * for them: the facts each `corpus/<dir>/facts.json` records, and readers for the tools' output.
 */
export const CORPUS_ROOT = path.join(REPO_ROOT, 'corpus');

export interface Counts {
  passed: number;
  failed: number;
  skipped: number;
}

export interface Finding {
  file: string;
  line: number;
  rule: string;
  message?: string;
}

type Edit = { append: string };

export interface Also extends Partial<Counts> {
  kind: 'compile' | 'tests' | 'coverage';
  what: string;
  command: string;
  ok?: boolean;
  runner?: string;
  percent?: number;
}

export interface Facts {
  name: string;
  language: 'go' | 'python' | 'rust' | 'typescript';
  directory: string;
  compile: { command: string; ok: boolean; error?: { file: string; line: number; code: string } };
  tests: Counts & { runner: string; command: string };
  coverage: { tool: string; command: string; metric: string; percent: number };
  lint: { tool: string; command: string; findings: Finding[] };
  format: { tool: string; command: string; files: string[] };
  plant: {
    failing_test: { file: string; edit: Edit; test_name: string };
    lint_finding: { file: string; edit: Edit; line: number; rule: string; also_reported?: Finding[] } | null;
  };
  also?: Also[];
}

/** Every corpus project: its folder under corpus/ and its facts. */
export function corpusProjects(): { dir: string; facts: Facts }[] {
  return readdirSync(CORPUS_ROOT, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(path.join(CORPUS_ROOT, e.name, 'facts.json')))
    .map((e) => ({ dir: e.name, facts: JSON.parse(readFileSync(path.join(CORPUS_ROOT, e.name, 'facts.json'), 'utf8')) as Facts }))
    .sort((a, b) => a.dir.localeCompare(b.dir));
}

/**
 * What the corpus commands run with: no network but the npm registry (cargo offline, no Go
 * module proxy), no colours, no CI mode (vitest's `npm test` must still run once: stdin is no TTY).
 */
export const CORPUS_ENV = {
  ...E2E_ENV,
  CARGO_NET_OFFLINE: 'true',
  GOPROXY: 'off',
  GOFLAGS: undefined,
  NO_COLOR: '1',
  CARGO_TERM_COLOR: 'never',
};

/**
 * Runs a command recorded in a facts.json. These are fixed strings committed in this repository
 * (like a contract's own `command`), some with `&&` and variables, so they run through bash as written.
 */
/**
 * The recorded command with this machine's LLVM: facts name the versioned tools they were
 * measured with (`llvm-profdata-19`); a machine whose newest LLVM is another version (the one
 * that reads the current rustc's profiles) runs that one. The figures do not depend on it.
 */
export function withLocalLlvm(command: string): string {
  const newest = (tool: string) =>
    readdirSync('/usr/bin')
      .filter((f) => new RegExp(`^${tool}-\\d+$`).test(f))
      .sort((a, b) => Number(b.split('-').pop()) - Number(a.split('-').pop()))[0];
  return command.replace(/\b(llvm-profdata|llvm-cov)-\d+\b/g, (m, tool: string) => newest(tool) ?? m);
}

export async function runRecorded(command: string, cwd: string): Promise<{ code: number; out: string; stdout: string }> {
  const r = await execa('bash', ['-c', withLocalLlvm(command)], { cwd, env: CORPUS_ENV, reject: false, all: true, stdin: 'ignore' });
  return { code: r.exitCode ?? 1, out: String(r.all ?? ''), stdout: String(r.stdout ?? '') };
}

/** Runs a program with an argument array (no shell). */
export async function run(
  file: string,
  args: string[],
  cwd: string,
): Promise<{ code: number; out: string; stdout: string; stderr: string }> {
  const r = await execa(file, args, { cwd, env: CORPUS_ENV, reject: false, all: true, stdin: 'ignore' });
  return { code: r.exitCode ?? 1, out: String(r.all ?? ''), stdout: String(r.stdout ?? ''), stderr: String(r.stderr ?? '') };
}

const num = (text: string, re: RegExp): number => Number(re.exec(text)?.[1] ?? 0);

/** The test counts a runner prints, read the way each runner's closing lines say them. */
export function countTests(runner: string, out: string): Counts {
  switch (runner) {
    case 'pytest': {
      const summary =
        out
          .split('\n')
          .filter((l) => /\d+ (passed|failed|error)/.test(l))
          .pop() ?? '';
      return {
        passed: num(summary, /(\d+) passed/),
        failed: num(summary, /(\d+) failed/) + num(summary, /(\d+) errors?/),
        skipped: num(summary, /(\d+) skipped/),
      };
    }
    case 'unittest': {
      const ran = num(out, /^Ran (\d+) tests?/m);
      const verdict = /^(OK|FAILED)\b.*$/m.exec(out)?.[0] ?? '';
      const failed = num(verdict, /failures=(\d+)/) + num(verdict, /errors=(\d+)/);
      const skipped = num(verdict, /skipped=(\d+)/);
      return { passed: ran - failed - skipped, failed, skipped };
    }
    case 'go test': {
      const marks = [...out.matchAll(/^\s*--- (PASS|FAIL|SKIP): /gm)].map((m) => m[1]);
      return {
        passed: marks.filter((m) => m === 'PASS').length,
        failed: marks.filter((m) => m === 'FAIL').length,
        skipped: marks.filter((m) => m === 'SKIP').length,
      };
    }
    case 'cargo test': {
      const results = [...out.matchAll(/^test result: \w+\. (\d+) passed; (\d+) failed; (\d+) ignored/gm)];
      const sum = (i: number) => results.reduce((n, m) => n + Number(m[i]), 0);
      return { passed: sum(1), failed: sum(2), skipped: sum(3) };
    }
    case 'jest': {
      const line = /^Tests:\s+(.*)$/m.exec(out)?.[1] ?? '';
      return { passed: num(line, /(\d+) passed/), failed: num(line, /(\d+) failed/), skipped: num(line, /(\d+) skipped/) };
    }
    case 'vitest': {
      const line = /^\s*Tests\s+(.*)$/m.exec(out)?.[1] ?? '';
      return { passed: num(line, /(\d+) passed/), failed: num(line, /(\d+) failed/), skipped: num(line, /(\d+) skipped/) };
    }
    default:
      throw new Error(`no reader for the test runner ${runner}`);
  }
}

/** The total coverage each language's standard tool prints (percent), or undefined when it printed none. */
export function coveragePercent(language: Facts['language'], out: string): number | undefined {
  const m =
    language === 'go'
      ? /^total:\s+\(statements\)\s+([\d.]+)%/m.exec(out)
      : language === 'python'
        ? /^TOTAL\s.*?([\d.]+)%\s*$/m.exec(out)
        : language === 'typescript'
          ? /^Lines\s*:\s*([\d.]+)%/m.exec(out)
          : // llvm-cov report: TOTAL, then regions, missed, cover, functions, missed, executed, lines, missed, cover…
            /^TOTAL(?:\s+\S+){8}\s+([\d.]+)%/m.exec(out);
  return m ? Number(m[1]) : undefined;
}

/** The JSON objects in a text that holds several, one after another, among other lines (go vet -json). */
function jsonValues(text: string): unknown[] {
  const values: unknown[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"' && depth > 0) inString = true;
    else if (c === '{' && depth++ === 0) start = i;
    else if (c === '}' && --depth === 0) values.push(JSON.parse(text.slice(start, i + 1)));
  }
  return values;
}

const relative = (cwd: string, file: string) => (path.isAbsolute(file) ? path.relative(cwd, file) : file.replace(/^\.\//, ''));

// Names each pyflakes finding with its message class (the CLI prints only the message).
const PYFLAKES_API = [
  'import json, sys',
  'from pyflakes import api, reporter',
  'class R(reporter.Reporter):',
  '    def __init__(self): self.found = []',
  '    def flake(self, m): self.found.append({"file": m.filename, "line": m.lineno, "rule": type(m).__name__, "message": m.message % m.message_args})',
  '    def unexpectedError(self, f, msg): raise SystemExit(msg)',
  '    def syntaxError(self, f, msg, *rest): raise SystemExit(f + ": " + msg)',
  'r = R()',
  'api.checkRecursive(["."], r)',
  'print(json.dumps(r.found))',
].join('\n');

const sortFindings = (f: Finding[]) =>
  [...f].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.rule.localeCompare(b.rule));

/**
 * The findings of the project's linter, with their rules: the facts' command is run, and where
 * its output lacks rule names they come from the tool's machine-readable form (go vet -json,
 * pyflakes' API), checked against the command's own lines.
 */
export async function lintFindings(facts: Facts, cwd: string): Promise<{ findings: Finding[]; code: number }> {
  const { tool, command } = facts.lint;
  if (tool === 'none') return { findings: [], code: 0 };
  const r = await runRecorded(command, cwd);
  const findings: Finding[] = [];
  if (tool === 'eslint') {
    for (const file of JSON.parse(r.stdout) as { filePath: string; messages: { line: number; ruleId: string; message: string }[] }[]) {
      for (const m of file.messages)
        findings.push({ file: relative(cwd, file.filePath), line: m.line, rule: m.ruleId, message: m.message });
    }
  } else if (tool === 'clippy') {
    const seen = new Map<string, Finding>();
    for (const line of r.stdout.split('\n').filter((l) => l.startsWith('{'))) {
      const m = JSON.parse(line);
      const span = m.reason === 'compiler-message' ? m.message.spans.find((s: { is_primary: boolean }) => s.is_primary) : undefined;
      if (!span) continue;
      const f = { file: span.file_name, line: span.line_start, rule: m.message.code?.code ?? m.message.level, message: m.message.message };
      seen.set(JSON.stringify(f), f);
    }
    findings.push(...seen.values());
  } else if (tool === 'go vet') {
    const text = [...r.out.matchAll(/^(\S+\.go):(\d+):\d+: (.*)$/gm)].map((m) => ({
      file: relative(cwd, m[1]),
      line: Number(m[2]),
      message: m[3],
    }));
    const json = await run('go', ['vet', '-json', './...'], cwd);
    const docs = jsonValues(json.stderr) as Record<string, Record<string, { posn: string; message: string }[]>>[];
    for (const doc of docs) {
      for (const analyzers of Object.values(doc)) {
        for (const [rule, list] of Object.entries(analyzers)) {
          for (const d of list) {
            const [file, line] = d.posn.split(':');
            findings.push({ file: relative(cwd, file), line: Number(line), rule, message: d.message });
          }
        }
      }
    }
    const plain = (f: { file: string; line: number; message?: string }) => `${f.file}:${f.line}: ${f.message}`;
    if (JSON.stringify(text.map(plain).sort()) !== JSON.stringify(findings.map(plain).sort())) {
      throw new Error(`go vet and go vet -json disagree:\n${r.out}\n${json.stderr}`);
    }
  } else if (tool === 'pyflakes') {
    const text = [...r.out.matchAll(/^(.+?):(\d+):\d+:? (.*)$/gm)].map((m) => `${relative(cwd, m[1])}:${m[2]}: ${m[3]}`);
    const api = await run('/usr/bin/python3', ['-c', PYFLAKES_API], cwd);
    for (const f of JSON.parse(api.stdout) as Finding[]) findings.push({ ...f, file: relative(cwd, f.file) });
    if (JSON.stringify(text.sort()) !== JSON.stringify(findings.map((f) => `${f.file}:${f.line}: ${f.message}`).sort())) {
      throw new Error(`pyflakes' command and its API disagree:\n${r.out}\n${api.out}`);
    }
  } else {
    throw new Error(`no reader for the linter ${tool}`);
  }
  return { findings: sortFindings(findings), code: r.code };
}

/** The files the project's formatter would change. */
export async function formatFiles(facts: Facts, cwd: string): Promise<string[]> {
  const { tool, command } = facts.format;
  if (tool === 'none') return [];
  const r = await runRecorded(command, cwd);
  const files =
    tool === 'gofmt'
      ? r.stdout.split('\n').filter(Boolean)
      : // cargo fmt --check -- -l: the diff, then the name of each file it would change on a line of its own
        r.stdout
          .split('\n')
          .filter((l) => /\.rs$/.test(l) && !l.startsWith('Diff in') && existsSync(l.startsWith('/') ? l : path.join(cwd, l)));
  return [...new Set(files.map((f) => relative(cwd, f)))].sort();
}

export { sortFindings };
