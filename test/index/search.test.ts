// Block-max search: the impacts stored per posting block are exactly the block's competitive
// (tf, length) pairs, and the top k found by scoring blocks best bound first (skipping the rest)
// equals the top k of scoring every match, for every query type, filters and several indexes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { IndexBuilder } from '../../src/index/build.js';
import { IndexReader } from '../../src/index/codec/reader.js';
import { blockImpacts, decodeBlock, decodeSkipTable } from '../../src/index/codec/postings.js';
import { POSTING_BLOCK } from '../../src/index/codec/layout.js';
import { Searcher, type Hit } from '../../src/index/search.js';
import { TermSource } from '../../src/index/sources.js';
import { termScore } from '../../src/index/bm25.js';
import { PARALLEL_FROM_PAGES, phraseMatches, rangesMatchedByThread } from '../../src/index/phrase-matcher.js';
import { parseQuery } from '../../src/index/query.js';
import { getAnalyzer } from '../../src/text/analyzer.js';
import { workdir } from '../helpers.js';
import { generatedPages, rng, toInput, type TestPage } from './corpus.js';

const analyzer = getAnalyzer('standard');

function buildIndex(path: string, pages: TestPage[]): IndexReader {
  const b = new IndexBuilder(path, { analyzer: analyzer.id, storedFields: [], storeText: false, memoryBytes: 1 << 30 });
  for (const p of pages) b.add(toInput(p));
  b.finish();
  return IndexReader.open(path);
}

/** The pairs no other pair beats on both tf (higher) and length (shorter), by tf ascending. */
function frontier(pairs: [number, number][]): [number, number][] {
  const keep = pairs.filter(([tf, len]) => !pairs.some(([t, l]) => t >= tf && l <= len && (t > tf || l < len)));
  const unique = [...new Map(keep.map((p) => [`${p[0]},${p[1]}`, p])).values()];
  return unique.sort((a, b) => a[0] - b[0]);
}

const key = (h: Hit) => `${h.index}:${h.id}:${h.score}`;

