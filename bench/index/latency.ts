// Query latency for bench/index/run.sh: warm in-process p50/p95 per query type for ream and SQLite
// FTS5 (the same queries), then whole processes (`ream search` vs the `sqlite3` CLI) per query.
//   latency.mjs INDEX FTS_DB PAGES_NDJSON REAM_BIN > results.json
// The whole processes are started from a fresh, small Node process (this script with --processes):
// fork() copies the parent's page tables, and from this one, grown by the warm runs' caches, that
// took tens of milliseconds per process (spawnSync('/bin/true'): 7 ms from a small parent, 48 ms
// from one holding 2 GB) and was counted against both ream and sqlite3. `floor` is what starting
// /bin/true costs the harness.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { IndexReader } from '../../src/index/codec/reader.js';
import { Searcher, defaultSearchThreads } from '../../src/index/search.js';
import { parseQuery, toFts5 } from '../../src/index/query.js';
import { getAnalyzer } from '../../src/text/analyzer.js';
import { benchQueries } from './queries.js';

const [indexPath, ftsPath, pagesPath, reamBin] = process.argv.slice(2) as [string, string, string, string];
const analyzer = getAnalyzer('standard');

const pct = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
};
const ms = (t: bigint) => Number(t) / 1e6;

// whole processes: start-up + open + query + print
function wholeProcesses(andQueries: string[]): Record<string, [number, number]> {
  const times = { ream: [] as number[], sqlite3: [] as number[], floor: [] as number[] };
  const run = (into: number[], command: string, args: string[]) => {
    const t = process.hrtime.bigint();
    spawnSync(command, args, { stdio: ['ignore', 'ignore', 'inherit'] });
    into.push(ms(process.hrtime.bigint() - t));
  };
  for (const text of andQueries) {
    const q = parseQuery(text, analyzer);
    run(times.ream, reamBin, ['search', '-i', indexPath, text]);
    run(times.sqlite3, 'sqlite3', [ftsPath, `SELECT rowid, bm25(t) FROM t WHERE t MATCH '${toFts5(q).replace(/'/g, "''")}' ORDER BY bm25(t), rowid LIMIT 10`]);
    run(times.floor, '/bin/true', []);
  }
  return Object.fromEntries(Object.entries(times).map(([k, v]) => [k, [pct(v, 0.5), pct(v, 0.95)]]));
}

if (process.argv.includes('--processes')) {
  // the queries come on stdin: reading them from the pages file here would grow this process too
  process.stdout.write(JSON.stringify(wholeProcesses(JSON.parse(readFileSync(0, 'utf8')) as string[])) + '\n');
  process.exit(0);
}
const queries = benchQueries(pagesPath);

const { default: Sqlite } = await import('better-sqlite3');
const db = new Sqlite(ftsPath, { readonly: true });
const stmt = db.prepare('SELECT rowid, bm25(t) FROM t WHERE t MATCH ? ORDER BY bm25(t), rowid LIMIT 10');
const reader = IndexReader.open(indexPath);
// as `ream search` does: a large phrase on two threads on two cores
const searcher = new Searcher([reader], { threads: defaultSearchThreads() });
const out: Record<string, unknown> = {};
for (const [type, list] of Object.entries(queries)) {
  const times = { ream: [] as number[], fts5: [] as number[] };
  for (let round = 0; round < 2; round++) {
    for (const text of list) {
      const q = parseQuery(text, analyzer);
      let t = process.hrtime.bigint();
      searcher.search(q, { k: 10, offset: 0, groupByDoc: false });
      const r = ms(process.hrtime.bigint() - t);
      t = process.hrtime.bigint();
      stmt.all(toFts5(q));
      const f = ms(process.hrtime.bigint() - t);
      if (round === 1) {
        times.ream.push(r);
        times.fts5.push(f);
      }
    }
  }
  out[type] = { ream: [pct(times.ream, 0.5), pct(times.ream, 0.95)], fts5: [pct(times.fts5, 0.5), pct(times.fts5, 0.95)] };
}
reader.close();
db.close();
const child = spawnSync(process.execPath, [process.argv[1]!, indexPath, ftsPath, pagesPath, reamBin, '--processes'], { input: JSON.stringify(queries.and!.slice(0, 30)), stdio: ['pipe', 'pipe', 'inherit'], encoding: 'utf8' });
if (child.status !== 0) throw new Error('the whole-process run failed');
out.process = JSON.parse(child.stdout);
process.stdout.write(JSON.stringify(out) + '\n');
process.exit(0);
