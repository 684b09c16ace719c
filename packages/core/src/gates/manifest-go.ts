import type { Problem } from '../domain/errors';
import { problem, type DeclaredDependency, type ParsedManifest } from './manifest-types';

const DIRECTIVES = new Set(['module', 'go', 'toolchain', 'godebug', 'require', 'replace', 'exclude', 'retract', 'tool', 'ignore']);

const unquote = (s: string) => (/^(["`]).*\1$/.test(s) ? s.slice(1, -1) : s);

/** Reads the `require` directives of a `go.mod`, single-line and block forms, `// indirect` included. */
export function readGoMod(file: string, text: string): ParsedManifest {
  const dependencies: DeclaredDependency[] = [];
  const problems: Problem[] = [];
  let block: { directive: string; line: number } | undefined;

  const addRequire = (tokens: string[], raw: string, line: number, indirect: boolean) => {
    if (tokens.length !== 2 || !/^v\d/.test(unquote(tokens[1]))) {
      problems.push(problem(file, `line ${line}`, `expected "module/path vX.Y.Z", got ${JSON.stringify(raw.trim())}`));
      return;
    }
    const section = indirect ? 'require (indirect)' : 'require';
    dependencies.push({ name: unquote(tokens[0]), section, spec: unquote(tokens[1]) });
  };

  text.split(/\r?\n/).forEach((raw, i) => {
    const line = i + 1;
    const cut = raw.indexOf('//');
    const code = cut < 0 ? raw : raw.slice(0, cut);
    const indirect = cut >= 0 && /^\s*indirect\b/.test(raw.slice(cut + 2));
    const tokens = code
      .trim()
      .split(/\s+/)
      .filter((t) => t !== '');
    if (tokens.length === 0) return;
    if (block) {
      if (tokens.length === 1 && tokens[0] === ')') block = undefined;
      else if (block.directive === 'require') addRequire(tokens, code, line, indirect);
      return;
    }
    const [directive, ...args] = tokens;
    if (!DIRECTIVES.has(directive)) {
      problems.push(
        problem(file, `line ${line}`, `expected a go.mod directive (module, go, require, replace, …), got ${JSON.stringify(directive)}`),
      );
      return;
    }
    if (args.length === 1 && args[0] === '(') block = { directive, line };
    else if (directive === 'require') addRequire(args, code.trim().slice('require'.length), line, indirect);
  });
  if (block) {
    problems.push(problem(file, `line ${block.line}`, `expected ")" to close the "${block.directive} (" block, found the end of the file`));
  }
  return { dependencies, problems };
}
