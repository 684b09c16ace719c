import { isMap, isScalar, isSeq, parseDocument, stringify, type Document, type Node } from 'yaml';
import type { Problem } from '../domain/errors';

/**
 * What a Factory document may ask of the parser: how deep it nests and how many nodes its
 * aliases may stand for. A contract is a few levels deep and has no aliases to speak of; the
 * limits stop an alias bomb (a few lines that expand to billions of nodes) and a nesting that
 * would exhaust the stack, each with an error naming the file.
 */
export const YAML_LIMITS = { depth: 64, aliasCount: 100 };

/**
 * Checks what the parser does not: a key given twice in one mapping (checked here in linear
 * time; the parser's own check is quadratic, 80 s for a file of 60,000 keys) and the nesting
 * depth. Returns the first problem's field and message.
 */
function structureProblem(doc: Document, lineOf: (offset: number) => string): { field: string; message: string } | undefined {
  const visit = (node: unknown, depth: number): { field: string; message: string } | undefined => {
    if (depth > YAML_LIMITS.depth) {
      const at = (node as Node).range?.[0];
      return {
        field: at === undefined ? '(document)' : lineOf(at),
        message: `expected at most ${YAML_LIMITS.depth} levels of nesting, found more`,
      };
    }
    if (isMap(node)) {
      const seen = new Set<string>();
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : JSON.stringify(pair.key);
        if (seen.has(key)) {
          const at = (pair.key as Node | null)?.range?.[0];
          return {
            field: at === undefined ? '(document)' : lineOf(at),
            message: `expected each key once in a mapping, found "${key}" again`,
          };
        }
        seen.add(key);
        const found = visit(pair.value, depth + 1);
        if (found) return found;
      }
    } else if (isSeq(node)) {
      for (const item of node.items) {
        const found = visit(item, depth + 1);
        if (found) return found;
      }
    }
    return undefined;
  };
  return visit(doc.contents, 1);
}
/** `line L, column C` of an offset in `text`. */
function lineColumn(text: string): (offset: number) => string {
  return (offset) => {
    const before = text.slice(0, offset);
    const line = before.split('\n').length;
    return `line ${line}, column ${offset - before.lastIndexOf('\n')}`;
  };
}

/**
 * Parses a YAML document within YAML_LIMITS; a syntax error, a key given twice, nesting too
 * deep or aliases that expand too far become one problem naming the file and where.
 */
export function parseYamlDocument(text: string, file: string): { doc?: Document; errors: Problem[] } {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: false });
  if (doc.errors.length) {
    // The first error is the cause; the ones after it are usually its echoes.
    const e = doc.errors[0];
    const pos = e.linePos?.[0];
    const at = pos ? `line ${pos.line}, column ${pos.col}` : '(document)';
    const what = e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
    return { errors: [{ file, field: at, message: `expected valid YAML: ${what}` }] };
  }
  const problem = structureProblem(doc, lineColumn(text));
  if (problem) return { errors: [{ file, ...problem }] };
  return { doc, errors: [] };
}

/**
 * Parses YAML text; a syntax error becomes a problem naming the file, line and column, as do the
 * limits of parseYamlDocument. An empty document is `{}`.
 */
export function parseYaml(text: string, file: string): { data?: unknown; errors: Problem[] } {
  const parsed = parseYamlDocument(text, file);
  if (!parsed.doc) return { errors: parsed.errors };
  let data: unknown;
  try {
    data = parsed.doc.toJS({ maxAliasCount: YAML_LIMITS.aliasCount });
  } catch (e) {
    const message = (e as Error).message;
    return {
      errors: [
        {
          file,
          field: '(document)',
          message: /alias/i.test(message)
            ? `expected aliases (*name) that stand for at most ${YAML_LIMITS.aliasCount} nodes, found more (an alias bomb expands to billions)`
            : `expected valid YAML: ${message.split('\n')[0]}`,
        },
      ],
    };
  }
  return { data: data ?? {}, errors: [] };
}

export function toYaml(data: unknown): string {
  return stringify(data, { lineWidth: 0 });
}