describe('block-max search', () => {
  const { dir, cleanup } = workdir();
  // short pages of a small vocabulary: common words span dozens of 128-document blocks
  const pages = generatedPages({ docs: 400, pagesPerDoc: 20, vocabulary: 800, seed: 21, minLen: 3, maxLen: 60 });
  let reader: IndexReader;
  const shards: IndexReader[] = [];
  beforeAll(() => {
    reader = buildIndex(join(dir, 'all.ream'), pages);
    const rand = rng(5);
    const parts: TestPage[][] = [[], []];
    for (const p of pages) parts[rand() < 0.5 ? 0 : 1]!.push(p);
    parts.forEach((s, i) => shards.push(buildIndex(join(dir, `shard${i}.ream`), s)));
  });
  afterAll(() => {
    reader.close();
    for (const r of shards) r.close();
    cleanup();
  });

  it('stores each block\'s competitive (tf, length) pairs', () => {
    const lengths = reader.lengths();
    let multiBlock = 0;
    for (const info of reader.terms()) {
      const part = reader.docPart(info);
      const t = decodeSkipTable(part);
      if (t.blocks > 1) multiBlock++;
      const docs = new Int32Array(POSTING_BLOCK);
      const tfs = new Int32Array(POSTING_BLOCK);
      for (let b = 0; b < t.blocks; b++) {
        const n = decodeBlock(part, t, b, docs, tfs);
        const want = frontier([...docs.subarray(0, n)].map((d, i) => [tfs[i]!, lengths[d]!]));
        const got: [number, number][] = [];
        blockImpacts(part, t, b, (tf, len) => got.push([tf, len]));
        expect(got, `${Buffer.from(info.term).toString()} block ${b}`).toEqual(want);
      }
    }
    expect(multiBlock).toBeGreaterThan(20);
  });

  it('bounds a block\'s documents by tf alone: per tf, the best score a document of the block with that tf has at most', () => {
    const lengths = reader.lengths();
    const avgdl = reader.stats.totalTokens / reader.stats.docCount;
    const out = new Float64Array(64);
    let attained = 0;
    for (const info of reader.terms()) {
      // the words on many pages: blocks of many tfs and lengths
      if (info.df < 100) continue;
      const source = new TermSource(reader, info);
      const idf = 1.7;
      for (let b = 0; b < source.bounds.blocks; b++) {
        out.fill(-1);
        const maxTf = source.blockTfBounds(b, idf, avgdl, out);
        const n = source.cursor.loadBlock(b);
        const best = new Map<number, number>();
        for (let i = 0; i < n; i++) {
          const tf = source.cursor.blockTfs[i]!;
          const score = termScore(idf, tf, lengths[source.cursor.blockDocs[i]!]!, avgdl);
          expect(tf).toBeLessThanOrEqual(maxTf);
          if (tf < out.length) expect(score, `${Buffer.from(info.term).toString()} block ${b} tf ${tf}`).toBeLessThanOrEqual(out[tf]!);
          best.set(tf, Math.max(best.get(tf) ?? 0, score));
        }
        // where a document has the block's largest tf, or a tf of an impact, the bound is its score
        for (const [tf, score] of best) if (score === out[tf]) attained++;
        expect(best.get(maxTf)).toBeDefined();
      }
    }
    expect(attained).toBeGreaterThan(1000);
  });

  it('the top k equals the best k of every match, for every query type', () => {
    const rand = rng(9);
    const word = () => {
      const p = pages[Math.floor(rand() * pages.length)]!;
      return p.tokens[Math.floor(rand() * p.tokens.length)]!;
    };
    const queries: string[] = [];
    for (let i = 0; i < 40; i++) {
      queries.push(word(), `${word()} ${word()}`, `${word()} ${word()} ${word()}`, `${word()} -${word()}`, `${word()} OR ${word()}`);
      queries.push(`"${word()} ${word()}"`, `${word().slice(0, 1)}* ${word()}`, `${word()} doc:gen/001*`, `${word()} page:1?`, `${word()} ${word()} OR ${word()}`);
    }
    let compared = 0;
    for (const searcher of [new Searcher([reader]), new Searcher(shards)]) {
      for (const text of queries) {
        const q = parseQuery(text, analyzer);
        const every = searcher.search(q, { k: 1e9, offset: 0, groupByDoc: false });
        for (const k of [1, 10, 50]) {
          expect(searcher.search(q, { k, offset: 0, groupByDoc: false }).map(key), `${text} k=${k}`).toEqual(every.slice(0, k).map(key));
        }
        if (every.length > 10) compared++;
      }
    }
    expect(compared).toBeGreaterThan(300);
  });
});

describe('a rare word with words on most pages', () => {
  const { dir, cleanup } = workdir();
  // 24,000 short pages: "common" on most of them, "often" on ~43% (over 64 blocks, with an idf that
  // counts), "rare" on ~100 spread over all of them: its one block spans every block of the others
  const rand = rng(17);
  const pages: TestPage[] = [];
  for (let i = 0; i < 24_000; i++) {
    const tokens: string[] = [];
    const len = 2 + Math.floor(rand() * 30);
    for (let t = 0; t < len; t++) tokens.push(rand() < 0.2 ? 'common' : rand() < 0.041 ? 'often' : `w${Math.floor(rand() * 50)}`);
    if (rand() < 0.004) for (let t = 1 + Math.floor(rand() * 3); t > 0; t--) tokens.splice(Math.floor(rand() * tokens.length), 0, 'rare');
    pages.push({ doc: `doc${String(i >> 4).padStart(5, '0')}`, page: (i & 15) + 1, tokens });
  }
  let reader: IndexReader;
  beforeAll(() => {
    reader = buildIndex(join(dir, 'spread.ream'), pages);
  });
  afterAll(() => {
    reader.close();
    cleanup();
  });

  it('the top k equals the best k of every match when the others are bounded loosely over many blocks', () => {
    const searcher = new Searcher([reader]);
    const df = (w: string) => reader.lookup(Buffer.from(w))!.df;
    expect(df('rare')).toBeGreaterThan(50);
    expect(df('rare')).toBeLessThanOrEqual(128);
    expect(df('often') / 128).toBeGreaterThan(70);
    expect(df('often')).toBeLessThan(pages.length / 2);
    let compared = 0;
    for (const text of ['rare common', 'common rare', 'rare often', 'rare common often', 'rare w3', 'rare common -w7', 'rare common OR often']) {
      const q = parseQuery(text, analyzer);
      const every = searcher.search(q, { k: 1e9, offset: 0, groupByDoc: false });
      for (const k of [1, 3, 10]) expect(searcher.search(q, { k, offset: 0, groupByDoc: false }).map(key), `${text} k=${k}`).toEqual(every.slice(0, k).map(key));
      if (every.length > 10) compared++;
    }
    expect(compared).toBeGreaterThan(5);
  });
});

