// Turns pdf.js text items into page text, and repairs what PDF producers commonly get wrong:
// accents drawn as separate spacing glyphs (old dvips: `f¨ur`), letter-spaced runs (`H e l l o`),
// and decomposed characters (NFC). De-hyphenation is deliberately not done here: it is a
// tokenization decision (ream tokenize), and extract keeps the page text as printed.

/** The part of a pdf.js TextItem that text assembly needs. */
export interface TextRun {
  str: string;
  /** [a, b, c, d, e, f]: e, f is the origin of the run in user space. */
  transform: number[];
  width: number;
  height: number;
  hasEOL: boolean;
}

/**
 * Joins text runs in content order: a newline where pdf.js says a line ends or the baseline moves by
 * more than half a line, a space where a gap on the same line is wider than a fraction of the font
 * size and pdf.js did not put one.
 */
export function joinRuns(runs: readonly TextRun[]): string {
  let out = '';
  // The last character of `out`, kept apart: reading it from `out` would flatten the string being
  // built (a rope) at every run, copying the page text over and over. -1 while `out` is empty.
  let last = -1;
  // Recent runs, to drop text drawn again on top of itself (fake bold: the same glyphs printed 2–4
  // times a fraction of a point apart), as pdftotext does.
  const recent: Array<{ str: string; x: number; y: number }> = [];
  const glyphs = new RecentGlyphs();
  let lastX: number | undefined;
  let lastStartX: number | undefined;
  let lastY: number | undefined;
  let lastHeight = 0;
  for (const run of runs) {
    const x = run.transform[4]!;
    const y = run.transform[5]!;
    // The font size: the run's height, except in vertical writing, where pdf.js gives the run's advance
    // as its height (a whole column) and the text matrix has the size.
    const scale = Math.hypot(run.transform[2]!, run.transform[3]!);
    const height = Math.abs(run.height);
    const size = (height && scale ? Math.min(height, scale) : height || scale) || lastHeight;
    let str = run.str;
    if (countNonSpace(str, 1) > 0) {
      const near = size * 0.2;
      if (recent.some((r) => r.str === str && Math.abs(r.x - x) < near && Math.abs(r.y - y) < near)) continue;
      recent.push({ str, x, y });
      if (recent.length > 4) recent.shift();
      if (run.transform[1] === 0 && run.transform[2] === 0) {
        str = dropOverprintedPrefix(str, x, y, run.width, size, glyphs);
        if (str.length === 0) continue;
      }
    }
    if (str.length > 0 && lastY !== undefined && last !== -1 && !isBreak(last)) {
      const lineStep = Math.max(size, lastHeight) * 0.5;
      if (Math.abs(y - lastY) > lineStep) {
        out += '\n';
        last = 10;
      } else if (lastX !== undefined && lastStartX !== undefined && !isSpace(str.charCodeAt(0))) {
        const start = x + run.width * (1 - str.length / run.str.length);
        // A run that lies left of the previous one (right-to-left text, or runs drawn out of order):
        // the gap is between its end and the previous run's start.
        const gap = start < lastStartX ? lastStartX - (x + run.width) : start - lastX;
        if (gap > size * 0.25) {
          out += ' ';
          last = 32;
        }
      }
    }
    if (str.length > 0) {
      out += str;
      last = str.charCodeAt(str.length - 1);
    }
    if (run.str.length > 0) {
      lastStartX = x;
      lastX = x + run.width;
      lastY = y;
      lastHeight = size;
    }
    if (run.hasEOL && last !== 10) {
      out += '\n';
      last = 10;
    }
  }
  return out;
}

/** How many recently drawn glyphs the overprint check remembers. */
const GLYPH_MEMORY = 32;

/**
 * The last GLYPH_MEMORY glyphs drawn (code point and estimated position), in a ring of typed arrays:
 * this is filled for every run of every page, so it makes no object per glyph.
 */
class RecentGlyphs {
  private readonly codePoint = new Int32Array(GLYPH_MEMORY).fill(-1);
  private readonly x = new Float64Array(GLYPH_MEMORY);
  private readonly y = new Float64Array(GLYPH_MEMORY);
  private next = 0;

