// The analyzers' tokens of a JSON string, read from its UTF-8 bytes as they sit in an NDJSON line:
// no JS string of the text is made, and for ASCII words none at all. ASCII runs go through a byte
// state machine that applies the scanner's rules (scanner.ts) as they work on ASCII: letters and
// digits, ' between letters, . and , between digits, A-Z lower-cased, JSON escapes decoded. Words
// with language steps (stemming, stopwords) are looked up in a memo of their encoded tokens. A
// whitespace-separated span holding non-ASCII characters or \u escapes is handed to the analyzer
// itself (words never run across whitespace, except at a line-end hyphenation, so the analyzer
// tokenizes the span exactly as within the whole text), its tokens memoized by the span's bytes. The
// rare cases that depend on the whole text (a hyphen at a line end that may join two words) make
// tokenize() return false: the caller takes the reference path for that line.
import type { Analyzer } from './analyzer.js';
import { JsonTokenList } from './json-tokens.js';
import { hexAt } from '../stream/json-members.js';
import { EncodedMemo, FNV_OFFSET, FNV_PRIME } from './encoded-memo.js';

const LOWER = 1;
const UPPER = 2;
const DIGIT = 4;
const WORD_KINDS = LOWER | UPPER | DIGIT;
const CONTROL = 8;
const HIGH = 16;
const BACKSLASH_KIND = 32;

const BACKSLASH = 0x5c;
const QUOTE = 0x22;
const SPACE = 0x20;

/** Kind of every byte of a JSON string's content (0: an ASCII separator or one of ' . , -). */
const KIND = new Uint8Array(256);
/** A-Z → a-z, every other byte unchanged. */
const LOWERED = new Uint8Array(256);
for (let c = 0; c < 256; c++) {
  KIND[c] = c >= 97 && c <= 122 ? LOWER : c >= 65 && c <= 90 ? UPPER : c >= 48 && c <= 57 ? DIGIT : c < 0x20 ? CONTROL : c >= 0x80 ? HIGH : c === BACKSLASH ? BACKSLASH_KIND : 0;
  LOWERED[c] = c >= 65 && c <= 90 ? c + 32 : c;
}

/** ASCII letters and digits lower-cased, 0 for every other byte: one lookup per byte in the word loops. */
const WORD_LOWERED = new Uint8Array(256).map((_, c) => ((KIND[c]! & WORD_KINDS) !== 0 ? LOWERED[c]! : 0));

/** Bytes after a word's letters and digits that end it whatever follows (all but ' . , -, a backslash and non-ASCII). */
const ENDS_WORD = new Uint8Array(256);
for (let c = 0; c < 0x80; c++) ENDS_WORD[c] = (KIND[c]! & WORD_KINDS) === 0 && !"'.,-\\".includes(String.fromCharCode(c)) ? 1 : 0;

/** The escapes \" \\ \/ \b \f \n \r \t (the letter after the backslash). */
const SHORT_ESCAPE = new Uint8Array(256);
for (const c of '"\\/bfnrt') SHORT_ESCAPE[c.charCodeAt(0)] = 1;

/** ASCII separators skipped between words: KIND 0 but the quote (which ends the string). */
const SKIPPED = new Uint8Array(256).map((_, c) => (KIND[c] === 0 && c !== QUOTE ? 1 : 0));

/** Escapes that decode to whitespace the scanner looks across (after a hyphen): \n \r \t. */
function isWhitespaceEscape(e: number): boolean {
  return e === 0x6e || e === 0x74 || e === 0x72;
}

function isLetter(c: number): boolean {
  return (KIND[c]! & (LOWER | UPPER)) !== 0;
}

function isDigit(c: number): boolean {
  return KIND[c] === DIGIT;
}

/** The code unit of the \u escape whose hex digits start at i, or -1 when they are not hex. */
function escapedUnit(buf: Uint8Array, i: number): number {
  if (!hexAt(buf, i)) return -1;
  return parseInt(String.fromCharCode(buf[i]!, buf[i + 1]!, buf[i + 2]!, buf[i + 3]!), 16);
}

/** An ASCII character that can be part of a word in the scanner (letters, digits, ' . , -). */
function inWordAscii(c: number): boolean {
  return (KIND[c]! & WORD_KINDS) !== 0 || c === 0x27 || c === 0x2e || c === 0x2c || c === 0x2d;
}

