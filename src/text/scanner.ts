// The word scanner: one pass over the text by char code, finding words (UAX #29-like: letters, marks
// and digits, apostrophes between letters, . and , between digits), runs of ideographs and runs of
// Thai-like scripts. It repairs PDF damage on the way: soft hyphens and zero-width characters are
// dropped, and a word hyphenated at a line end (`infor-\nmation`) is joined when the evidence says
// it was a hyphenation rather than a compound (`well-\nknown`), see joinsAcrossLineEnd.
import { CharClass, Script, classOf, classOfCodePoint, scriptOfCode } from './chars.js';

/** The word has a character outside ASCII (needs NFKC and full case folding). */
export const NON_ASCII = 1;
/** The word has an ASCII capital. */
export const UPPER = 2;
/** The word's text has characters to drop (invisibles, a line-end hyphenation). */
export const EDITED = 4;

export interface ScanSink {
  /** A word of a space-separated script: text[start, end), with flags and the script of its first letter. */
  word(start: number, end: number, flags: number, script: Script): void;
  /** A run of Han/kana characters: text[start, end). */
  ideographs(start: number, end: number): void;
  /** A run of Thai/Lao/Khmer/Myanmar characters: text[start, end). */
  southAsian(start: number, end: number): void;
}

function classAt(text: string, i: number): CharClass {
  const c = text.charCodeAt(i);
  if (c >= 0xd800 && c <= 0xdbff) {
    const cp = text.codePointAt(i)!;
    return cp > 0xffff ? classOfCodePoint(cp) : CharClass.Separator;
  }
  return classOf(c);
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** ASCII letters and digits: the only ASCII characters that start a word. */
const ASCII_WORD = new Uint8Array(128);
for (let c = 0; c < 128; c++) ASCII_WORD[c] = (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || isDigit(c) ? 1 : 0;

const OTHER = 0;
const LOWER_LETTER = 1;
/** Equal to the UPPER flag, so that a word's kinds OR-ed together give its flag. */
const UPPER_LETTER = UPPER;
const DIGIT = 4;
/** ASCII letters and digits by kind (one bit each); everything else OTHER. */
const ASCII_KIND = new Uint8Array(128);
for (let c = 0; c < 128; c++) ASCII_KIND[c] = c >= 97 && c <= 122 ? LOWER_LETTER : c >= 65 && c <= 90 ? UPPER_LETTER : isDigit(c) ? DIGIT : OTHER;

/** Scans text, calling the sink for every word or run, in text order. */
export function scan(text: string, sink: ScanSink): void {
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c < 128) {
      if (ASCII_WORD[c] === 1) i = scanWord(text, i, sink);
      else i++;
      continue;
    }
    const cls = classAt(text, i);
    if (cls === CharClass.Word) i = scanWord(text, i, sink);
    else if (cls === CharClass.Ideograph) i = scanRun(text, i, CharClass.Ideograph, sink);
    else if (cls === CharClass.SouthAsian) i = scanRun(text, i, CharClass.SouthAsian, sink);
    else i += c >= 0xd800 && c <= 0xdbff && isLowSurrogate(text.charCodeAt(i + 1)) ? 2 : 1;
  }
}

function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}

function scanRun(text: string, start: number, kind: CharClass, sink: ScanSink): number {
  const n = text.length;
  let j = start;
  while (j < n) {
    const cls = classAt(text, j);
    if (cls !== kind && !(kind === CharClass.SouthAsian && cls === CharClass.Invisible)) break;
    j += text.charCodeAt(j) >= 0xd800 && text.charCodeAt(j) <= 0xdbff ? 2 : 1;
  }
  if (kind === CharClass.Ideograph) sink.ideographs(start, j);
  else sink.southAsian(start, j);
  return j;
}

