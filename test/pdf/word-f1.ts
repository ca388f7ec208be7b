// Word-multiset F1 between two texts, the quality measure of extract against pdftotext: lower-case,
// NFKC, words of letters/digits/marks, each Han/Kana/Hangul/Thai character its own token.
export function wordF1(ours: string, reference: string): number {
  const a = bag(ours);
  const b = bag(reference);
  let na = 0;
  let nb = 0;
  let both = 0;
  for (const v of a.values()) na += v;
  for (const v of b.values()) nb += v;
  if (na + nb === 0) return 1;
  for (const [k, v] of a) both += Math.min(v, b.get(k) ?? 0);
  return (2 * both) / (na + nb);
}

function bag(s: string): Map<string, number> {
  const m = new Map<string, number>();
  const tokens = s.normalize('NFKC').toLowerCase().match(/[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Thai}]|[\p{L}\p{N}\p{M}]+/gu) ?? [];
  for (const t of tokens) m.set(t, (m.get(t) ?? 0) + 1);
  return m;
}
