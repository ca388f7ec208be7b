// Doc parts longer than a chunk carry a CRC per 4 KiB chunk (format version 5), and search reads a
// large one as its cursor reaches the blocks: these check that what it reads equals the whole part,
// that a query reads a fraction of it, and that damage is found in every chunk it reads.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeSync, copyFileSync, openSync, readFileSync, readSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { IndexBuilder } from '../../src/index/build.js';
import { IndexReader, type TermInfo } from '../../src/index/codec/reader.js';
import { DocPart, LAZY_CHUNKS } from '../../src/index/codec/doc-part.js';
import { CorruptIndex, DOC_CHUNK, docPartChunks } from '../../src/index/codec/layout.js';
import { PostingsCursor, decodeSkipTable } from '../../src/index/codec/postings.js';
import { Searcher, type Hit } from '../../src/index/search.js';
import { parseQuery } from '../../src/index/query.js';
import { getAnalyzer } from '../../src/text/analyzer.js';
import { workdir } from '../helpers.js';
import { generatedPages, rng, toInput } from './corpus.js';

const analyzer = getAnalyzer('standard');
const key = (h: Hit) => `${h.id}:${h.score}`;

describe('doc parts read a chunk at a time', () => {
  const { dir, cleanup } = workdir();
  const path = join(dir, 'lazy.ream');
  // short pages of a tiny vocabulary: the commonest words are on most of 60000 pages (~100 KB of doc part)
  const pages = generatedPages({ docs: 3000, pagesPerDoc: 20, vocabulary: 400, seed: 33, minLen: 3, maxLen: 14 });
  // a word of a hundred pages between ids 2000 and 4000 (pages are stored in this order): a
  // document's own word, the usual case where an AND needs a small part of a common word
  for (let j = 0; j < 100; j++) pages[2000 + 20 * j]!.tokens.push('localword');
  let common: TermInfo;
  beforeAll(() => {
    const b = new IndexBuilder(path, { analyzer: analyzer.id, storedFields: [], storeText: false, memoryBytes: 1 << 30 });
    for (const p of pages) b.add(toInput(p));
    b.finish();
    const r = IndexReader.open(path);
    common = [...r.terms()].reduce((a, t) => (t.docsLength > a.docsLength ? t : a));
    r.close();
  });
  afterAll(cleanup);

  it('a common word\'s part is chunked and read as needed, and reads as the whole part does', () => {
    const r = IndexReader.open(path);
    const whole = IndexReader.open(path);
    try {
      expect(docPartChunks(common.docsStored)).toBeGreaterThanOrEqual(LAZY_CHUNKS);
      expect(common.docsStored).toBe(common.docsLength + 4 * Math.ceil(common.docsLength / DOC_CHUNK));
      const part = r.postings(common);
      expect(part.complete).toBe(false);
      const lazy = new PostingsCursor(part.bytes, part);
      const full = new PostingsCursor(whole.docPart(common));
      // seeks forward and backward, then a walk to the end
      const rand = rng(3);
      for (let i = 0; i < 5; i++) {
        const target = Math.floor(rand() * pages.length);
        expect(lazy.seek(target)).toBe(full.seek(target));
        expect(lazy.tf).toBe(full.tf);
      }
      expect(part.complete).toBe(false);
      // from the start (a fresh cursor on the same part) to the end
      const walk = new PostingsCursor(part.bytes, part);
      const all = new PostingsCursor(whole.docPart(common));
      for (let d = all.next(); d !== Infinity; d = all.next()) {
        expect(walk.next()).toBe(d);
        expect(walk.tf).toBe(all.tf);
      }
      expect(walk.next()).toBe(Infinity);
      expect(part.complete).toBe(true);
    } finally {
      r.close();
      whole.close();
    }
  });

  it('a top-10 AND of a rarer word with a common one equals the full answer, and reads the common word\'s chunks it needs', () => {
    const first = IndexReader.open(path);
    const rarer = [...first.terms()].filter((t) => t.df < pages.length / 20).map((t) => Buffer.from(t.term).toString());
    first.close();
    const rand = rng(8);
    const commonWord = Buffer.from(common.term).toString();
    const words = ['localword', ...Array.from({ length: 30 }, () => rarer[Math.floor(rand() * rarer.length)]!)];
    for (const word of words) {
      const q = parseQuery(`${word} ${commonWord}`, analyzer);
      const r = IndexReader.open(path);
      const everything = IndexReader.open(path);
      try {
        const top = new Searcher([r]).search(q, { k: 10, offset: 0, groupByDoc: false });
        const all = new Searcher([everything]).search(q, { k: 1e9, offset: 0, groupByDoc: false });
        expect(top.map(key), word).toEqual(all.slice(0, 10).map(key));
        if (word === 'localword') {
          expect(all.length).toBeGreaterThan(10);
          // the skip table's first read (4 chunks) and the chunks of ids 2000-4000
          const part = r.postings(common);
          expect(part.loadedChunks).toBeLessThanOrEqual(7);
          expect(part.chunks).toBeGreaterThanOrEqual(LAZY_CHUNKS);
        }
      } finally {
        r.close();
        everything.close();
      }
    }
  });

  it('reads a part in one read per block asked for, until 8 reads all over the part: then the rest at once', () => {
    const fd = openSync(path, 'r');
    const reads: [number, number][] = [];
    const readAt = (into: Uint8Array, offset: number, length: number) => {
      reads.push([offset - common.docsOffset, length]);
      return readSync(fd, into, 0, length, offset);
    };
    try {
      const part = DocPart.open(readAt, common.docsOffset, common.docsStored, common.docsLength, common.docsCrc);
      // the chunk CRCs only
      expect(reads).toEqual([[common.docsLength, 4 * part.chunks]]);
      for (let k = 0; k < 8; k++) part.ensure(2 * k * DOC_CHUNK + 10, 2 * k * DOC_CHUNK + 20);
      expect(reads.slice(1)).toEqual(Array.from({ length: 8 }, (_, k) => [2 * k * DOC_CHUNK, DOC_CHUNK]));
      expect(part.loadedChunks).toBe(8);
      part.ensure(15 * DOC_CHUNK, 15 * DOC_CHUNK + 1);
      // from the first chunk still missing to the last, in one read
      expect(reads[9]).toEqual([DOC_CHUNK, common.docsLength - DOC_CHUNK]);
      expect(part.complete).toBe(true);
      const whole = IndexReader.open(path);
      expect(part.bytes.equals(whole.docPart(common))).toBe(true);
      whole.close();
    } finally {
      closeSync(fd);
    }
  });

  it('damage in a chunk fails the reads of that chunk only; damage in the chunk CRCs fails the part', () => {
    const bytes = readFileSync(path);
    const first = IndexReader.open(path);
    const table = decodeSkipTable(first.docPart(common));
    first.close();
    // a block in the middle, and the chunk it starts in
    const b = table.blocks >> 1;
    const chunk = Math.floor(table.dataStart[b]! / DOC_CHUNK);
    const damaged = join(dir, 'damaged.ream');
    const flipped = Buffer.from(bytes);
    flipped[common.docsOffset + chunk * DOC_CHUNK + 7]! ^= 0x10;
    writeFileSync(damaged, flipped);
    const r = IndexReader.open(damaged);
    try {
      const part = r.postings(common);
      const cursor = new PostingsCursor(part.bytes, part);
      // a document in a block whose chunks are intact: answered
      const far = table.blocks - 1;
      if (Math.floor(table.dataStart[far]! / DOC_CHUNK) > chunk + 1) expect(cursor.seek(table.lastDoc[far]!)).toBe(table.lastDoc[far]!);
      expect(() => cursor.seek(table.lastDoc[b]!)).toThrow(/postings checksum mismatch/);
      expect(() => r.docPart(common)).toThrow(CorruptIndex);
    } finally {
      r.close();
    }
    // the chunk CRCs themselves
    const tableDamaged = join(dir, 'table.ream');
    copyFileSync(path, tableDamaged);
    const t = readFileSync(tableDamaged);
    t[common.docsOffset + common.docsLength + 5]! ^= 0x01;
    writeFileSync(tableDamaged, t);
    const r2 = IndexReader.open(tableDamaged);
    try {
      expect(() => r2.postings(common)).toThrow(/postings checksum mismatch/);
      const q = parseQuery(Buffer.from(common.term).toString(), analyzer);
      expect(() => new Searcher([r2]).search(q, { k: 10, offset: 0, groupByDoc: false })).toThrow(CorruptIndex);
    } finally {
      r2.close();
    }
  });
});