describe('phrase matching', () => {
  const { dir, cleanup } = workdir();
  afterAll(cleanup);

  it('finds phrases in pages whose parts are placed past their token count (positions beyond the length)', () => {
    const rand = rng(23);
    const words = ['a', 'b', 'c'];
    const pages: { doc: string; parts: { tokens: string[]; start: number }[] }[] = [];
    for (let i = 0; i < 300; i++) {
      const parts: { tokens: string[]; start: number }[] = [];
      let start = 0;
      for (let k = 0; k < 1 + (i % 4); k++) {
        const tokens = Array.from({ length: 1 + Math.floor(rand() * (i % 5 === 0 ? 3 : 60)) }, () => (rand() < 0.9 ? words[Math.floor(rand() * 3)]! : `w${i % 7}`));
        parts.push({ tokens, start });
        // gaps of a few tokens up to tens of millions (wider than 24 bits)
        start += tokens.length + Math.floor(rand() ** 3 * (i % 3 === 0 ? 1 << 26 : 5000));
      }
      pages.push({ doc: `g/${String(i).padStart(4, '0')}`, parts });
    }
    const path = join(dir, 'gaps.ream');
    const builder = new IndexBuilder(path, { analyzer: analyzer.id, storedFields: [], storeText: false, memoryBytes: 1 << 30 });
    for (const p of pages) builder.add({ doc: p.doc, page: 1, fields: '', parts: p.parts });
    builder.finish();
    const reader = IndexReader.open(path);
    try {
      for (const phrase of [['a', 'b'], ['b', 'b', 'c'], ['w1', 'a'], ['c', 'w3'], ['a', 'a']]) {
        const want: [number, number][] = [];
        pages.forEach((p, id) => {
          let n = 0;
          for (const { tokens } of p.parts) for (let i = 0; i + phrase.length <= tokens.length; i++) if (phrase.every((w, k) => tokens[i + k] === w)) n++;
          // words that end one part and begin the next only meet when the parts touch
          for (let k = 1; k < p.parts.length; k++) {
            const [x, y] = [p.parts[k - 1]!, p.parts[k]!];
            if (x.start + x.tokens.length !== y.start) continue;
            const joined = [...x.tokens, ...y.tokens];
            for (let i = Math.max(0, x.tokens.length - phrase.length + 1); i < x.tokens.length && i + phrase.length <= joined.length; i++) if (phrase.every((w, j) => joined[i + j] === w)) n++;
          }
          if (n > 0) want.push([id, n]);
        });
        const got = phraseMatches(reader, phrase.map((w) => Buffer.from(w)));
        expect([...got.docs].map((d, i) => [d, got.tfs[i]!]), phrase.join(' ')).toEqual(want);
      }
    } finally {
      reader.close();
    }
  });

  it('finds every place a phrase starts, with position gaps from one to thousands of tokens', () => {
    // words recurring every few tokens or after hundreds of others (wide position deltas)
    const rand = rng(17);
    const words = ['a', 'b', 'c', 'd'];
    const pages: TestPage[] = [];
    for (let i = 0; i < 700; i++) {
      const tokens: string[] = [];
      const len = 20 + Math.floor(rand() * (i % 7 === 0 ? 20000 : 400));
      for (let t = 0; t < len; t++) tokens.push(rand() < 0.97 ? words[Math.floor(rand() * words.length)]! : `w${Math.floor(rand() * 50)}`);
      // fillers at the start too: a document's first position is then far from 0
      if (i % 3 !== 2) tokens.splice(i % 3 === 0 ? 0 : Math.floor(rand() * tokens.length), 0, ...Array<string>(130 + Math.floor(rand() * 300)).fill('filler'));
      pages.push({ doc: `p/${String(i).padStart(4, '0')}`, page: 1, tokens });
    }
    const reader = buildIndex(join(dir, 'phrases.ream'), pages);
    try {
      const phrases = [['a', 'b'], ['b', 'a'], ['a', 'a'], ['w3', 'a'], ['a', 'w7'], ['c', 'd', 'a'], ['filler', 'a'], ['a', 'filler'], ['w1', 'b', 'w2'], ['w5', 'w9'], ['w2', 'filler']];
      for (const words of phrases) {
        // page i is document i (names sort as the pages were made)
        const want: [number, number][] = [];
        pages.forEach((p, id) => {
          let n = 0;
          for (let i = 0; i + words.length <= p.tokens.length; i++) if (words.every((w, k) => p.tokens[i + k] === w)) n++;
          if (n > 0) want.push([id, n]);
        });
        const got = phraseMatches(reader, words.map((w) => Buffer.from(w)));
        expect([...got.docs].map((d, i) => [d, got.tfs[i]!]), words.join(' ')).toEqual(want);
      }
    } finally {
      reader.close();
    }
  });
});

