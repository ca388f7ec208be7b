// The benchmark's queries, drawn from the first 20 MB of a pages file (the whole file can be
// gigabytes: no one string) with a fixed seed: 60 of each type, so that runs compare.
import { closeSync, openSync, readSync } from 'node:fs';

export type QueryType = 'term' | 'and' | 'phrase' | 'prefix';

export function benchQueries(pagesPath: string, perType = 60): Record<QueryType, string[]> {
  let seed = 42;
  const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296);
  const pick = <T>(a: T[]): T => a[Math.floor(rand() * a.length)]!;
  const head = Buffer.alloc(20 << 20);
  const fd = openSync(pagesPath, 'r');
  const got = readSync(fd, head, 0, head.length, 0);
  closeSync(fd);
  const sample = head.subarray(0, got).toString('utf8').split('\n').slice(0, -1).map((l) => JSON.parse(l).tokens as string[]);
  const queries: Record<QueryType, string[]> = { term: [], and: [], phrase: [], prefix: [] };
  for (let i = 0; i < perType; i++) {
    const p = pick(sample);
    queries.term.push(pick(p));
    queries.and.push(`${pick(p)} ${pick(p)}`);
    const at = Math.floor(rand() * (p.length - 1));
    queries.phrase.push(`"${p[at]} ${p[at + 1]}"`);
    const w = pick(p.filter((t) => t.length >= 3).concat(['abc']));
    queries.prefix.push(`${w.slice(0, 3)}*`);
  }
  return queries;
}
