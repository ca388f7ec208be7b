// Corruption and misuse: any single-byte change is caught by the whole-file check (merge, --verify),
// and search on a damaged file either fails with a CorruptIndex or answers exactly as before.
import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { IndexBuilder } from '../../src/index/build.js';
import { IndexReader } from '../../src/index/codec/reader.js';
import { CorruptIndex, FORMAT_VERSION } from '../../src/index/codec/layout.js';
import { Searcher } from '../../src/index/search.js';
import { parseQuery } from '../../src/index/query.js';
import { getAnalyzer } from '../../src/text/analyzer.js';
import { workdir } from '../helpers.js';
import { generatedPages, toInput } from './corpus.js';

const analyzer = getAnalyzer('standard');
const { dir, cleanup } = workdir();
afterAll(cleanup);

const good = join(dir, 'good.ream');
const b = new IndexBuilder(good, { analyzer: analyzer.id, storedFields: ['title'], storeText: true, memoryBytes: 1 << 30 });
for (const p of generatedPages({ docs: 6, pagesPerDoc: 4, vocabulary: 60, seed: 1, maxLen: 40 })) b.add({ ...toInput(p), fields: '{"title":"t"}', text: p.tokens.join(' ') });
b.finish();
const original = readFileSync(good);
const queries = ['bb', 'bb cb', 'bb OR zzz', '"bb cb"', 'b*', 'bb -cb'];

function answers(path: string): unknown {
  const r = IndexReader.open(path);
  try {
    const s = new Searcher([r]);
    return queries.map((q) => s.search(parseQuery(q, analyzer), { k: 100, offset: 0, groupByDoc: false }).map((h) => [h.doc.doc, h.doc.page, h.score, h.doc.text, h.doc.fields]));
  } finally {
    r.close();
  }
}

describe('corruption', () => {
  const expected = answers(good);

  it('any single-byte change is detected by verify; search fails or answers as before', () => {
    const bad = join(dir, 'bad.ream');
    fc.assert(
      fc.property(fc.integer({ min: 0, max: original.length - 1 }), fc.integer({ min: 1, max: 255 }), (at, xor) => {
        const copy = Buffer.from(original);
        copy[at]! ^= xor;
        writeFileSync(bad, copy);
        let verified = true;
        try {
          const r = IndexReader.open(bad);
          try {
            r.verify();
          } finally {
            r.close();
          }
        } catch (err) {
          expect(err).toBeInstanceOf(CorruptIndex);
          verified = false;
        }
        expect(verified).toBe(false);
        try {
          expect(answers(bad)).toEqual(expected);
        } catch (err) {
          if (!(err instanceof CorruptIndex)) throw err;
          expect((err as Error).message).toMatch(/^.*bad\.ream: /);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('truncation at any length is a CorruptIndex', () => {
    const cut = join(dir, 'cut.ream');
    for (let n = 0; n < original.length; n += Math.max(1, Math.floor(original.length / 97))) {
      writeFileSync(cut, original.subarray(0, n));
      expect(() => {
        const r = IndexReader.open(cut);
        r.verify();
      }).toThrow(CorruptIndex);
    }
  });

  it('names a file that is not an index, and a newer or older format version', () => {
    const other = join(dir, 'other.txt');
    writeFileSync(other, 'hello\n'.repeat(100));
    expect(() => IndexReader.open(other)).toThrow(/not a ream index/);
    const newer = Buffer.from(original);
    newer.writeUInt32LE(FORMAT_VERSION + 1, 8);
    const path = join(dir, 'newer.ream');
    writeFileSync(path, newer);
    expect(() => IndexReader.open(path)).toThrow(new RegExp(`format version ${FORMAT_VERSION + 1} is newer than this ream reads \\(${FORMAT_VERSION}\\); upgrade ream`));
    // versions 1 to 3 code skip entries and positions otherwise: read as 4 they would give wrong answers
    const older = Buffer.from(original);
    for (const version of [1, 2, 3]) {
      older.writeUInt32LE(version, 8);
      writeFileSync(path, older);
      expect(() => IndexReader.open(path)).toThrow(new RegExp(`format version ${version} is older than this ream reads \\(${FORMAT_VERSION}\\); rebuild it with ream index`));
    }
  });
});
