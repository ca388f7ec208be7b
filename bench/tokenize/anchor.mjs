// The JavaScript anchors of bench/tokenize: NDJSON page records in, {tokens} records out, like
// `ream tokenize`, with the tokenizer of `natural` or `wink-tokenizer`, or none (I/O floor).
// Usage: node anchor.mjs natural|wink|json < pages.ndjson > out.ndjson
import { createRequire } from 'node:module';
import { readFileSync, writeSync } from 'node:fs';

const require = createRequire(import.meta.url);
const which = process.argv[2];
let tokenize;
if (which === 'natural') {
  const { WordTokenizer } = require('natural');
  const t = new WordTokenizer();
  tokenize = (text) => t.tokenize(text.toLowerCase());
} else if (which === 'wink') {
  const t = require('wink-tokenizer')();
  tokenize = (text) => {
    const out = [];
    for (const tok of t.tokenize(text)) if (tok.tag === 'word' || tok.tag === 'number') out.push(tok.value.toLowerCase());
    return out;
  };
} else if (which === 'json') {
  tokenize = () => [];
} else throw new Error(`unknown anchor ${which}`);

let batch = '';
const flush = () => {
  const buf = Buffer.from(batch);
  for (let off = 0; off < buf.length; ) off += writeSync(1, buf, off);
  batch = '';
};
for (const line of readFileSync(0, 'utf8').split('\n')) {
  if (!line) continue;
  const { text, ...rest } = JSON.parse(line);
  batch += JSON.stringify({ ...rest, tokens: tokenize(text) }) + '\n';
  if (batch.length > 1 << 16) flush();
}
flush();
