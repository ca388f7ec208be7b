// BM25 exactly as SQLite FTS5's bm25() computes it (fts5_aux.c), with the sign flipped so that
// larger is better: idf = ln((N − n + 0.5)/(n + 0.5)), clamped to 1e-6 when <= 0; each phrase adds
// idf · (tf·(k1+1)) / (tf + k1·(1 − b + b·D/avgdl)); D is the page's exact token count. The
// operations run in FTS5's order so that scores are equal to the last bit.
export const K1 = 1.2;
export const B = 0.75;

export function idf(docCount: number, matching: number): number {
  const v = Math.log((docCount - matching + 0.5) / (matching + 0.5));
  return v <= 0 ? 1e-6 : v;
}

/** One phrase's contribution for a page with `tf` instances and `length` tokens. */
export function termScore(idfValue: number, tf: number, length: number, avgdl: number): number {
  return idfValue * ((tf * (K1 + 1.0)) / (tf + K1 * (1 - B + (B * length) / avgdl)));
}
