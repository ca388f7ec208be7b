// The build's term table: a term's first 32 UTF-16 units are compared inline, longer ones in the
// character pool, and the table is kept from run to run. Terms at and around that limit, sharing
// long prefixes, or made of surrogate pairs must each keep their own postings, in one run or many.
import { afterAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { IndexBuilder } from '../../src/index/build.js';
import { IndexReader } from '../../src/index/codec/reader.js';
import { getAnalyzer } from '../../src/text/analyzer.js';
import { workdir } from '../helpers.js';
import { rng, toInput, type TestPage } from './corpus.js';

const analyzer = getAnalyzer('standard');

describe('build term table', () => {
  const { dir, cleanup } = workdir();
  afterAll(cleanup);

  const long = 'p'.repeat(32);
  const vocabulary = [
    'a', 'ab', 'ba', 'x'.repeat(31), 'x'.repeat(32), 'x'.repeat(33), 'x'.repeat(64),
    `${long}a`, `${long}b`, `${long}ab`, `${long}`, `${long.slice(1)}q`,
    'ünïcödé', '𝔘𝔫𝔦𝔠𝔬𝔡𝔢', '𝔘'.repeat(16), '𝔘'.repeat(17), `${'𝔘'.repeat(15)}x`,
    ...Array.from({ length: 300 }, (_, i) => `w${i}`),
  ];
  const rand = rng(5);
  const pages: TestPage[] = Array.from({ length: 600 }, (_, i) => ({
    doc: `d/${String(i).padStart(4, '0')}`,
    page: 1,
    tokens: Array.from({ length: 5 + Math.floor(rand() * 200) }, () => vocabulary[Math.floor(rand() ** 2 * vocabulary.length)]!),
  }));

  function build(name: string, memoryBytes: number): { path: string; runs: number } {
    const path = join(dir, name);
    const b = new IndexBuilder(path, { analyzer: analyzer.id, storedFields: [], storeText: false, memoryBytes });
    for (const p of pages) b.add(toInput(p));
    return { path, runs: b.finish().runs };
  }

  it('keeps every term apart, in one run or in many', () => {
    const want = new Map<string, { df: number; cf: number }>();
    for (const p of pages) {
      for (const t of new Set(p.tokens)) {
        const s = want.get(t) ?? { df: 0, cf: 0 };
        s.df++;
        s.cf += p.tokens.filter((x) => x === t).length;
        want.set(t, s);
      }
    }
    const one = build('one.ream', 1 << 30);
    const many = build('many.ream', 1 << 20);
    expect(one.runs).toBe(1);
    expect(many.runs).toBeGreaterThan(3);
    const reader = IndexReader.open(one.path);
    try {
      const got = new Map([...reader.terms()].map((t) => [Buffer.from(t.term).toString('utf8'), { df: t.df, cf: t.cf }]));
      expect(got).toEqual(want);
    } finally {
      reader.close();
    }
    expect(readFileSync(many.path).equals(readFileSync(one.path))).toBe(true);
  });
});
