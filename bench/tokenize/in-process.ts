// The analyzers alone, without reading or writing NDJSON: MB of page text per second through
// analyze(), one warm-up pass and the median of RUNS passes, each analyzer in the same process.
// Bundled and run by bench/tokenize/run.sh; prints one markdown table row per analyzer.
// Usage: node in-process.mjs pages.ndjson [runs] [doc-regex]  (doc-regex: only pages of those docs)
import { readFileSync } from 'node:fs';
import { allAnalyzers } from '../../src/text/analyzer.js';

const [file, runsArg, docs] = process.argv.slice(2);
const runs = Number(runsArg ?? 5);
const only = docs ? new RegExp(docs) : undefined;
const texts: string[] = readFileSync(file!, 'utf8')
  .split('\n')
  .filter((l) => l.length > 0)
  .map((l) => JSON.parse(l) as { doc: string; text: string })
  .filter((r) => !only || only.test(r.doc))
  .map((r) => r.text);
const mb = texts.reduce((n, t) => n + Buffer.byteLength(t), 0) / 1e6;

for (const analyzer of allAnalyzers()) {
  const times: number[] = [];
  let tokens = 0;
  for (let pass = 0; pass <= runs; pass++) {
    const started = performance.now();
    tokens = 0;
    for (const t of texts) tokens += analyzer.analyze(t).length;
    if (pass > 0) times.push((performance.now() - started) / 1000);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)]!;
  process.stdout.write(`| ${analyzer.id} | ${tokens} | ${(mb / median).toFixed(1)} |\n`);
}
