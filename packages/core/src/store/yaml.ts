import { parseDocument, stringify } from 'yaml';
import type { Problem } from '../domain/errors';

/**
 * Parses YAML text; a syntax error becomes a problem naming the file, line and column.
 * An empty document is `{}`.
 */
export function parseYaml(text: string, file: string): { data?: unknown; errors: Problem[] } {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length) {
    return {
      // The first error is the cause; the ones after it are usually its echoes.
      errors: doc.errors.slice(0, 1).map((e) => {
        const pos = e.linePos?.[0];
        const where = pos ? `line ${pos.line}, column ${pos.col}` : '(document)';
        const what = e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
        return { file, field: where, message: `expected valid YAML: ${what}` };
      }),
    };
  }
  const data = doc.toJS();
  return { data: data ?? {}, errors: [] };
}

export function toYaml(data: unknown): string {
  return stringify(data, { lineWidth: 0 });
}