/** A hyphen, soft hyphen or non-breaking hyphen followed by spaces and a line end, or ending the span. */
const HYPHEN_AT_LINE_END = /[-\u00ad\u2010\u2011][ \t\r]*(?:\n|$)/;

/** Longer words skip the language steps (as in analyzer.ts). */
const MAX_STEMMED_LENGTH = 100;

export class ByteTokenizer {
  /** No language steps for ASCII words: they are copied lower-cased. */
  private readonly copiesWords: boolean;
  /** Tokens of ASCII words (for analyzers with language steps), by the word lower-cased. */
  private readonly words: EncodedMemo;
  /** Tokens of spans with non-ASCII characters, by their bytes. */
  private readonly spans: EncodedMemo;
  private readonly scratch = new JsonTokenList();

  /** `memoEntries`: entries each memo holds before it evicts (tests make it small). */
  constructor(
    private readonly analyzer: Analyzer,
    memoEntries?: number,
  ) {
    this.copiesWords = analyzer.keepsAsciiWords();
    this.words = new EncodedMemo(LOWERED, { maxEntries: memoEntries });
    this.spans = new EncodedMemo(SAME, { maxEntries: memoEntries });
  }

  /**
   * Appends to `list` (opened by the caller) the tokens of the JSON string content buf[start, end)
   * (between the quotes; buf[end] is the closing quote). False when the line must take the
   * reference path: the text is not valid JSON, or its tokens depend on the whole text.
   */
  tokenize(buf: Buffer, start: number, end: number, list: JsonTokenList): boolean {
    // The list's state lives in locals while words are copied; room for the copies is made once
    // (an ASCII word of n bytes takes n + 3 bytes, and at least n + 1 bytes of the text unless last).
    // Word loops need no bounds check: buf[end] is the closing quote, which ends any word.
    list.reserve(2 * (end - start) + 16);
    let out = list.bytes;
    let at = list.length;
    let count = list.count;
    const copiesWords = this.copiesWords;
    let i = start;
    while (i < end) {
      let c = buf[i]!;
      // Separators and the escapes of separators between words, in a loop of their own. No bounds
      // check: the closing quote at buf[end] is not skipped (a quote inside the text is escaped).
      for (;;) {
        if (SKIPPED[c] === 1) c = buf[++i]!;
        else if (c === BACKSLASH && SHORT_ESCAPE[buf[i + 1]!] === 1) c = buf[(i += 2)]!;
        else break;
      }
      if (i >= end) break;
      const kind = KIND[c]!;
      let spanFrom = -1;
      if ((kind & WORD_KINDS) !== 0) {
        const s = i;
        let j = s;
        let next: number;
        if (copiesWords || kind === DIGIT) {
          // Copied lower-cased as it is scanned; taken back if the word turns out to need the analyzer.
          const mark = at;
          if (count > 0) out[at++] = 0x2c;
          out[at++] = QUOTE;
          for (;;) {
            for (let lower = WORD_LOWERED[c]!; lower !== 0; lower = WORD_LOWERED[c]!) {
              out[at++] = lower;
              c = buf[++j]!;
            }
            if (j >= end || ENDS_WORD[c] === 1 || (c === BACKSLASH && buf[j + 1] !== 0x75) || (next = wordGoesOn(buf, j, end)) === ENDS) break;
            if (next !== GOES_ON) {
              if (next === REFUSE) return false;
              at = mark;
              spanFrom = s;
              break;
            }
            out[at++] = c;
            c = buf[++j]!;
          }
          if (spanFrom < 0) {
            out[at++] = QUOTE;
            count++;
            i = j;
            continue;
          }
        } else {
          // Language steps: the word's token comes from the memo, looked up by a hash taken as it is scanned.
          let h = FNV_OFFSET;
          for (;;) {
            for (let lower = WORD_LOWERED[c]!; lower !== 0; lower = WORD_LOWERED[c]!) {
              h = Math.imul(h ^ lower, FNV_PRIME);
              c = buf[++j]!;
            }
            if (j >= end || ENDS_WORD[c] === 1 || (c === BACKSLASH && buf[j + 1] !== 0x75) || (next = wordGoesOn(buf, j, end)) === ENDS) break;
            if (next !== GOES_ON) {
              if (next === REFUSE) return false;
              spanFrom = s;
              break;
            }
            h = Math.imul(h ^ c, FNV_PRIME);
            c = buf[++j]!;
          }
          if (spanFrom < 0) {
            i = j;
            if (j - s > MAX_STEMMED_LENGTH) {
              if (count++ > 0) out[at++] = 0x2c;
              out[at++] = QUOTE;
              for (let k = s; k < j; k++) out[at++] = LOWERED[buf[k]!]!;
              out[at++] = QUOTE;
              continue;
            }
            const memo = this.words;
            let entry = memo.findHashed(buf, s, j, h);
            if (entry < 0) {
              // Always kept: a word of at most MAX_STEMMED_LENGTH chars has one short token.
              const token = this.encodedWordToken(buf, s, j);
              entry = memo.add(buf, s, j, token.bytes, token.length, token.count);
            }
            const length = memo.valueLength(entry);
            if (length === 0) continue;
            if (at + length + 1 > out.length) {
              list.length = at;
              list.reserve(length + 1 + 2 * (end - j) + 16);
              out = list.bytes;
            }
            if (count++ > 0) out[at++] = 0x2c;
            at = memo.copyValue(entry, out, at);
            continue;
          }
        }
      } else if (kind === 0) {
        i++;
        continue;
      } else if (kind === BACKSLASH_KIND) {
        const e = buf[i + 1]!;
        if (e === 0x75) {
          const unit = escapedUnit(buf, i + 2);
          if (unit < 0) return false;
          // Between words, ASCII separators are skipped; anything else goes to the analyzer.
          if (unit >= 0x80 || (KIND[unit]! & WORD_KINDS) !== 0) spanFrom = i;
          else i += 6;
        } else if (SHORT_ESCAPE[e] === 1) {
          i += 2;
        } else return false;
        if (spanFrom < 0) continue;
      } else if (kind === CONTROL) {
        return false;
      } else spanFrom = i;
      list.length = at;
      list.count = count;
      i = this.span(buf, spanFrom, end, list);
      if (i < 0) return false;
      list.reserve(2 * (end - i) + 16);
      out = list.bytes;
      at = list.length;
      count = list.count;
    }
    list.length = at;
    list.count = count;
    return true;
  }