  add(codePoint: number, x: number, y: number): void {
    const i = this.next;
    this.codePoint[i] = codePoint;
    this.x[i] = x;
    this.y[i] = y;
    this.next = i + 1 === GLYPH_MEMORY ? 0 : i + 1;
  }

  /** Whether `codePoint` was drawn less than `tight` away from (x, y) in both directions. */
  has(codePoint: number, x: number, y: number, tight: number): boolean {
    for (let i = 0; i < GLYPH_MEMORY; i++) {
      if (this.codePoint[i] === codePoint && Math.abs(this.x[i]! - x) < tight && Math.abs(this.y[i]! - y) < tight) return true;
    }
    return false;
  }
}

/**
 * Fake bold drawn glyph by glyph (each glyph 2–3 times, a fraction of a point apart): pdf.js merges a
 * copy with the next glyph into one run (`T`, `T`, `Te`, `e`, `es`…), which the whole-run check cannot
 * catch. Drops the leading characters of `str` that repeat a recently drawn glyph at (nearly) the same
 * place, and remembers this run's last glyphs; positions inside a run are estimated from its width
 * (glyphs are code points: a surrogate pair is one glyph, a lone surrogate too).
 */
function dropOverprintedPrefix(str: string, x: number, y: number, width: number, size: number, glyphs: RecentGlyphs): string {
  let count = 0;
  for (let i = 0; i < str.length; i += utf16Length(str.codePointAt(i)!)) count++;
  const advance = width / count;
  const tight = size * 0.1;
  // Leading glyphs drawn already, checked before this run's glyphs are remembered.
  let drop = 0;
  let dropAt = 0;
  while (dropAt < str.length) {
    const c = str.codePointAt(dropAt)!;
    if (isSpace(c) || !glyphs.has(c, x + advance * drop, y, tight)) break;
    drop++;
    dropAt += utf16Length(c);
  }
  for (let i = 0, n = 0; i < str.length; n++) {
    const c = str.codePointAt(i)!;
    if (n >= count - GLYPH_MEMORY) glyphs.add(c, x + advance * n, y);
    i += utf16Length(c);
  }
  return drop === 0 ? str : str.slice(dropAt);
}

/** Code units of a code point (as codePointAt gives it: a lone surrogate is one). */
function utf16Length(codePoint: number): number {
  return codePoint > 0xffff ? 2 : 1;
}

function isBreak(c: number): boolean {
  return c === 10 || c === 32 || c === 9;
}

// Spacing accents and the combining marks they stand for. ASCII ` ^ ~ are left alone: they are
// common in code and text.
const SPACING_TO_COMBINING: Record<string, string> = {
  '\u00a8': '\u0308', // ¨ diaeresis
  '\u00b4': '\u0301', // ´ acute
  '\u02dc': '\u0303', // ˜ small tilde
  '\u00b8': '\u0327', // ¸ cedilla
  '\u02c7': '\u030c', // ˇ caron
  '\u02d8': '\u0306', // ˘ breve
  '\u02d9': '\u0307', // ˙ dot above
  '\u00af': '\u0304', // ¯ macron
  '\u02da': '\u030a', // ˚ ring above
  '\u02dd': '\u030b', // ˝ double acute
  '\u02c6': '\u0302', // ˆ modifier circumflex
  '\u02cb': '\u0300', // ˋ modifier grave
};
const SPACING_ACCENT = /([\u00a8\u00b4\u02dc\u00b8\u02c7\u02d8\u02d9\u00af\u02da\u02dd\u02c6\u02cb])\s?(\p{L})|(\p{L})([\u00a8\u00b4\u02dc\u00b8\u02c7\u02d8\u02d9\u00af\u02da\u02dd\u02c6\u02cb])(?=\P{L}|$)/gu;

/**
 * Puts accents drawn as separate glyphs back on their letter (`f¨ur` → `für`, `e´te´` → `été`), but
 * only where the letter and mark compose into one precomposed character; anything else is kept.
 */
