import { describe, expect, it } from 'vitest';
import { B, K1, idf, termScore } from '../../src/index/bm25.js';

// FTS5's bm25() (fts5_aux.c) as written there: termScore computes it with constants folded and in
// two small functions, which must not change a single bit of any score.
const fts5 = (idfValue: number, tf: number, length: number, avgdl: number) => idfValue * ((tf * (K1 + 1.0)) / (tf + K1 * (1 - B + (B * length) / avgdl)));

describe('termScore', () => {
  it('equals FTS5’s expression to the last bit', () => {
    let seed = 7;
    const random = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
    for (let i = 0; i < 100_000; i++) {
      const n = 1 + Math.floor(random() * 1e6);
      const value = idf(n, 1 + Math.floor(random() * n));
      const tf = 1 + Math.floor(random() * (i % 2 ? 8 : 500));
      const length = tf + Math.floor(random() * 5000);
      const avgdl = 1 + random() * 2000;
      const got = termScore(value, tf, length, avgdl);
      if (got !== fts5(value, tf, length, avgdl)) expect([value, tf, length, avgdl, got]).toEqual('equal to FTS5');
    }
  });

  it('clamps idf like FTS5', () => {
    expect(idf(10, 9)).toBe(1e-6);
    expect(idf(10, 1)).toBe(Math.log(9.5 / 1.5));
  });
});