  /** The token of the ASCII word buf[s, e) as JSON bytes, empty when it is dropped. */
  private encodedWordToken(buf: Buffer, s: number, e: number): JsonTokenList {
    // The word is ASCII letters, digits and ' . , only: toLowerCase() is A-Z → a-z.
    const token = this.analyzer.asciiWordToken(buf.toString('latin1', s, e).toLowerCase());
    const list = this.scratch;
    list.length = 0;
    list.count = 0;
    if (token.length > 0) list.token(token);
    return list;
  }

  /**
   * Hands the analyzer the span from r (a position between words) up to the next whitespace: a span
   * with non-ASCII bytes or \u escapes. Its tokens do not depend on the rest of the text (words
   * never run across whitespace, but for line-end hyphens, which are refused), so they are memoized
   * by the span's bytes. Returns the index after the span, or -1 (reference path).
   */
  private span(buf: Buffer, r: number, end: number, list: JsonTokenList): number {
    let k = r;
    let escaped = false;
    // The memo's hash of the span's bytes, taken on the way (spans with escapes are hashed again by find()).
    let h = FNV_OFFSET;
    while (k < end) {
      const b = buf[k]!;
      if (b === SPACE) break;
      if (b === BACKSLASH) {
        const e = buf[k + 1]!;
        if (isWhitespaceEscape(e)) break;
        escaped = true;
        k += e === 0x75 ? 6 : 2;
        continue;
      }
      if (b < 0x20) return -1;
      h = Math.imul(h ^ b, FNV_PRIME);
      k++;
    }
    if (k > end) return -1;
    const memoized = k - r <= MAX_MEMO_SPAN_BYTES;
    const memo = this.spans;
    let entry = !memoized ? -1 : escaped ? memo.find(buf, r, k) : memo.findHashed(buf, r, k, h);
    if (entry < 0) {
      let text = buf.toString('utf8', r, k);
      if (escaped) {
        try {
          text = JSON.parse(`"${text}"`) as string;
        } catch {
          return -1;
        }
      }
      if (HYPHEN_AT_LINE_END.test(text)) return -1;
      if (!memoized) {
        this.analyzer.appendJson(text, list);
        return k;
      }
      const tokens = this.scratch;
      tokens.length = 0;
      tokens.count = 0;
      this.analyzer.appendJson(text, tokens);
      entry = memo.add(buf, r, k, tokens.bytes, tokens.length, tokens.count);
      if (entry < 0) {
        this.analyzer.appendJson(text, list);
        return k;
      }
    }
    const length = memo.valueLength(entry);
    if (length === 0) return k;
    list.reserve(length + 1);
    let at = list.length;
    if (list.count > 0) list.bytes[at++] = 0x2c;
    list.count += memo.tokenCount(entry);
    list.length = memo.copyValue(entry, list.bytes, at);
    return k;
  }
}