describe('phrase matching on two threads', () => {
  const { dir, cleanup } = workdir();
  afterAll(cleanup);

  it('a phrase whose rarest word is on many pages gives the same matches on two threads, the second thread taking ranges', () => {
    // pages of a few words of three: each word on more than PARALLEL_FROM_PAGES pages
    const rand = rng(41);
    const words = ['a', 'b', 'c'];
    const pages: TestPage[] = [];
    for (let i = 0; i < 36000; i++) pages.push({ doc: `p/${String(i).padStart(5, '0')}`, page: 1, tokens: Array.from({ length: 4 + Math.floor(rand() * 6) }, () => words[Math.floor(rand() * 3)]!) });
    const reader = buildIndex(join(dir, 'threads.ream'), pages);
    const single = IndexReader.open(join(dir, 'threads.ream'));
    try {
      const phrases = [['a', 'b'], ['b', 'a'], ['c', 'c'], ['a', 'b', 'c'], ['c', 'a', 'a']];
      for (const p of phrases) expect(reader.lookup(Buffer.from(p[0]!))!.df).toBeGreaterThanOrEqual(PARALLEL_FROM_PAGES);
      const want = phrases.map((p) => {
        const found: [number, number][] = [];
        pages.forEach((page, id) => {
          let n = 0;
          for (let i = 0; i + p.length <= page.tokens.length; i++) if (p.every((w, k) => page.tokens[i + k] === w)) n++;
          if (n > 0) found.push([id, n]);
        });
        return found;
      });
      // the thread starts with the first such phrase and takes part from a later one on
      const deadline = Date.now() + 20000;
      for (let round = 0; round < 3 || (rangesMatchedByThread(reader) === 0 && Date.now() < deadline); round++) {
        phrases.forEach((p, k) => {
          const got = phraseMatches(reader, p.map((w) => Buffer.from(w)), 2);
          expect([...got.docs].map((d, i) => [d, got.tfs[i]!]), p.join(' ')).toEqual(want[k]);
        });
      }
      expect(rangesMatchedByThread(reader)).toBeGreaterThan(0);
      // the same thread serves another index: the pages but the last 5000 of this one
      const other = buildIndex(join(dir, 'threads-other.ream'), pages.slice(0, 31000));
      try {
        for (let round = 0; round < 3 || (rangesMatchedByThread(other) === 0 && Date.now() < deadline); round++) {
          const got = phraseMatches(other, [Buffer.from('a'), Buffer.from('b')], 2);
          expect([...got.docs].map((d, i) => [d, got.tfs[i]!])).toEqual(want[0]!.filter(([d]) => d < 31000));
        }
        expect(rangesMatchedByThread(other)).toBeGreaterThan(0);
      } finally {
        other.close();
      }
      // one thread: the same, and no second thread
      const got = phraseMatches(single, [Buffer.from('a'), Buffer.from('b')], 1);
      expect([...got.docs].map((d, i) => [d, got.tfs[i]!])).toEqual(want[0]);
      expect(rangesMatchedByThread(single)).toBe(0);
    } finally {
      reader.close();
      single.close();
    }
  }, 60000);
});

