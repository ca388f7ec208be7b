// Merge properties (fast-check): shards merged equal one build byte for byte, merge is associative
// and does not depend on the order of its inputs; later inputs replace documents; deletions.
import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { IndexBuilder } from '../../src/index/build.js';
import { IndexReader } from '../../src/index/codec/reader.js';
import { CorruptIndex } from '../../src/index/codec/layout.js';
import { mergeIndexes } from '../../src/index/merge.js';
import { Searcher } from '../../src/index/search.js';
import { parseQuery } from '../../src/index/query.js';
import { getAnalyzer } from '../../src/text/analyzer.js';
import { workdir } from '../helpers.js';
import { generatedPages, toInput, type TestPage } from './corpus.js';
import { compareUtf8 } from '../../src/index/keys.js';

const analyzer = getAnalyzer('standard');
const { dir, cleanup } = workdir();
afterAll(cleanup);
let serial = 0;

function build(pages: TestPage[], memoryBytes = 1 << 30, positionsInMemory?: number): string {
  const path = join(dir, `b${serial++}.ream`);
  const b = new IndexBuilder(path, { analyzer: analyzer.id, storedFields: [], storeText: false, memoryBytes, positionsInMemory });
  for (const p of pages) b.add(toInput(p));
  b.finish();
  return path;
}

function merge(paths: string[], replace: 'doc' | 'page' = 'doc', deleted?: Set<string>, windowBytes?: number): string {
  const out = join(dir, `m${serial++}.ream`);
  const readers = paths.map((p) => IndexReader.open(p));
  try {
    mergeIndexes(readers, out, { replace, deleted, windowBytes });
  } finally {
    for (const r of readers) r.close();
  }
  return out;
}

const bytes = (p: string) => readFileSync(p);

function search(path: string, query: string) {
  const r = IndexReader.open(path);
  try {
    return new Searcher([r]).search(parseQuery(query, analyzer), { k: 1000, offset: 0, groupByDoc: false }).map((h) => [h.doc.doc, h.doc.page, h.score]);
  } finally {
    r.close();
  }
}

const word = fc.constantFrom('alpha', 'beta', 'gamma', 'delta', 'eps', 'zeta', 'eta', 'theta', 'ünï', '𝔘code');
/** Pages with distinct (doc, page) keys. */
const pagesArb = fc
  .uniqueArray(fc.record({ doc: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'é', 'z𝔘'), page: fc.integer({ min: 0, max: 6 }) }), { selector: (k) => `${k.doc}#${k.page}`, minLength: 1, maxLength: 30 })
  .chain((keys) => fc.tuple(...keys.map((k) => fc.array(word, { maxLength: 30 }).map((tokens) => ({ ...k, tokens })))));

/** Splits pages into 1–4 shards, whole documents per shard. */
function shardByDoc(pages: TestPage[], seed: number, n: number): TestPage[][] {
  const shards: TestPage[][] = Array.from({ length: n }, () => []);
  for (const p of pages) shards[(p.doc.charCodeAt(0) + seed) % n]!.push(p);
  return shards;
}

