// Character-level normalization of one word: NFKC (ligatures ﬁ → fi, full-width forms, compatibility
// digits), Unicode case folding that does not depend on the locale, and optional diacritic folding.

/**
 * NFKC + case folding. Greek also loses its accents (tonos, dialytika), as in Lucene's Greek
 * lower-casing: PDFs and stopword lists write them inconsistently. `toLowerCase()` is locale-independent in JS (I → i, never Turkish ı); on top
 * of it the full case folding steps it lacks: ß/ẞ → ss, final ς → σ, the dot that İ leaves
 * (i + U+0307) dropped, and typographic apostrophes (’ ʼ) made ASCII.
 */
export function foldCase(word: string): string {
  let w = word.normalize('NFKC').toLowerCase();
  for (let i = 0; i < w.length; i++) {
    const c = w.charCodeAt(i);
    if (c === 0xdf || c === 0x3c2 || c === 0x307 || c === 0x2019 || c === 0x2bc) {
      w = w.replace(/[\u00df\u03c2\u2019\u02bc]|(?<=i)\u0307/g, (m) => (m === 'ß' ? 'ss' : m === 'ς' ? 'σ' : m === '\u0307' ? '' : "'"));
      break;
    }
  }
  for (let i = 0; i < w.length; i++) {
    const c = w.charCodeAt(i);
    if ((c >= 0x370 && c <= 0x3ff) || (c >= 0x1f00 && c <= 0x1fff)) return stripMarks(w, isGreek);
  }
  return w;
}

function isGreek(base: number): boolean {
  return (base >= 0x370 && base <= 0x3ff) || (base >= 0x1f00 && base <= 0x1fff);
}

function isNotCyrillic(base: number): boolean {
  return !(base >= 0x400 && base <= 0x52f);
}

const COMBINING = /[\u0300-\u036f]/;

/**
 * Strips accents from Latin and Greek letters (café → cafe, ά → α). Cyrillic letters keep theirs:
 * й and ё are letters of their own there, not accented и and е.
 */
export function foldDiacritics(word: string): string {
  return stripMarks(word, isNotCyrillic);
}

/** Removes combining diacritics (U+0300–U+036F) from base letters the predicate accepts. */
function stripMarks(word: string, strip: (base: number) => boolean): string {
  const d = word.normalize('NFD');
  if (!COMBINING.test(d)) return word;
  let out = '';
  let base = 0;
  for (let i = 0; i < d.length; i++) {
    const c = d.charCodeAt(i);
    if (c >= 0x300 && c <= 0x36f && strip(base)) continue;
    if (c < 0x300 || c > 0x36f) base = c;
    out += d[i];
  }
  return out.normalize('NFC');
}
