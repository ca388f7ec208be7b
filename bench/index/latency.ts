// Query latency for bench/index/run.sh: warm in-process p50/p95 per query type for ream and SQLite
// FTS5 (the same queries), then whole processes (`ream search` vs the `sqlite3` CLI) per query.
//   latency.mjs INDEX FTS_DB PAGES_NDJSON > results.json
import { spawnSync } from 'node:child_process';
import { IndexReader } from '../../src/index/codec/reader.js';
import { Searcher, defaultSearchThreads } from '../../src/index/search.js';
import { parseQuery, toFts5 } from '../../src/index/query.js';
import { getAnalyzer } from '../../src/text/analyzer.js';
import { benchQueries } from './queries.js';

const [indexPath, ftsPath, pagesPath, reamBin] = process.argv.slice(2) as [string, string, string, string];
const analyzer = getAnalyzer('standard');
const queries = benchQueries(pagesPath);

const pct = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
};
const ms = (t: bigint) => Number(t) / 1e6;

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
// whole processes: start-up + open + query + print
const proc = { ream: [] as number[], sqlite3: [] as number[] };
for (const text of queries.and!.slice(0, 30)) {
  const q = parseQuery(text, analyzer);
  let t = process.hrtime.bigint();
  spawnSync(reamBin, ['search', '-i', indexPath, text], { stdio: ['ignore', 'ignore', 'inherit'] });
  proc.ream.push(ms(process.hrtime.bigint() - t));
  t = process.hrtime.bigint();
  spawnSync('sqlite3', [ftsPath, `SELECT rowid, bm25(t) FROM t WHERE t MATCH '${toFts5(q).replace(/'/g, "''")}' ORDER BY bm25(t), rowid LIMIT 10`], { stdio: ['ignore', 'ignore', 'inherit'] });
  proc.sqlite3.push(ms(process.hrtime.bigint() - t));
}
out.process = { ream: [pct(proc.ream, 0.5), pct(proc.ream, 0.95)], sqlite3: [pct(proc.sqlite3, 0.5), pct(proc.sqlite3, 0.95)] };
process.stdout.write(JSON.stringify(out) + '\n');