export function composeSpacingAccents(text: string): string {
  if (!/[\u00a8\u00b4\u02dc\u00b8\u02c7\u02d8\u02d9\u00af\u02da\u02dd\u02c6\u02cb]/.test(text)) return text;
  return text.replace(SPACING_ACCENT, (whole, accentBefore: string | undefined, letterAfter: string | undefined, letterBefore: string | undefined, accentAfter: string | undefined) => {
    const letter = letterAfter ?? letterBefore!;
    const accent = accentBefore ?? accentAfter!;
    const composed = (letter + SPACING_TO_COMBINING[accent]!).normalize('NFC');
    return composed.length === letter.length ? composed : whole;
  });
}

/**
 * Collapses letter-spaced lines (`T h e  q u i c k`) where it is safe: every word on the line is a
 * single character and words are told apart by wider gaps (two or more spaces). Lines without wider
 * gaps are left alone: `a b c` may well be three one-letter words.
 */
export function collapseLetterSpacing(text: string): string {
  if (!/\S \S \S/.test(text)) return text;
  return text.replace(/^.*$/gm, (line) => {
    const trimmed = line.trim();
    if (trimmed.length < 7 || !/\S {2,}\S/.test(trimmed)) return line;
    const words = trimmed.split(/ {2,}/);
    if (words.length < 2) return line;
    let glyphs = 0;
    for (const w of words) {
      const parts = w.split(' ');
      for (const p of parts) if ([...p].length !== 1) return line;
      glyphs += parts.length;
    }
    if (glyphs < 6) return line;
    return words.map((w) => w.replaceAll(' ', '')).join(' ');
  });
}

/** The text cleanup applied to every page: accents, letter spacing, NFC, trailing spaces. */
export function cleanPageText(raw: string): string {
  let text = raw.replace(/\u0000/g, '');
  text = composeSpacingAccents(text);
  text = collapseLetterSpacing(text);
  text = text.normalize('NFC');
  return text.replace(/[ \t]+$/gm, '').replace(/\n{3,}/g, '\n\n').replace(/^\n+|\s+$/g, '');
}

/** Whether the UTF-16 code unit (or code point) `c` is whitespace as the regex `\s` and trim() define it. */
function isSpace(c: number): boolean {
  if (c <= 0x20) return c === 0x20 || (c >= 0x09 && c <= 0x0d);
  if (c < 0xa0) return false;
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

/** Non-whitespace code units of `s`, counted up to `limit` (the per-page checks only compare with small numbers). */
export function countNonSpace(s: string, limit = Infinity): number {
  let n = 0;
  for (let i = 0; i < s.length && n < limit; i++) if (!isSpace(s.charCodeAt(i))) n++;
  return n;
}

/** Junk: control characters other than whitespace, private use, unassigned, the replacement character. */
const JUNK = /[\x00-\x08\x0e-\x1f\x7f-\x9f\p{Co}\p{Cn}\ufffd]/u;
/** JUNK's answer per UTF-16 code unit, found the first time the unit is seen: 0 not yet, 1 junk, 2 not. */
const JUNK_UNIT = new Uint8Array(0x10000);

/** Characters that are text (letters, digits, punctuation, symbols) rather than junk from a font without a usable encoding. */
export function usableCharRatio(text: string): number {
  // One pass, no regular expression per page (this runs on every page): below U+0378, the first
  // unassigned code point, only control characters are junk; above, JUNK decides once per code unit
  // (per surrogate pair for the rare astral characters, which count once).
  let total = 0;
  let junk = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x378) {
      if (isSpace(c)) continue;
      total++;
      if (c <= 0x08 || (c >= 0x0e && c <= 0x1f) || (c >= 0x7f && c <= 0x9f)) junk++;
      continue;
    }
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = i + 1 < text.length ? text.charCodeAt(i + 1) : 0;
      if (next >= 0xdc00 && next <= 0xdfff) {
        total++;
        if (JUNK.test(text.slice(i, i + 2))) junk++;
        i++;
      }
      // a lone high surrogate is neither counted nor junk (it is category Cs)
      continue;
    }
    if (isSpace(c)) continue;
    total++;
    let kind = JUNK_UNIT[c]!;
    if (kind === 0) JUNK_UNIT[c] = kind = JUNK.test(String.fromCharCode(c)) ? 1 : 2;
    if (kind === 1) junk++;
  }
  if (total <= 0) return 1;
  return (total - junk) / total;
}
