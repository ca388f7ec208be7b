#!/usr/bin/env node
// Generates a Zipfian corpus of tokenized page records for the index benchmark:
//   bench/index/generate.mjs PAGES [WORDS_PER_PAGE=400] [SEED=1] > pages.ndjson
// Words are letters only (so SQLite FTS5's unicode61 tokenizer sees the same tokens), drawn from a
// 200k-word vocabulary with Zipf exponent 1.07 (close to English); 100 pages per document.
import { writeSync } from 'node:fs';

const pages = Number(process.argv[2] ?? 100000);
const perPage = Number(process.argv[3] ?? 400);
let seed = Number(process.argv[4] ?? 1) >>> 0;
const VOCAB = 200_000;
const S = 1.07;

function rand() {
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

const letters = 'etaoinshrdlcumwfgypbvkjxqz';
const words = [];
for (let i = 0; i < VOCAB; i++) {
  let w = '';
  let n = i;
  do {
    w += letters[n % 26];
    n = Math.floor(n / 26);
  } while (n > 0);
  // short words for frequent ranks, like real text; a suffix keeps them distinct
  words.push(i < 26 ? w : w + letters[(i * 7) % 26]);
}
// Inverse-CDF table: 1M slots, each a word rank, sampled uniformly.
const SLOTS = 1 << 20;
const table = new Int32Array(SLOTS);
let total = 0;
for (let r = 1; r <= VOCAB; r++) total += 1 / r ** S;
let acc = 0;
let slot = 0;
for (let r = 1; r <= VOCAB && slot < SLOTS; r++) {
  acc += 1 / r ** S / total;
  const until = Math.min(SLOTS, Math.round(acc * SLOTS));
  while (slot < until) table[slot++] = r - 1;
}
while (slot < SLOTS) table[slot++] = VOCAB - 1;
const quoted = words.map((w) => JSON.stringify(w));

let out = '';
for (let p = 0; p < pages; p++) {
  const doc = `gen/${String(Math.floor(p / 100)).padStart(6, '0')}.pdf`;
  const n = Math.max(1, Math.round(perPage * (0.5 + rand())));
  const toks = new Array(n);
  for (let i = 0; i < n; i++) toks[i] = quoted[table[(rand() * SLOTS) | 0]];
  out += `{"doc":"${doc}","page":${(p % 100) + 1},"analyzer":"standard/1","tokens":[${toks.join(',')}]}\n`;
  if (out.length > 1 << 20) {
    writeSync(1, out);
    out = '';
  }
}
writeSync(1, out);
