// The WebAssembly byte tokenizer alone (src/text/byte-tokenizer.ts): the text members of an NDJSON
// file tokenized again and again in one process, no record handling, no output. Prints the first
// pass (cold: memos empty, the analyzer asked for every new span and word) and the minimum and
// median of the later passes, in ms.
// Usage: node scripts/bundle.mjs bench/tokenize/byte-tokenizer.ts bench/data/byte-tokenizer.mjs
//        node bench/data/byte-tokenizer.mjs pages.ndjson [analyzer] [passes]
import { readFileSync } from 'node:fs';
import { getAnalyzer } from '../../src/text/analyzer.js';
import { ByteTokenizer } from '../../src/text/byte-tokenizer.js';

const [file, name = 'standard', passes = '15'] = process.argv.slice(2);
if (!file) {
  process.stderr.write('usage: byte-tokenizer.mjs pages.ndjson [analyzer] [passes]\n');
  process.exit(2);
}
const data = readFileSync(file);
const key = Buffer.from('"text":"');
const starts: number[] = [];
const ends: number[] = [];
for (let from = 0; from < data.length; ) {
  let at = data.indexOf(10, from);
  if (at < 0) at = data.length;
  const k = data.indexOf(key, from);
  if (k >= 0 && k < at) {
    starts.push(k + key.length);
    ends.push(data.lastIndexOf(0x22, at));
  }
  from = at + 1;
}
const tokenizer = new ByteTokenizer(getAnalyzer(name));
const times: number[] = [];
for (let p = 0; p < Number(passes) + 1; p++) {
  const t0 = performance.now();
  for (let i = 0; i < starts.length; i++) tokenizer.tokenize(data, starts[i]!, ends[i]!);
  times.push(performance.now() - t0);
}
const later = times.slice(1).sort((a, b) => a - b);
const ms = (t: number): string => t.toFixed(1);
process.stdout.write(`${name}: first pass ${ms(times[0]!)} ms, later passes min ${ms(later[0]!)} ms, median ${ms(later[later.length >> 1]!)} ms (${starts.length} texts, ${(data.length / 1e6).toFixed(1)} MB of NDJSON)\n`);
