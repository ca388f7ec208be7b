// The analyzers alone, without reading or writing NDJSON: MB of page text per second through
// analyze() and analyzeToJson(), one warm-up pass and the median of RUNS passes, each analyzer in the same process.
// Bundled and run by bench/tokenize/run.sh; prints one markdown table row per analyzer.
// Usage: node in-process.mjs pages.ndjson [runs] [doc-regex]  (doc-regex: only pages of those docs)
import { readFileSync } from 'node:fs';
import { allAnalyzers } from '../../src/text/analyzer.js';
import { JsonTokenList } from '../../src/text/json-tokens.js';

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

/** MB per second of the median of `runs` passes after one warm-up pass. */
function speed(pass: () => void): number {
  const times: number[] = [];
  for (let i = 0; i <= runs; i++) {
    const started = performance.now();
    pass();
    if (i > 0) times.push((performance.now() - started) / 1000);
  }
  times.sort((a, b) => a - b);
  return mb / times[Math.floor(times.length / 2)]!;
}

const list = new JsonTokenList();
for (const analyzer of allAnalyzers()) {
  let tokens = 0;
  const strings = speed(() => {
    tokens = 0;
    for (const t of texts) tokens += analyzer.analyze(t).length;
  });
  const json = speed(() => {
    for (const t of texts) analyzer.analyzeToJson(t, list);
  });
  process.stdout.write(`| ${analyzer.id} | ${tokens} | ${strings.toFixed(1)} | ${json.toFixed(1)} |\n`);
}
