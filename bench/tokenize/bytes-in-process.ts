// The byte path alone (tokenize-line.ts), without reading or writing: MB of NDJSON per CPU-second
// over NDJSON lines held in memory. The first pass is what a run over text never seen before costs
// (every span analyzed and every word stemmed once, memos filled, V8 compiling the hot functions);
// later passes (median of RUNS) are the steady state, all memo hits. Run one analyzer per process
// for a cold first pass: a second analyzer in the same process finds the shared code compiled.
// Usage: node bytes-in-process.mjs pages.ndjson [runs] [analyzers]
import { readFileSync } from 'node:fs';
import { getAnalyzer } from '../../src/text/analyzer.js';
import { ChunkPositions } from '../../src/text/tokenize-record.js';
import { LineTokenizer } from '../../src/text/tokenize-line.js';

const [file, runsArg, names] = process.argv.slice(2);
const runs = Number(runsArg ?? 5);
const data = readFileSync(file!);
const starts: number[] = [];
const ends: number[] = [];
for (let from = 0; from < data.length; ) {
  let at = data.indexOf(10, from);
  if (at < 0) at = data.length;
  if (at > from) {
    starts.push(from);
    ends.push(at);
  }
  from = at + 1;
}
const mb = data.length / 1e6;
for (const name of (names ?? 'standard,en').split(',')) {
  const lines = new LineTokenizer(getAnalyzer(name), new ChunkPositions(), { field: 'text', keepText: false });
  let out = 0;
  let refused = 0;
  const write = (h: Uint8Array, t: Uint8Array, tail: Uint8Array): void => {
    out += h.length + t.length + tail.length;
  };
  const times: number[] = [];
  for (let r = 0; r <= runs; r++) {
    const started = process.cpuUsage();
    refused = 0;
    for (let i = 0; i < starts.length; i++) if (lines.line(data, starts[i]!, ends[i]!, write) < 0) refused++;
    const used = process.cpuUsage(started);
    if (process.env.SHOW_PASSES) process.stderr.write(`${name} pass ${r}: ${((used.user + used.system) / 1e6).toFixed(3)} CPU-s\n`);
    times.push((used.user + used.system) / 1e6);
  }
  const first = times.shift()!;
  times.sort((a, b) => a - b);
  const steady = times[Math.floor(times.length / 2)]!;
  process.stdout.write(`| ${getAnalyzer(name).id} | ${refused} | ${(mb / first).toFixed(1)} MB/CPU-s | ${(mb / steady).toFixed(1)} MB/CPU-s |\n`);
}
