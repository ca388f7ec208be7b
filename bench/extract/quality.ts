// Word F1 of `ream extract` against pdftotext per file (the measure of test/cli/extract.test.ts), lowest
// first, to find what pulls the mean down.
//   node_modules/.bin/esbuild bench/extract/quality.ts --bundle --platform=node --format=esm --outfile=bench/data/extract-quality.mjs
//   (cd ../shared/corpus && ls good/*.pdf | ream extract --files-from - -l 3) > /tmp/ours.ndjson
//   node bench/data/extract-quality.mjs /tmp/ours.ndjson ../shared/corpus 3
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { wordF1 } from '../../test/pdf/word-f1.js';

const [records, corpus, firstPages = '3'] = process.argv.slice(2);
const docs = new Map<string, string[]>();
for (const line of readFileSync(records!, 'utf8').split('\n')) {
  if (!line) continue;
  const r = JSON.parse(line) as { doc: string; page: number; text: string };
  const pages = docs.get(r.doc) ?? [];
  pages[r.page - 1] = (pages[r.page - 1] ?? '') + r.text;
  docs.set(r.doc, pages);
}
const scores: Array<[string, number]> = [];
for (const [doc, pages] of docs) {
  const ref = execFileSync('pdftotext', ['-l', firstPages, '-enc', 'UTF-8', join(corpus!, doc), '-'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const ours = pages.join('\n');
  if (ref.trim() === '' && ours.trim() === '') continue;
  scores.push([doc, wordF1(ours, ref)]);
}
scores.sort((a, b) => a[1] - b[1]);
for (const [doc, f] of scores) console.log(`${f.toFixed(3)}\t${doc}`);
console.log(`mean\t${(scores.reduce((s, [, f]) => s + f, 0) / scores.length).toFixed(6)}\t${scores.length} files`);