/** Spans longer than this (runs of CJK text, URLs) are analyzed each time rather than memoized. */
const MAX_MEMO_SPAN_BYTES = 64;

/** wordGoesOn(): the word ends before this character. */
const ENDS = 0;
/** wordGoesOn(): the character is part of the word (' . ,). */
const GOES_ON = 1;
/** wordGoesOn(): the word runs into a non-ASCII character or a \u escape (the analyzer takes its span). */
const TO_SPAN = 2;
/** wordGoesOn(): the line takes the reference path (a line-end hyphenation that the whole text decides, a bad escape). */
const REFUSE = 3;

/** After an ASCII word's letters and digits, what the scanner does with the character at buf[j] (j < end). */
function wordGoesOn(buf: Uint8Array, j: number, end: number): number {
  const c = buf[j]!;
  if (c === 0x27) {
    // ' between letters
    if (!isLetter(buf[j - 1]!)) return ENDS;
    const next = buf[j + 1]!;
    if (isLetter(next)) return GOES_ON;
    return next >= 0x80 || (next === BACKSLASH && buf[j + 2] === 0x75) ? TO_SPAN : ENDS;
  }
  if (c === 0x2e || c === 0x2c) {
    // . or , between digits
    if (!isDigit(buf[j - 1]!)) return ENDS;
    const next = buf[j + 1]!;
    if (isDigit(next)) return GOES_ON;
    return next === BACKSLASH && buf[j + 2] === 0x75 ? TO_SPAN : ENDS;
  }
  if (c === 0x2d) return hyphenNeedsText(buf, j, end) ? REFUSE : ENDS;
  if (c >= 0x80) return TO_SPAN;
  if (c === BACKSLASH && buf[j + 1] === 0x75) {
    const unit = escapedUnit(buf, j + 2);
    if (unit < 0) return REFUSE;
    if (unit >= 0x80 || inWordAscii(unit)) return TO_SPAN;
  }
  return ENDS;
}

/**
 * A hyphen at buf[h] after a letter or digit: whether the scanner's line-end join
 * (joinsAcrossLineEnd) would look at the whole text, rather than simply end the word there.
 */
function hyphenNeedsText(buf: Uint8Array, h: number, end: number): boolean {
  let k = h + 1;
  let newlines = 0;
  while (k < end) {
    const b = buf[k]!;
    if (b === SPACE) k++;
    else if (b === BACKSLASH) {
      const e = buf[k + 1]!;
      if (e === 0x6e) {
        if (++newlines > 1) return false;
        k += 2;
      } else if (e === 0x74 || e === 0x72) k += 2;
      else if (e === 0x75) {
        const unit = escapedUnit(buf, k + 2);
        if (unit === 9 || unit === 10 || unit === 13 || unit === 32 || unit < 0) return true;
        break;
      } else break;
    } else break;
  }
  if (newlines !== 1 || k >= end) return false;
  const next = buf[k]!;
  if (next >= 0x80) return true;
  if (next === BACKSLASH) return buf[k + 1] === 0x75;
  // A capital after the break, or a digit before the hyphen, keeps the words apart; a lower-case
  // letter asks whether the joined word occurs elsewhere in the text.
  return KIND[next] === LOWER && !isDigit(buf[h - 1]!);
}


/** Bytes as they are (keys of the span memo). */
const SAME = new Uint8Array(256).map((_, c) => c);