function scanWord(text: string, start: number, sink: ScanSink): number {
  const n = text.length;
  let j = start;
  let flags = 0;
  let script = Script.Unknown;
  let prev = 0; // last char code taken into the word
  while (j < n) {
    let c = text.charCodeAt(j);
    if (c < 128) {
      let kind = ASCII_KIND[c]!;
      if (kind !== OTHER) {
        // The common case: a run of ASCII letters and digits, in a tight loop.
        let kinds = 0;
        do {
          kinds |= kind;
          prev = c;
          if (++j === n) break;
          c = text.charCodeAt(j);
          kind = c < 128 ? ASCII_KIND[c]! : OTHER;
        } while (kind !== OTHER);
        flags |= kinds & UPPER_LETTER;
        if (kinds & (LOWER_LETTER | UPPER_LETTER) && script === Script.Unknown) script = Script.Latin;
        continue;
      }
      if (c === 39) {
        if (!(isLetterCode(prev) && j + 1 < n && isLetterAt(text, j + 1))) break;
      } else if (c === 46 || c === 44) {
        if (!(isDigit(prev) && j + 1 < n && isDigit(text.charCodeAt(j + 1)))) break;
      } else if (c === 45) {
        const next = lineEndContinuation(text, j + 1);
        if (next < 0 || !joinsAcrossLineEnd(text, start, j, next)) break;
        flags |= EDITED;
        prev = c;
        j = next;
        continue;
      } else break;
      prev = c;
      j++;
      continue;
    }
    const cls = classAt(text, j);
    const width = c >= 0xd800 && c <= 0xdbff ? 2 : 1;
    if (cls === CharClass.Word) {
      flags |= NON_ASCII;
      if (script === Script.Unknown || script === Script.Other) {
        const s = width === 1 ? scriptOfCode(c) : Script.Other;
        if (s !== Script.Other || script === Script.Unknown) script = s;
      }
    } else if (cls === CharClass.Invisible) {
      if (c === 0xad) {
        // A soft hyphen marks a hyphenation point: the word goes on, even across a line end.
        const next = lineEndContinuation(text, j + 1);
        if (next >= 0) {
          flags |= EDITED;
          j = next;
          continue;
        }
      }
      if (!(j + 1 < n && classAt(text, j + 1) === CharClass.Word)) break;
      flags |= EDITED;
      j++;
      continue;
    } else if (cls === CharClass.Apostrophe) {
      if (!(isLetterCode(prev) && j + 1 < n && isLetterAt(text, j + 1))) break;
      flags |= NON_ASCII;
    } else if (cls === CharClass.Hyphen) {
      const next = lineEndContinuation(text, j + 1);
      if (next < 0 || !joinsAcrossLineEnd(text, start, j, next)) break;
      flags |= EDITED | NON_ASCII;
      prev = c;
      j = next;
      continue;
    } else break;
    prev = c;
    j += width;
  }
  if (script === Script.Unknown) script = Script.Other;
  sink.word(start, j, flags, script);
  return j;
}

function isLetterCode(c: number): boolean {
  if (c < 128) return (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
  return c < 0xd800 && classOf(c) === CharClass.Word;
}

function isLetterAt(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  if (isDigit(c)) return false;
  return isLetterCode(c) || (c >= 0xd800 && classAt(text, i) === CharClass.Word);
}

/**
 * After a hyphen at text[i-1]: if only spaces, one line break and spaces follow before a letter,
 * the index of that letter; otherwise -1.
 */
function lineEndContinuation(text: string, i: number): number {
  const n = text.length;
  let newlines = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      if (++newlines > 1) return -1;
    } else if (c !== 32 && c !== 9 && c !== 13) break;
    i++;
  }
  if (newlines !== 1 || i >= n) return -1;
  return isLetterAt(text, i) ? i : -1;
}

/**
 * Whether `left-\nright` (left = text[start, hyphen), right starts at `next`) is one word broken by
 * hyphenation (join) or a hyphenated compound that happens to break at its hyphen (keep apart).
 * Without a dictionary the page itself is the evidence: the compound written with its hyphen
 * elsewhere, or both halves used as words elsewhere while the joined form is not, keep the hyphen;
 * a capital or digit after the break (Max-\nPlanck, ISO-\n9000) keeps it too; otherwise join, as
 * hyphenation is by far the commoner cause of a hyphen at a line end in typeset text.
 */
export function joinsAcrossLineEnd(text: string, start: number, hyphen: number, next: number): boolean {
  const first = text.charCodeAt(next);
  const ch = String.fromCharCode(first);
  if (ch !== ch.toLowerCase()) return false;
  if (isDigit(text.charCodeAt(hyphen - 1))) return false;
  let end = next;
  while (end < text.length && isLetterAt(text, end)) end++;
  const left = text.slice(start, hyphen);
  const right = text.slice(next, end);
  if (left.length === 0 || right.length === 0) return true;
  if (containsWord(text, left + right)) return true;
  if (containsWord(text, `${left}-${right}`)) return false;
  const elsewhere = (w: string, at: number): boolean => containsWord(text, w, at);
  return !(elsewhere(left, start) && elsewhere(right, next));
}

/** Whether w occurs in text as a whole word (not at index `except`). */
function containsWord(text: string, w: string, except = -1): boolean {
  for (let at = text.indexOf(w); at >= 0; at = text.indexOf(w, at + 1)) {
    if (at === except) continue;
    const before = at > 0 ? text.charCodeAt(at - 1) : 32;
    const after = at + w.length < text.length ? text.charCodeAt(at + w.length) : 32;
    if (!isWordCode(before) && !isWordCode(after)) return true;
  }
  return false;
}

function isWordCode(c: number): boolean {
  if (c < 128) return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || isDigit(c);
  return c < 0xd800 && classOf(c) === CharClass.Word;
}

/** The word's characters without invisibles and without the hyphen and spaces of a joined line end. */
export function cleanWord(text: string, start: number, end: number): string {
  let out = '';
  let i = start;
  while (i < end) {
    const c = text.charCodeAt(i);
    if (c === 45 || c === 0x2010 || c === 0x2011 || c === 0xad) {
      // only line-end hyphenations (and soft hyphens) made it into a word: skip to the next letter
      let k = i + 1;
      while (k < end && (text.charCodeAt(k) <= 32)) k++;
      i = k;
      continue;
    }
    if (c < 128 || classOf(c) !== CharClass.Invisible) out += text[i];
    i++;
  }
  return out;
}