describe('the part cache', () => {
  const { dir, cleanup } = workdir();
  afterAll(cleanup);

  it('keeps checked parts between queries up to its size, and none with a size of 0', () => {
    const pages = generatedPages({ docs: 40, pagesPerDoc: 5, vocabulary: 50, seed: 3, minLen: 20, maxLen: 80 });
    const path = join(dir, 'cache.ream');
    buildIndex(path, pages).close();
    const kept = IndexReader.open(path);
    const none = IndexReader.open(path, { cacheBytes: 0 });
    try {
      const info = kept.lookup(Buffer.from(pages[0]!.tokens[0]!))!;
      expect(kept.docPart(info)).toBe(kept.docPart(info));
      expect(kept.positionsPart(info)).toBe(kept.positionsPart(info));
      expect(none.docPart(info)).not.toBe(none.docPart(info));
      expect(none.docPart(info).equals(kept.docPart(info))).toBe(true);
      // the answers do not depend on it
      const q = parseQuery(`"${pages[0]!.tokens.slice(0, 2).join(' ')}" OR ${pages[1]!.tokens[3]}`, analyzer);
      const hits = (r: IndexReader) => new Searcher([r]).search(q, { k: 10, offset: 0, groupByDoc: false }).map((h) => [h.id, h.score]);
      expect(hits(none)).toEqual(hits(kept));
      expect(hits(none).length).toBeGreaterThan(0);
    } finally {
      kept.close();
      none.close();
    }
  });

  it('gives the same phrase matches whether the words stay in the WebAssembly memory, are dropped or read again', () => {
    const pages = generatedPages({ docs: 60, pagesPerDoc: 5, vocabulary: 12, seed: 8, minLen: 30, maxLen: 300 });
    const path = join(dir, 'phrases.ream');
    buildIndex(path, pages).close();
    // all kept; a few KB (words dropped within a phrase's neighbours); none kept
    const readers = [IndexReader.open(path), IndexReader.open(path, { cacheBytes: 3000 }), IndexReader.open(path, { cacheBytes: 0 })];
    const rand = rng(5);
    try {
      for (let q = 0; q < 80; q++) {
        const p = pages[Math.floor(rand() * pages.length)]!.tokens;
        const at = Math.floor(rand() * (p.length - 3));
        const words = p.slice(at, at + 2 + (q % 3));
        const want: [number, number][] = [];
        pages.forEach((page, id) => {
          let n = 0;
          for (let i = 0; i + words.length <= page.tokens.length; i++) if (words.every((w, k) => page.tokens[i + k] === w)) n++;
          if (n > 0) want.push([id, n]);
        });
        for (const r of readers) {
          const got = phraseMatches(r, words.map((w) => Buffer.from(w)));
          expect([...got.docs].map((d, i) => [d, got.tfs[i]!]), words.join(' ')).toEqual(want);
        }
      }
    } finally {
      for (const r of readers) r.close();
    }
  });
});
