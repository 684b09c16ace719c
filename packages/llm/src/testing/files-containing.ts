import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/** Every file under `dir` (`.git` and `node_modules` left out) that contains `needle`: where a leaked secret would be. */
export function filesContaining(dir: string, needle: string): string[] {
  const hits: string[] = [];
  const walk = (rel: string) => {
    for (const name of readdirSync(path.join(dir, rel))) {
      const r = rel ? `${rel}/${name}` : name;
      if (name === 'node_modules' || name === '.git') continue;
      const st = statSync(path.join(dir, r));
      if (st.isDirectory()) walk(r);
      else if (st.size < 20_000_000 && readFileSync(path.join(dir, r), 'utf8').includes(needle)) hits.push(r);
    }
  };
  walk('');
  return hits;
}
