// The document table read in order (IndexReader.docs(): through a window of the section) against
// documents read one by one (doc(id)), over more than one window and a block larger than it.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { IndexBuilder } from '../../src/index/build.js';
import { IndexReader } from '../../src/index/codec/reader.js';
import { getAnalyzer } from '../../src/text/analyzer.js';
import { workdir } from '../helpers.js';

const { dir, cleanup } = workdir();
afterAll(cleanup);
const analyzer = getAnalyzer('standard');

function build(path: string, docs: number, textOf: (i: number) => string): void {
  const b = new IndexBuilder(path, { analyzer: analyzer.id, storedFields: [], storeText: true, memoryBytes: 1 << 30 });
  for (let i = 0; i < docs; i++) {
    const text = textOf(i);
    b.add({ doc: `documents/${String(i).padStart(6, '0')}-of-a-long-name.pdf`, page: (i % 7) + 1, fields: '', text, parts: [{ tokens: text.split(' '), start: 0 }] });
  }
  b.finish();
}

describe('IndexReader.docs()', () => {
  const path = join(dir, 'docs.ream');
  // ~1.5 MB of documents with their text (several windows), one text of 400 KB (a block larger than one)
  build(path, 12_000, (i) => (i === 5_000 ? 'big '.repeat(100_000).trim() : `w${i % 97} x${i % 13} text of page ${i}`));

  it('gives every document, in id order, as doc(id) does, whatever the windows', () => {
    const r = IndexReader.open(path);
    try {
      // the usual windows, then a window smaller than most blocks and the document index 3 entries at a time
      for (const all of [[...r.docs()], [...r.docs(1000, 3)], [...r.docs(5000, 1)]]) {
        expect(all.length).toBe(12_000);
        for (let i = 0; i < all.length; i += 1) expect(all[i]).toEqual(r.doc(i));
        expect(all[5_000]!.text!.length).toBe(399_999);
      }
    } finally {
      r.close();
    }
  });

  it('reports a damaged block it reaches, after the documents before it', () => {
    const bytes = readFileSync(path);
    const r = IndexReader.open(path);
    const at = r.sections.docs!.offset + Math.floor(r.sections.docs!.length * 0.8);
    r.close();
    bytes[at]! ^= 0x20;
    const damaged = join(dir, 'damaged.ream');
    writeFileSync(damaged, bytes);
    const d = IndexReader.open(damaged);
    let seen = 0;
    try {
      expect(() => {
        for (const _ of d.docs()) seen++;
      }).toThrow(/document table checksum mismatch/);
      expect(seen).toBeGreaterThan(1_000);
    } finally {
      d.close();
    }
  });
});