describe('merge', () => {
  it('shards then merge equals one build, byte for byte, in any input order', () => {
    fc.assert(
      fc.property(pagesArb, fc.integer({ min: 0, max: 5 }), fc.integer({ min: 1, max: 4 }), (pages, seed, n) => {
        const whole = bytes(build(pages));
        const shards = shardByDoc(pages, seed, n).map((s) => build(s));
        expect(bytes(merge(shards)).equals(whole)).toBe(true);
        expect(bytes(merge([...shards].reverse())).equals(whole)).toBe(true);
      }),
      { numRuns: 40 },
    );
  });

  it('shards whose postings span many 128-document blocks, cut anywhere, merge to one build byte for byte', () => {
    // common words give every term several posting blocks; shard sizes that are not multiples of 128
    // put the output's block boundaries inside the inputs' blocks (multiples of 32 pages line up the
    // blocks' steps into the positions, which merge then takes from the input instead of scanning)
    const pages = generatedPages({ docs: 120, pagesPerDoc: 5, vocabulary: 300, seed: 7, minLen: 5, maxLen: 60 });
    const docs = [...new Set(pages.map((p) => p.doc))].sort(compareUtf8);
    const whole = bytes(build(pages));
    for (const cuts of [[13, 57, 101], [1, 2, 119], [60], [32, 96]]) {
      const edges = [0, ...cuts, docs.length];
      const shards = edges.slice(1).map((end, i) => {
        const names = new Set(docs.slice(edges[i], end));
        return build(pages.filter((p) => names.has(p.doc)));
      });
      expect(bytes(merge(shards)).equals(whole)).toBe(true);
      expect(bytes(merge([...shards].reverse())).equals(whole)).toBe(true);
      // windows smaller than most terms: positions are scanned and copied from the files
      for (const windowBytes of [16, 300]) expect(bytes(merge(shards, 'doc', undefined, windowBytes)).equals(whole)).toBe(true);
    }
  });

  it('with positions left in the files, any single-byte change to an input fails the merge or changes nothing', () => {
    const pages = generatedPages({ docs: 30, pagesPerDoc: 4, vocabulary: 80, seed: 3, minLen: 5, maxLen: 60 });
    const docs = [...new Set(pages.map((p) => p.doc))].sort(compareUtf8);
    const first = new Set(docs.slice(0, 11));
    const a = build(pages.filter((p) => first.has(p.doc)));
    const b = build(pages.filter((p) => !first.has(p.doc)));
    const good = bytes(merge([a, b], 'doc', undefined, 16));
    const original = bytes(a);
    const damaged = join(dir, 'damaged.ream');
    fc.assert(
      fc.property(fc.integer({ min: 0, max: original.length - 1 }), fc.integer({ min: 1, max: 255 }), (at, xor) => {
        const copy = Buffer.from(original);
        copy[at]! ^= xor;
        writeFileSync(damaged, copy);
        let out: string;
        try {
          out = merge([damaged, b], 'doc', undefined, 16);
        } catch (err) {
          expect(err).toBeInstanceOf(CorruptIndex);
          return;
        }
        expect(bytes(out).equals(good)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('is associative: (a+b)+c = a+(b+c) byte for byte', () => {
    fc.assert(
      fc.property(pagesArb, fc.integer({ min: 0, max: 5 }), (pages, seed) => {
        const [a, b, c] = shardByDoc(pages, seed, 3).map((s) => build(s));
        expect(bytes(merge([merge([a!, b!]), c!])).equals(bytes(merge([a!, merge([b!, c!])])))).toBe(true);
      }),
      { numRuns: 30 },
    );
  });

  it('runs keep long document names and stored fields (records past the read-ahead)', () => {
    const long = 'd'.repeat(70_000);
    const pages: TestPage[] = [
      { doc: 'a', page: 1, tokens: ['x', 'y'] },
      { doc: long, page: 2, tokens: ['y', 'z', 'y'] },
      { doc: `${long}b`, page: 0, tokens: ['x'] },
    ];
    expect(bytes(build(pages, 1)).equals(bytes(build(pages)))).toBe(true);
  });

  it('a build that spills sorted runs equals one that does not, pages arriving in any order', () => {
    fc.assert(
      fc.property(pagesArb, fc.integer(), (pages, seed) => {
        const shuffled = [...pages].sort((x, y) => ((x.tokens.length * 31 + seed) % 7) - ((y.tokens.length * 31 + seed) % 7));
        const whole = bytes(build(pages));
        expect(bytes(build(shuffled, 1)).equals(whole)).toBe(true);
        // and with a term's coded positions held in memory only a few bytes at a time (a temp file)
        expect(bytes(build(shuffled, 1, 3)).equals(whole)).toBe(true);
        expect(bytes(build(pages, 1 << 30, 1)).equals(whole)).toBe(true);
        expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
      }),
      { numRuns: 30 },
    );
  });

  it('index→merge→search equals index-all-at-once→search', () => {
    fc.assert(
      fc.property(pagesArb, fc.integer({ min: 0, max: 5 }), word, word, (pages, seed, w1, w2) => {
        const whole = build(pages);
        const merged = merge(shardByDoc(pages, seed, 3).map((s) => build(s)));
        for (const q of [w1, `${w1} ${w2}`, `${w1} OR ${w2}`, `"${w1} ${w2}"`, `${w1.slice(0, 2)}*`, `${w1} -${w2}`]) {
          expect(search(merged, q)).toEqual(search(whole, q));
        }
      }),
      { numRuns: 25 },
    );
  });

  it('the input listed last wins for a document in several inputs; deletions drop documents', () => {
    const old = build([
      { doc: 'r', page: 1, tokens: ['old', 'text'] },
      { doc: 'r', page: 2, tokens: ['old', 'page'] },
      { doc: 's', page: 1, tokens: ['keep', 'me'] },
    ]);
    const fresh = build([{ doc: 'r', page: 1, tokens: ['new', 'text'] }]);
    const m = merge([old, fresh]);
    expect(search(m, 'old')).toEqual([]);
    expect(search(m, 'new').map((h) => h[0])).toEqual(['r']);
    expect(search(m, 'text').length).toBe(1);
    const back = merge([fresh, old]);
    expect(search(back, 'old').length).toBe(2);
    const gone = merge([m], 'doc', new Set(['s']));
    expect(search(gone, 'keep')).toEqual([]);
    const r = IndexReader.open(gone);
    expect(r.stats.docCount).toBe(1);
    expect([...r.terms()].map((t) => Buffer.from(t.term).toString())).toEqual(['new', 'text']);
    r.close();
  });

  it('deleting documents between kept ones keeps every position right (phrases still match)', () => {
    fc.assert(
      fc.property(pagesArb, fc.subarray(['a', 'b', 'c', 'd', 'e', 'é', 'z𝔘']), word, word, (pages, gone, w1, w2) => {
        const kept = pages.filter((p) => !gone.includes(p.doc));
        const merged = merge([build(pages)], 'doc', new Set(gone));
        if (kept.length === 0) return;
        const whole = build(kept);
        expect(bytes(merged).equals(bytes(whole))).toBe(true);
        expect(search(merged, `"${w1} ${w2}"`)).toEqual(search(whole, `"${w1} ${w2}"`));
      }),
      { numRuns: 40 },
    );
  });

  it('indexes searched together answer as their merge does when pages repeat (the last index wins)', () => {
    const searchAll = (paths: string[], query: string) => {
      const readers = paths.map((p) => IndexReader.open(p));
      try {
        return new Searcher(readers).search(parseQuery(query, analyzer), { k: 1000, offset: 0, groupByDoc: false }).map((h) => [h.doc.doc, h.doc.page, h.score]);
      } finally {
        for (const r of readers) r.close();
      }
    };
    fc.assert(
      fc.property(fc.array(pagesArb, { minLength: 2, maxLength: 3 }), word, word, (inputs, w1, w2) => {
        const shards = inputs.map((pages) => build(pages));
        // pages replace pages; and re-indexed documents with the same pages, as `ream merge` sees them
        const byPage = merge(shards, 'page');
        const rebuilt = [shards[0]!, build(inputs[0]!.map((p) => ({ ...p, tokens: [...p.tokens].reverse() })))];
        const byDoc = merge(rebuilt, 'doc');
        for (const q of [w1, `${w1} ${w2}`, `${w1} OR ${w2}`, `"${w1} ${w2}"`, `${w1.slice(0, 2)}*`, `${w1} -${w2}`]) {
          expect(searchAll(shards, q)).toEqual(search(byPage, q));
          expect(searchAll(rebuilt, q)).toEqual(search(byDoc, q));
        }
      }),
      { numRuns: 30 },
    );
  });

  it('refuses to merge indexes built with different analyzers', () => {
    const a = build([{ doc: 'a', page: 1, tokens: ['x'] }]);
    const path = join(dir, 'other.ream');
    const b = new IndexBuilder(path, { analyzer: 'other/1', storedFields: [], storeText: false, memoryBytes: 1 << 20 });
    b.add(toInput({ doc: 'b', page: 1, tokens: ['x'] }));
    b.finish();
    expect(() => merge([a, path])).toThrow(/analyzer other\/1.*one analyzer per index/);
  });
});
