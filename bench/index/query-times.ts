// Per-query-type warm latency of ream alone (no FTS5), with the slowest queries named: the quick
// loop for profiling search. Same queries as latency.ts.
//   npx tsx bench/index/query-times.ts INDEX PAGES_NDJSON [type…]
import { IndexReader } from '../../src/index/codec/reader.js';
import { Searcher, defaultSearchThreads } from '../../src/index/search.js';
import { parseQuery } from '../../src/index/query.js';
import { getAnalyzer } from '../../src/text/analyzer.js';
import { benchQueries } from './queries.js';

const [indexPath, pagesPath, ...only] = process.argv.slice(2) as [string, string, ...string[]];
const analyzer = getAnalyzer('standard');
const queries = benchQueries(pagesPath);
const pct = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;
const searcher = new Searcher([IndexReader.open(indexPath, process.env.CACHE ? { cacheBytes: Number(process.env.CACHE) << 20 } : {})], { threads: Number(process.env.THREADS ?? defaultSearchThreads()) });
for (const [type, list] of Object.entries(queries)) {
  if (only.length > 0 && !only.includes(type)) continue;
  const times: [number, string][] = [];
  for (let round = 0; round < 2; round++) {
    for (const text of list) {
      const q = parseQuery(text, analyzer);
      const t = process.hrtime.bigint();
      searcher.search(q, { k: 10, offset: 0, groupByDoc: false });
      const ms = Number(process.hrtime.bigint() - t) / 1e6;
      if (round === 1) times.push([ms, text]);
    }
  }
  const ms = times.map((t) => t[0]);
  const slow = [...times].sort((a, b) => b[0] - a[0]).slice(0, process.env.ALL ? 60 : 5).map(([m, t]) => `${t} ${m.toFixed(1)}`);
  console.log(`${type}: p50 ${pct(ms, 0.5).toFixed(1)} p95 ${pct(ms, 0.95).toFixed(1)} ms; slowest: ${slow.join(', ')}`);
}
