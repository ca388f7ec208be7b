// Index paths given on the command line: `shards/*.ream` is expanded by ream too (quoted globs, or
// lists longer than the shell allows). Wildcards `*` and `?` are allowed in the last component.
import { readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { compareUtf8 } from './keys.js';

export function expandIndexPaths(patterns: readonly string[]): string[] {
  const out: string[] = [];
  for (const p of patterns) {
    const name = basename(p);
    if (!/[*?]/.test(name)) {
      out.push(p);
      continue;
    }
    const dir = dirname(p);
    const re = new RegExp(`^${name.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
    let entries: string[] = [];
    try {
      entries = readdirSync(dir).filter((e) => re.test(e) && !e.startsWith('.'));
    } catch {
      // reported below as "matches nothing"
    }
    if (entries.length === 0) out.push(p); // opening it fails with a clear message
    else out.push(...entries.sort(compareUtf8).map((e) => (dir === '.' && !p.startsWith('./') ? e : join(dir, e))));
  }
  return out;
}
