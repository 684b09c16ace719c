/**
 * Reads where a task's workspace is from the text of its `task.yaml`, without a YAML parser:
 * the stage runner and the cache-key command run on every stage and must start fast (they are
 * bundled without zod and yaml). Factory writes the `workspace:` field itself, as a block
 * mapping; this reader also accepts a one-line flow mapping and quoted scalars. Anything else
 * under `workspace:` is reported as an error rather than guessed at.
 */

export interface WorkspacePointer {
  backend: 'git' | 'jj';
  /** Relative to the repository root (or absolute). */
  path: string;
}

/** The git branch of a task's workspace, where its work is committed. */
export const taskBranch = (slug: string) => `factory/${slug}`;

export type PointerRead = { pointer?: WorkspacePointer; error?: string };

const KEY_LINE = /^workspace\s*:(.*)$/;

function unquote(raw: string): string | undefined {
  const v = raw.trim();
  if (v.startsWith('"')) {
    const m = /^"((?:[^"\\]|\\.)*)"\s*(#.*)?$/.exec(v);
    if (!m) return undefined;
    try {
      return JSON.parse(`"${m[1]}"`) as string;
    } catch {
      return undefined;
    }
  }
  if (v.startsWith("'")) {
    const m = /^'((?:[^']|'')*)'\s*(#.*)?$/.exec(v);
    return m ? m[1].replace(/''/g, "'") : undefined;
  }
  // A plain scalar ends at " #" (a comment).
  const plain = v.replace(/\s+#.*$/, '').trim();
  return /^[[{&*!|>%@`]/.test(plain) ? undefined : plain;
}

function fromPairs(pairs: Map<string, string>, where: string): PointerRead {
  const backend = pairs.get('backend');
  const p = pairs.get('path');
  if (backend !== 'git' && backend !== 'jj') {
    return {
      error: `${where}: workspace.backend: expected "git" or "jj", got ${backend === undefined ? 'nothing' : JSON.stringify(backend)}`,
    };
  }
  if (!p) return { error: `${where}: workspace.path: expected the workspace's directory, got nothing` };
  if (p.includes('\0')) return { error: `${where}: workspace.path: expected a path, got a NUL byte` };
  return { pointer: { backend, path: p } };
}

/** The workspace recorded in task.yaml's text; `{}` when there is none. `where` names the file in errors. */
export function readWorkspacePointer(text: string, where = 'task.yaml'): PointerRead {
  const lines = text.split(/\r?\n/);
  const at = lines.findIndex((l) => KEY_LINE.test(l));
  if (at < 0) return {};
  const rest = (KEY_LINE.exec(lines[at]) as RegExpExecArray)[1].replace(/\s+#.*$/, '').trim();
  const pairs = new Map<string, string>();
  if (rest === '' || rest === '~' || rest === 'null') {
    if (rest !== '') return {};
    for (let i = at + 1; i < lines.length; i++) {
      const line = lines[i];
      if (/^\s*(#.*)?$/.test(line)) continue;
      if (!/^\s/.test(line)) break;
      const m = /^\s+([A-Za-z_]+)\s*:(.*)$/.exec(line);
      if (!m) return { error: `${where}: workspace: expected "key: value" lines, got ${JSON.stringify(line.trim())}` };
      const v = unquote(m[2]);
      if (v === undefined)
        return { error: `${where}: workspace.${m[1]}: expected a plain or quoted value, got ${JSON.stringify(m[2].trim())}` };
      pairs.set(m[1], v);
    }
    if (pairs.size === 0) return {};
    return fromPairs(pairs, where);
  }
  const flow = /^\{(.*)\}$/.exec(rest);
  if (!flow) return { error: `${where}: workspace: expected a mapping (backend, path), got ${JSON.stringify(rest)}` };
  for (const part of flow[1].split(',')) {
    if (part.trim() === '') continue;
    const m = /^\s*([A-Za-z_]+)\s*:(.*)$/.exec(part);
    const v = m ? unquote(m[2]) : undefined;
    if (!m || v === undefined) return { error: `${where}: workspace: expected "key: value" pairs, got ${JSON.stringify(part.trim())}` };
    pairs.set(m[1], v);
  }
  return fromPairs(pairs, where);
}
