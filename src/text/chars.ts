// Character classes for the tokenizer, looked up by UTF-16 code unit in flat tables. The tables are
// filled lazily, 256 code units at a time, from Unicode property regexes (ASCII, 128, without them),
// so start-up pays only for the blocks a text actually uses and the scan itself never runs a regex
// per character.

/** What a character does inside the word scanner. */
export const enum CharClass {
  Unknown = 0,
  /** Ends a word: spaces, punctuation, symbols. */
  Separator = 1,
  /** Letter, combining mark, digit or private-use character of a script that separates words with spaces. */
  Word = 2,
  /** Han, Hiragana, Katakana: no spaces between words, indexed as bigrams. */
  Ideograph = 3,
  /** Thai, Lao, Khmer, Myanmar: no spaces between words, split by ICU's dictionary. */
  SouthAsian = 4,
  /** Soft hyphen, zero-width space/joiners, word joiner, BOM: dropped, never end a word. */
  Invisible = 5,
  /** ' ’ ʼ: part of a word between two letters (don't, l'homme). */
  Apostrophe = 6,
  /** . , between two digits (3.14, 1,000). */
  NumberSeparator = 7,
  /** - ‐ ‑: split words, but a hyphen at a line end may be a hyphenation (see tokenizer). */
  Hyphen = 8,
}

/** Writing system of a word, for the `auto` analyzer. */
export const enum Script {
  Unknown = 0,
  Other = 1,
  Latin = 2,
  Cyrillic = 3,
  Greek = 4,
  Arabic = 5,
  Hebrew = 6,
  Hangul = 7,
  /** Han, kana, Thai and the like: handled by segmentation, not by language steps. */
  Unspaced = 8,
}

const classes = new Uint8Array(0x10000);
const scripts = new Uint8Array(0x10000);

const IDEOGRAPH = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\u30fc\u3005\u3006\uff70\uff9e\uff9f]/u;
const SOUTH_ASIAN = /[\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u;
// Private-use characters stand for glyphs a PDF font did not map (often a letter): keep them inside words.
const WORD = /[\p{L}\p{M}\p{N}\p{Co}]/u;
/** Soft hyphen, zero-width space/non-joiner/joiner, word joiner, BOM: dropped inside words. */
export const INVISIBLES = /[\u00ad\u200b-\u200d\u2060\ufeff]/g;
const INVISIBLE = new RegExp(INVISIBLES.source, 'u');

const SCRIPT_TESTS: Array<[RegExp, Script]> = [
  [/\p{Script=Latin}/u, Script.Latin],
  [/\p{Script=Cyrillic}/u, Script.Cyrillic],
  [/\p{Script=Greek}/u, Script.Greek],
  [/\p{Script=Arabic}/u, Script.Arabic],
  [/\p{Script=Hebrew}/u, Script.Hebrew],
  [/\p{Script=Hangul}/u, Script.Hangul],
];

function classify(ch: string): CharClass {
  switch (ch) {
    case "'": case '\u2019': case '\u02bc': return CharClass.Apostrophe;
    case '.': case ',': return CharClass.NumberSeparator;
    case '-': case '\u2010': case '\u2011': return CharClass.Hyphen;
  }
  if (INVISIBLE.test(ch)) return CharClass.Invisible;
  if (IDEOGRAPH.test(ch)) return CharClass.Ideograph;
  if (SOUTH_ASIAN.test(ch)) return CharClass.SouthAsian;
  if (WORD.test(ch)) return CharClass.Word;
  return CharClass.Separator;
}

function scriptOf(ch: string, cls: CharClass): Script {
  if (cls === CharClass.Ideograph || cls === CharClass.SouthAsian) return Script.Unspaced;
  for (const [re, script] of SCRIPT_TESTS) if (re.test(ch)) return script;
  return Script.Other;
}

/**
 * ASCII's classes without the regexes (compiling the Unicode ones cost every process ~2 ms, and
 * most queries and much text are ASCII alone); test/text/chars.test.ts holds them to fromProperties().
 */
function fillAscii(): void {
  for (let c = 0; c < 0x80; c++) {
    const letter = (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
    const cls = c === 0x27 ? CharClass.Apostrophe : c === 0x2e || c === 0x2c ? CharClass.NumberSeparator : c === 0x2d ? CharClass.Hyphen : letter || (c >= 0x30 && c <= 0x39) ? CharClass.Word : CharClass.Separator;
    classes[c] = cls;
    scripts[c] = letter ? Script.Latin : Script.Other;
  }
}

function fillBlock(code: number): void {
  // ASCII is filled apart (fillAscii), the rest of the first block from the regexes
  if (code < 0x80) return fillAscii();
  const base = code & 0xff00;
  for (let c = base === 0 ? 0x80 : base; c < base + 0x100; c++) {
    // Surrogates are resolved per code point by classOfCodePoint; give them a class that is never Unknown.
    if (c >= 0xd800 && c <= 0xdfff) {
      classes[c] = CharClass.Separator;
      scripts[c] = Script.Other;
      continue;
    }
    const [cls, script] = fromProperties(String.fromCharCode(c));
    classes[c] = cls;
    scripts[c] = script;
  }
}

/** A character's class and script as the Unicode property regexes give them. */
export function fromProperties(ch: string): [CharClass, Script] {
  const cls = classify(ch);
  return [cls, cls === CharClass.Word ? scriptOf(ch, cls) : cls === CharClass.Ideograph || cls === CharClass.SouthAsian ? Script.Unspaced : Script.Other];
}

/** Class of a BMP code unit (surrogates excluded: see classOfCodePoint). */
export function classOf(code: number): CharClass {
  let cls = classes[code]!;
  if (cls === CharClass.Unknown) {
    fillBlock(code);
    cls = classes[code]!;
  }
  return cls;
}

/** Script of a BMP code unit classified as Word, Ideograph or SouthAsian. */
export function scriptOfCode(code: number): Script {
  if (classes[code] === CharClass.Unknown) fillBlock(code);
  return scripts[code] as Script;
}

const astral = new Map<number, CharClass>();

/** Class of a supplementary-plane code point (CJK extension B+, math letters, emoji…). */
export function classOfCodePoint(cp: number): CharClass {
  let cls = astral.get(cp);
  if (cls === undefined) {
    cls = classify(String.fromCodePoint(cp));
    astral.set(cp, cls);
  }
  return cls;
}
