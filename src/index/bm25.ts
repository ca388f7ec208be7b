// BM25 exactly as SQLite FTS5's bm25() computes it (fts5_aux.c), with the sign flipped so that
// larger is better: idf = ln((N − n + 0.5)/(n + 0.5)), clamped to 1e-6 when <= 0; each phrase adds
// idf · (tf·(k1+1)) / (tf + k1·(1 − b + b·D/avgdl)); D is the page's exact token count. The
// operations run in FTS5's order so that scores are equal to the last bit.
export const K1 = 1.2;
export const B = 0.75;
// k1 + 1 and 1 − b as the literals they evaluate to (test/index/bm25.test.ts holds them to it), so
// that termScore's bytecode is small: see termScore.
const K1_PLUS_1 = 2.2;
const ONE_MINUS_B = 0.25;

export function idf(docCount: number, matching: number): number {
  const v = Math.log((docCount - matching + 0.5) / (matching + 0.5));
  return v <= 0 ? 1e-6 : v;
}

/**
 * One phrase's contribution for a page with `tf` instances and `length` tokens. Split in two
 * functions small enough (V8 bytecode ≤ 27 bytes) for V8 to inline wherever they are called, also
 * in a one-query search, which runs with inlining otherwise off (bin/ream): not inlined, each call
 * returned its score as a new heap object, the most garbage of any function in a fresh process's
 * AND query (~690 KB of 4.4 MB on average at 1M pages; ~390 KB since, from code not yet optimized).
 */
export function termScore(idfValue: number, tf: number, length: number, avgdl: number): number {
  return idfValue * ((tf * K1_PLUS_1) / (tf + lengthNorm(length, avgdl)));
}

/** k1·(1 − b + b·length/avgdl), in FTS5's order of operations. */
function lengthNorm(length: number, avgdl: number): number {
  return K1 * (ONE_MINUS_B + (B * length) / avgdl);
}
