#!/usr/bin/env node
// Writes page-like NDJSON records (the shape `ream extract` emits) to stdout until SIZE bytes.
// Deterministic (fixed-seed PRNG) so every run filters the same data. Usage: generate.mjs [MB=200]
import { writeSync } from 'node:fs';

const targetBytes = Number(process.argv[2] ?? 200) * 1024 * 1024;
let seed = 42;
// mulberry32: small, and its low bits are not correlated (a plain LCG made authors and languages depend).
const rand = () => {
  let t = (seed = (seed + 0x6d2b79f5) | 0);
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
};
const pick = (xs) => xs[Math.floor(rand() * xs.length)];
const words = 'the of and to in a is that for it as was with be by on not he this are or his from at which but have an they you were her she there been one all we their has would when if so no more out up into do any your what some can only other new time could them these two may then first about well over like said also after did many before must through years where much your way down should because each just those people how too little state good very make world still own see men work long here get both between life being under never day same another know while last might us great old year off come since against go came right used take three'.split(' ');
const authors = ['Ada Lovelace', 'Grace Hopper', 'Alan Turing', 'Edsger Dijkstra', 'Barbara Liskov', 'Donald Knuth', null];
const langs = ['en', 'de', 'fr', 'es', 'it'];
const chunks = [];
let pending = 0;
let written = 0;
for (let doc = 0; written < targetBytes; doc++) {
  const pages = 1 + Math.floor(rand() * 30);
  const author = pick(authors);
  const lang = pick(langs);
  const year = 1950 + Math.floor(rand() * 75);
  for (let page = 1; page <= pages && written < targetBytes; page++) {
    const n = Math.floor(rand() * 400);
    const text = Array.from({ length: n }, () => pick(words)).join(' ');
    const record = { doc: `corpus/doc-${doc}.pdf`, page, pages, lang, chars: text.length, meta: { author, year, title: `Document ${doc}` }, text };
    const line = JSON.stringify(record) + '\n';
    chunks.push(line);
    pending += line.length;
    written += line.length;
    if (pending > 1 << 20) {
      writeSync(1, chunks.join(''));
      chunks.length = 0;
      pending = 0;
    }
  }
}
if (chunks.length) writeSync(1, chunks.join(''));
