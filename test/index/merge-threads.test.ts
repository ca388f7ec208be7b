// A merge split across threads (src/index/merge-parallel.ts) writes the same bytes as one thread:
// shards copied as runs, documents replaced or deleted (re-encoded), windows smaller than a term, any
// number of threads; the split is balanced; damage found by a merge thread fails the merge cleanly.
// The merge threads run the built dist/index-merge.worker.js (test/global-setup.ts builds it).
import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { IndexBuilder } from '../../src/index/build.js';
import { IndexReader } from '../../src/index/codec/reader.js';
import { CorruptIndex } from '../../src/index/codec/layout.js';
import { mergeIndexes } from '../../src/index/merge.js';
import { mergeInThreads, splitTerms } from '../../src/index/merge-parallel.js';
import { getAnalyzer } from '../../src/text/analyzer.js';
import { workdir } from '../helpers.js';
import { generatedPages, toInput, type TestPage } from './corpus.js';
import { compareUtf8 } from '../../src/index/keys.js';

const analyzer = getAnalyzer('standard');
const { dir, cleanup } = workdir();
afterAll(cleanup);
let serial = 0;

function build(pages: TestPage[]): string {
  const path = join(dir, `b${serial++}.ream`);
  const b = new IndexBuilder(path, { analyzer: analyzer.id, storedFields: [], storeText: false, memoryBytes: 1 << 30 });
  for (const p of pages) b.add(toInput(p));
  b.finish();
  return path;
}

function withReaders<T>(paths: string[], fn: (readers: IndexReader[]) => T): T {
  const readers = paths.map((p) => IndexReader.open(p));
  try {
    return fn(readers);
  } finally {
    for (const r of readers) r.close();
  }
}

function mergeOne(paths: string[], deleted?: Set<string>): Buffer {
  const out = join(dir, `one${serial++}.ream`);
  withReaders(paths, (readers) => mergeIndexes(readers, out, { replace: 'doc', deleted }));
  return readFileSync(out);
}

async function mergeThreaded(paths: string[], threads: number, deleted?: Set<string>, windowBytes?: number): Promise<{ bytes: Buffer; threads: number }> {
  const out = join(dir, `par${serial++}.ream`);
  const readers = paths.map((p) => IndexReader.open(p));
  try {
    const result = await mergeInThreads(readers, out, { replace: 'doc', deleted, threads, windowBytes });
    return { bytes: readFileSync(out), threads: result.threads };
  } finally {
    for (const r of readers) r.close();
  }
}

// ~1,500 terms (two dozen dictionary blocks), common words with many 128-document posting blocks
const pages = generatedPages({ docs: 90, pagesPerDoc: 4, vocabulary: 1500, seed: 11, minLen: 20, maxLen: 160 });
const docs = [...new Set(pages.map((p) => p.doc))].sort(compareUtf8);

/** Shards of whole documents, cut at the given document indexes. */
function shardsAt(cuts: number[]): string[] {
  const edges = [0, ...cuts, docs.length];
  return edges.slice(1).map((end, i) => {
    const names = new Set(docs.slice(edges[i], end));
    return build(pages.filter((p) => names.has(p.doc)));
  });
}

const leftovers = () => readdirSync(dir).filter((f) => f.endsWith('.tmp') || f.includes('.tmp.'));

describe('merge on several threads', () => {
  const shards = shardsAt([17, 40, 41, 77]);

  it('splits the terms into strictly increasing ranges of about equal postings bytes', () => {
    withReaders(shards, (readers) => {
      for (const parts of [2, 3, 5]) {
        const bounds = splitTerms(readers, parts);
        expect(bounds.length).toBe(parts - 1);
        for (let i = 1; i < bounds.length; i++) expect(bounds[i - 1]! < bounds[i]!).toBe(true);
        // the bytes of each range, counted term by term
        const sizes = new Array<number>(parts).fill(0);
        for (const r of readers) {
          for (const t of r.terms()) {
            const term = Buffer.from(t.term).toString('latin1');
            let k = 0;
            while (k < bounds.length && term >= bounds[k]!) k++;
            sizes[k]! += t.docsLength + t.posLength;
          }
        }
        const total = sizes.reduce((a, b) => a + b, 0);
        for (const size of sizes) expect(size / total).toBeGreaterThan(0.5 / parts);
      }
      expect(splitTerms(readers, 1)).toEqual([]);
    });
  });

  it('writes the bytes one thread writes: shards copied as runs, any number of threads, small windows', async () => {
    const one = mergeOne(shards);
    for (const threads of [2, 3, 5]) {
      const r = await mergeThreaded(shards, threads);
      expect(r.threads).toBe(threads);
      expect(r.bytes.equals(one)).toBe(true);
    }
    // windows smaller than most terms: positions scanned and copied from the files, in every thread
    for (const windowBytes of [16, 300]) expect((await mergeThreaded(shards, 2, undefined, windowBytes)).bytes.equals(one)).toBe(true);
    expect(leftovers()).toEqual([]);
  });

  it('writes the bytes one thread writes when documents are replaced or deleted (postings re-encoded)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.subarray(docs, { maxLength: 10 }), fc.integer({ min: 2, max: 4 }), async (gone, threads) => {
        // the last input repeats some documents of the first: they replace them
        const again = build(pages.filter((p) => p.doc < docs[25]!));
        const inputs = [...shards, again];
        const deleted = gone.length > 0 ? new Set(gone) : undefined;
        const r = await mergeThreaded(inputs, threads, deleted);
        expect(r.bytes.equals(mergeOne(inputs, deleted))).toBe(true);
      }),
      { numRuns: 8 },
    );
  });

  it('a damaged input found by a merge thread fails the merge with a CorruptIndex naming it, and leaves no files', async () => {
    // damage the postings of the last term (a merge thread's range) in the largest shard
    const victim = shards[3]!;
    const bytes = readFileSync(victim);
    const last = withReaders([victim], ([r]) => [...r!.terms()].at(-1)!);
    const damaged = join(dir, 'damaged.ream');
    const copy = Buffer.from(bytes);
    copy[last.posOffset]! ^= 0x40;
    writeFileSync(damaged, copy);
    const out = join(dir, 'never.ream');
    const readers = [shards[0]!, damaged].map((p) => IndexReader.open(p));
    try {
      const failed = mergeInThreads(readers, out, { replace: 'doc', threads: 2 });
      await expect(failed).rejects.toBeInstanceOf(CorruptIndex);
      await expect(failed).rejects.toThrow(/damaged\.ream: positions checksum mismatch/);
    } finally {
      for (const r of readers) r.close();
    }
    expect(readdirSync(dir)).not.toContain('never.ream');
    expect(leftovers()).toEqual([]);
  });
});
