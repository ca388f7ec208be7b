// AssemblyScript, compiled to WebAssembly at build time (scripts/wasm.mjs): the byte path of
// `ream tokenize`, the tokens of a JSON string read from its UTF-8 bytes as they sit in an NDJSON
// line. Compiled ahead of time so that it runs at full speed from the first byte: as JavaScript, V8
// compiled the hot loops while they ran and a first pass over new text cost several times a later
// one (docs/analyzers.md, "The byte path"). src/text/byte-tokenizer.ts drives it.
//
// tokenize() applies the scanner's rules (src/text/scanner.ts) to the bytes. Plain ASCII words are
// found and copied 64 bytes at a time (vectors.ts); the rules between neighbours (' between letters,
// . and , between digits, a hyphen at a line end) and the JSON escapes are applied byte by byte. A
// whitespace-separated span holding non-ASCII characters is tokenized here when its letters fold
// one by one (nativeSpan: Latin, Greek, Cyrillic, Hebrew, Arabic… from a table JavaScript fills),
// and otherwise handed to the analyzer in JavaScript (analyzeSpan; words never run across
// whitespace, except at a line-end hyphenation, so the analyzer tokenizes the span exactly as within
// the whole text). Words with language steps (stemming, stopwords) and spans are memoized by their
// bytes (memo.ts); a miss asks JavaScript. The rare cases that depend on the whole text (a hyphen at
// a line end that may join two words) make tokenize() return false: the caller takes the reference
// path for that line.
//
// Memory: the text is copied to `input` (the closing quote after it, then 8 more bytes of the line or
// zeros), the tokens are written to `output` as a JSON array, and JavaScript's answers come back in
// `scratch`. All three grow on demand, so JavaScript reads their addresses after every call.

/** The analyzer's tokens of the span input[ptr, ptr + length) as JSON array items in scratch: their byte length, or -1 to refuse the line. */
@external("ream", "analyzeSpan")
declare function analyzeSpan(ptr: usize, length: i32, escaped: bool): i32;
/** The token of the ASCII word input[ptr, ptr + length) as a JSON string in scratch: its byte length, 0 when dropped. */
@external("ream", "wordToken")
declare function wordToken(ptr: usize, length: i32): i32;
/** The token of a word through the character steps (UTF-8 at ptr), whose script has language steps, as a JSON string in scratch: its byte length, 0 when dropped. */
@external("ream", "foldedWordToken")
declare function foldedWordToken(ptr: usize, length: i32, script: i32): i32;
/** Fills the entries of charTable (see there) for the 256 code points from `first` on; called when nativeSpan() first meets one of them. */
@external("ream", "fillCharTable")
declare function fillCharTable(first: i32): void;

import { Memo, SLACK, copyBytes, hashBytes } from './memo';
import { chunkHard, chunkWords, copyLowered, copyWordBytes, scanChunk, separatorBytes } from './vectors';

const LOWER: u8 = 1;
const UPPER: u8 = 2;
const DIGIT: u8 = 4;
const WORD_KINDS: u8 = LOWER | UPPER | DIGIT;
const CONTROL: u8 = 8;
const HIGH: u8 = 16;
const BACKSLASH_KIND: u8 = 32;

const BACKSLASH: u32 = 0x5c;
const QUOTE: u32 = 0x22;
const SPACE: u32 = 0x20;
const COMMA: u8 = 0x2c;

/** Kind of every byte of a JSON string's content (0: an ASCII separator or one of ' . , -). */
const KIND = memory.data(256);
/** Bytes after a word's letters and digits that end it whatever follows (all but ' . , -, a backslash and non-ASCII). */
const ENDS_WORD = memory.data(256);
/** The escapes \" \\ \/ \b \f \n \r \t (the letter after the backslash). */
const SHORT_ESCAPE = memory.data(256);

@inline function at8(table: usize, c: u32): u32 {
  return <u32>load<u8>(table + <usize>c);
}

function fillTables(): void {
  for (let c: u32 = 0; c < 256; c++) {
    const kind: u8 =
      c >= 97 && c <= 122 ? LOWER : c >= 65 && c <= 90 ? UPPER : c >= 48 && c <= 57 ? DIGIT : c < 0x20 ? CONTROL : c >= 0x80 ? HIGH : c == BACKSLASH ? BACKSLASH_KIND : 0;
    store<u8>(KIND + c, kind);
    const wordPunctuation = c == 0x27 || c == 0x2e || c == 0x2c || c == 0x2d || c == BACKSLASH;
    store<u8>(ENDS_WORD + c, c < 0x80 && (kind & WORD_KINDS) == 0 && !wordPunctuation ? 1 : 0);
    store<u8>(SHORT_ESCAPE + c, c == 0x22 || c == 0x5c || c == 0x2f || c == 0x62 || c == 0x66 || c == 0x6e || c == 0x72 || c == 0x74 ? 1 : 0);
  }
}

// ---- buffers shared with JavaScript -------------------------------------------------------------

/** The JSON string's content, then its closing quote and padding. */
export let input: usize = 0;
let inputCapacity: i32 = 0;
/** The tokens as a JSON array: output[0, outputLength). */
export let output: usize = 0;
let outputCapacity: i32 = 0;
export let outputLength: i32 = 0;
export let tokenCount: i32 = 0;
/** JavaScript's answer to analyzeSpan() or wordToken(); it sets scratchTokens to the number of tokens. */
export let scratch: usize = 0;
let scratchCapacity: i32 = 0;
export let scratchTokens: i32 = 0;

/** Room for a text of `bytes` bytes (and the quote and padding after it, and the 64 bytes a chunk's vector loads may read): the address of `input`. */
export function reserveInput(bytes: i32): usize {
  if (bytes + 80 > inputCapacity) {
    if (input != 0) heap.free(input);
    inputCapacity = max(bytes + 80, inputCapacity * 2);
    input = heap.alloc(<usize>inputCapacity);
  }
  return input;
}

/** Room for `bytes` bytes in scratch: its address. */
export function reserveScratch(bytes: i32): usize {
  if (bytes + SLACK > scratchCapacity) {
    if (scratch != 0) heap.free(scratch);
    scratchCapacity = max(bytes + SLACK, scratchCapacity * 2);
    scratch = heap.alloc(<usize>scratchCapacity);
  }
  return scratch;
}

/** Makes room for n more bytes after `length` in output. */
function reserveOutput(length: i32, n: i32): void {
  if (length + n <= outputCapacity) return;
  outputCapacity = max(length + n, outputCapacity * 2);
  output = output == 0 ? heap.alloc(<usize>outputCapacity) : heap.realloc(output, <usize>outputCapacity);
}

// ---- the tokenizer ------------------------------------------------------------------------------

/** No language steps for ASCII words: they are copied lower-cased. */
let copiesWords = true;
/** Tokens of ASCII words (for analyzers with language steps), by the word lower-cased. */
let words: Memo | null = null;
/** Tokens of spans with non-ASCII characters, by their bytes. */
let spans: Memo | null = null;
/** Tokens of non-ASCII words with language steps, by their folded bytes and script (nativeSpan). */
let foldedWords: Memo | null = null;

/** Longer words skip the language steps (as in src/text/analyzer.ts). */
const MAX_STEMMED_LENGTH: i32 = 100;
/** Spans longer than this (runs of CJK text, URLs) are analyzed each time rather than memoized. */
const MAX_MEMO_SPAN_BYTES: i32 = 64;

/** `keepsAsciiWords`: the analyzer's token of an ASCII word is the word lower-cased. `memoEntries`: entries each memo holds before it evicts. */
export function configure(keepsAsciiWords: bool, memoEntries: i32): void {
  fillTables();
  copiesWords = keepsAsciiWords;
  words = new Memo(memoEntries);
  spans = new Memo(memoEntries);
  foldedWords = new Memo(memoEntries);
  reserveInput(1 << 16);
  reserveScratch(1 << 12);
  reserveOutput(0, 1 << 17);
}

/** Evictions of both memos so far (for tests). */
export function memoEvictions(): i32 {
  return words!.evictions + spans!.evictions + foldedWords!.evictions;
}

@inline function ld(base: usize, i: i32): u32 {
  return <u32>load<u8>(base + <usize>i);
}

@inline function byteAt(i: i32): u32 {
  return <u32>load<u8>(input + <usize>i);
}

/** The chunk scanned last in this text: where it starts, and its masks. */
let scannedAt: i32 = -64;
let scannedWords: u64 = 0;
let scannedHard: u64 = 0;
let scannedRules: u64 = 0;

/**
 * Writes to output the tokens of the JSON string content input[0, end) (input[end] is its closing
 * quote) as a JSON array, and their number to tokenCount. Returns false when the line must take the
 * reference path: the text is not valid JSON, or its tokens depend on the whole text.
 */
export function tokenize(end: i32): bool {
  // Room for the copies is made once (an ASCII word of n bytes takes n + 3 bytes, and at least n + 1
  // bytes of the text unless last), with 16 to spare for the vector stores. Word and separator loops
  // need no bounds check: input[end] is the closing quote, which ends any word and any separator run.
  reserveOutput(0, 2 * end + 34);
  const b = input;
  let at = output + 1;
  store<u8>(output, 0x5b);
  let count = 0;
  let i = 0;
  scannedAt = -64;
  while (i < end) {
    if (copiesWords) {
      // Plain words, 64 bytes at a time: the words found from bit masks, each copied in one step.
      // Back from the loop below (after a span or a word it had to take), the masks of the chunk
      // last scanned serve again if i is still inside it.
      let reuse = i > scannedAt && i < scannedAt + 64;
      for (;;) {
        const p = b + <usize>i;
        let length = 64;
        let words: u64, hard: u64, rules: u64;
        if (reuse) {
          const shift = <u64>(i - scannedAt);
          length -= <i32>shift;
          words = scannedWords >> shift;
          hard = scannedHard >> shift;
          rules = scannedRules >> shift;
          reuse = false;
        } else {
          rules = scanChunk(p);
          words = chunkWords;
          hard = chunkHard;
          scannedAt = i;
          scannedWords = words;
          scannedHard = hard;
          scannedRules = rules;
        }
        // The first and the last byte of each word, taken in order: each step depends on the one
        // before only through clearing a bit, so the processor overlaps consecutive words.
        let starts = words & ~(words << 1);
        let lasts = words & ~(words >> 1);
        const stop = min(<i32>ctz(hard), length);
        // Where the next chunk starts, or the loop below takes over (slow).
        let done = stop;
        let slow = stop < length;
        for (;;) {
          const start = <i32>ctz(starts);
          if (start >= stop) break;
          const after = <i32>ctz(lasts) + 1;
          if (after >= stop) {
            // The word touches a byte the loop below must see, or runs past the chunk: the next
            // chunk starts with it (unless it started this one: a word of 64 bytes or more).
            done = start;
            slow = stop < length || start == 0;
            break;
          }
          if (((rules >> <u64>after) & 1) != 0) {
            // Followed by ' or -, or by . or , after a digit: the scanner's rules decide.
            done = start;
            slow = true;
            break;
          }
          if (count > 0) store<u8>(at++, COMMA);
          store<u8>(at++, <u8>QUOTE);
          at = copyLowered(p + <usize>start, at, after - start);
          store<u8>(at++, <u8>QUOTE);
          count++;
          starts &= starts - 1;
          lasts &= lasts - 1;
        }
        i += done;
        if (slow) break;
      }
      if (i >= end) break;
    }
    // Separators and the escapes of separators between words (a quote inside the text is escaped).
    let c: u32;
    for (;;) {
      const n = separatorBytes(b + <usize>i);
      i += n;
      if (n == 16) continue;
      c = ld(b, i);
      if (c == BACKSLASH && at8(SHORT_ESCAPE, ld(b, i + 1)) == 1) {
        i += 2;
        continue;
      }
      break;
    }
    if (i >= end) break;
    const kind = at8(KIND, c);
    let spanFrom = -1;
    if ((kind & WORD_KINDS) != 0) {
      // Copied lower-cased as it is scanned; taken back if the word turns out to need the analyzer,
      // replaced by its token from the memo if it has language steps.
      const s = i;
      let j = s;
      const mark = at;
      if (count > 0) store<u8>(at++, COMMA);
      store<u8>(at++, <u8>QUOTE);
      const word = at;
      for (;;) {
        for (;;) {
          const n = copyWordBytes(b + <usize>j, at);
          at += n;
          j += n;
          if (n < 16) break;
        }
        c = ld(b, j);
        if (j >= end || at8(ENDS_WORD, c) == 1 || (c == BACKSLASH && ld(b, j + 1) != 0x75)) break;
        const next = wordGoesOn(j, end);
        if (next == ENDS) break;
        if (next != GOES_ON) {
          if (next == REFUSE) return false;
          at = mark;
          spanFrom = s;
          break;
        }
        store<u8>(at++, <u8>c);
        j++;
      }
      if (spanFrom < 0) {
        i = j;
        if (copiesWords || kind == DIGIT || j - s > MAX_STEMMED_LENGTH) {
          store<u8>(at++, <u8>QUOTE);
          count++;
          continue;
        }
        // Language steps: the token comes from the memo, looked up by the word just copied lower-cased.
        const memo = words!;
        const length = <i32>(at - word);
        let entry = memo.find(word, length, hashBytes(word, length));
        if (entry < 0) {
          // Always kept: a word of at most MAX_STEMMED_LENGTH chars has one short token.
          const tokenLength = wordToken(b + <usize>s, j - s);
          entry = memo.add(word, length, scratch, tokenLength, tokenLength > 0 ? 1 : 0);
        }
        at = mark;
        const value = memo.valueLength(entry);
        if (value == 0) continue;
        const written = <i32>(at - output);
        if (written + value + 1 + SLACK > outputCapacity) {
          reserveOutput(written, value + 1 + 2 * (end - j) + 34);
          at = output + <usize>written;
        }
        if (count++ > 0) store<u8>(at++, COMMA);
        at = memo.copyValue(entry, at);
        continue;
      }
    } else if (kind == 0) {
      i++;
      continue;
    } else if (kind == BACKSLASH_KIND) {
      const e = ld(b, i + 1);
      if (e == 0x75) {
        const unit = escapedUnit(i + 2);
        if (unit < 0) return false;
        // Between words, ASCII separators are skipped; anything else goes to the analyzer.
        if (unit >= 0x80 || (at8(KIND, <u32>unit) & WORD_KINDS) != 0) spanFrom = i;
        else i += 6;
      } else if (at8(SHORT_ESCAPE, e) == 1) {
        i += 2;
      } else return false;
      if (spanFrom < 0) continue;
    } else if (kind == CONTROL) {
      return false;
    } else spanFrom = i;
    i = nativeSpan(spanFrom, end, <i32>(at - output), count);
    if (i == BAIL) i = span(spanFrom, end, <i32>(at - output), count);
    if (i < 0) return false;
    count = tokenCount;
    reserveOutput(outputLength, 2 * (end - i) + 34);
    at = output + <usize>outputLength;
  }
  store<u8>(at++, 0x5d);
  outputLength = <i32>(at - output);
  tokenCount = count;
  return true;
}

/** spanEnd(): the span has escapes; and escapes nativeSpan() does not take (\u but of a control character, invalid ones). */
let spanEscaped = false;
let spanOtherEscape = false;

/**
 * The end of the span from r (a position between words): the next space or escaped whitespace
 * (\n \t \r), or `end`; -1 at a raw control character (not valid JSON). Sets spanEscaped and
 * spanOtherEscape.
 */
function spanEnd(r: i32, end: i32): i32 {
  const b = input;
  let k = r;
  spanEscaped = false;
  spanOtherEscape = false;
  while (k < end) {
    const c = ld(b, k);
    if (c == SPACE) break;
    if (c == BACKSLASH) {
      const e = ld(b, k + 1);
      if (e == 0x6e || e == 0x74 || e == 0x72) break;
      spanEscaped = true;
      if (e == 0x75) {
        if (!isControlEscape(k + 2)) spanOtherEscape = true;
        k += 6;
      } else {
        if (at8(SHORT_ESCAPE, e) == 0) spanOtherEscape = true;
        k += 2;
      }
      continue;
    }
    if (c < 0x20) return -1;
    k++;
  }
  return k;
}

/**
 * Hands the analyzer the span from r (a position between words) up to the next whitespace: a span
 * with non-ASCII bytes or \u escapes, appended to output[0, written) after `count` tokens. Its tokens
 * do not depend on the rest of the text (words never run across whitespace, but for line-end hyphens,
 * which are refused), so they are memoized by the span's bytes. Sets outputLength and tokenCount;
 * returns the index after the span, or -1 (reference path).
 */
function span(r: i32, end: i32, written: i32, count: i32): i32 {
  const b = input;
  const k = spanEnd(r, end);
  if (k < 0 || k > end) return -1;
  const escaped = spanEscaped;
  const memoized = k - r <= MAX_MEMO_SPAN_BYTES;
  const memo = spans!;
  const key = b + <usize>r;
  let entry = -1;
  if (memoized) entry = memo.find(key, k - r, hashBytes(key, k - r));
  if (entry < 0) {
    const length = analyzeSpan(key, k - r, escaped);
    if (length < 0) return -1;
    if (memoized) entry = memo.add(key, k - r, scratch, length, scratchTokens);
    if (entry < 0) {
      // Not kept: the analyzer's answer goes straight to the output.
      append(written, count, scratch, length, scratchTokens);
      return k;
    }
  }
  const length = memo.valueLength(entry);
  if (length == 0) {
    outputLength = written;
    tokenCount = count;
    return k;
  }
  reserveOutput(written, length + 1 + SLACK);
  let at = output + <usize>written;
  if (count > 0) store<u8>(at++, COMMA);
  at = memo.copyValue(entry, at);
  outputLength = <i32>(at - output);
  tokenCount = count + memo.tokenCount(entry);
  return k;
}

// ---- spans of simple letters, without the analyzer -----------------------------------------------

/**
 * Per code point U+0080–U+07FF (the two-byte UTF-8 range: Latin-1, Latin Extended, Greek, Cyrillic,
 * Armenian, Hebrew, Arabic…), CHAR_ENTRY bytes filled by JavaScript from the analyzer itself
 * (src/text/byte-tokenizer.ts): its kind (CHAR_OTHER, CHAR_SEPARATOR, CHAR_LETTER); for a letter, its
 * script, its fold (the analyzer's character steps applied to it alone: NFKC, case and diacritic
 * folding) as UTF-8 and that fold's length in UTF-16 units. Then, for U+2000–U+20FF (general
 * punctuation), one byte each: CHAR_SEPARATOR or CHAR_OTHER. Filled 256 code points at a time, as
 * they are first met (CHAR_UNFILLED until then).
 */
export let charTable: usize = 0;
/** Bit s: words of script s have language steps (set by JavaScript with the table). */
export let stepScripts: i32 = 0;

const CHAR_ENTRY: i32 = 8;
const CHAR_FIRST: i32 = 0x80;
const CHAR_END: i32 = 0x800;
const PUNCTUATION_FIRST: i32 = 0x2000;
const PUNCTUATION_END: i32 = 0x2100;
const CHAR_TABLE_BYTES: i32 = (CHAR_END - CHAR_FIRST) * CHAR_ENTRY + (PUNCTUATION_END - PUNCTUATION_FIRST);
const CHAR_OTHER: u32 = 0;
const CHAR_SEPARATOR: u32 = 1;
const CHAR_LETTER: u32 = 2;
/** Not filled yet: JavaScript fills a block of 256 code points when one of them is first met. */
const CHAR_UNFILLED: u8 = 3;
/** Entry layout: kind, script, fold's UTF-16 length, fold's UTF-8 length, fold (at most 4 bytes). */
const ENTRY_SCRIPT: usize = 1;
const ENTRY_UNITS: usize = 2;
const ENTRY_BYTES: usize = 3;
const ENTRY_FOLD: usize = 4;

/** The scanner's scripts (src/text/chars.ts Script) that nativeSpan() tells apart. */
const SCRIPT_UNKNOWN: i32 = 0;
const SCRIPT_OTHER: i32 = 1;
const SCRIPT_LATIN: i32 = 2;

/** nativeSpan(): the span has a character only the analyzer handles. */
const BAIL = -2;

/** Room for the char table: its address (JavaScript fills it). */
export function reserveCharTable(): usize {
  if (charTable == 0) {
    charTable = heap.alloc(<usize>CHAR_TABLE_BYTES);
    memory.fill(charTable, CHAR_UNFILLED, <usize>CHAR_TABLE_BYTES);
  }
  return charTable;
}

/** The kind of the character at input[i] for nativeSpan(), and its table entry in `charEntry` (letters). */
let charEntry: usize = 0;
let charWidth: i32 = 0;

function charKindAt(b: usize, i: i32): u32 {
  const c = ld(b, i);
  if (c >= 0xc2 && c <= 0xdf) {
    const cp = <i32>(((c & 0x1f) << 6) | (ld(b, i + 1) & 0x3f));
    charEntry = charTable + <usize>((cp - CHAR_FIRST) * CHAR_ENTRY);
    charWidth = 2;
    let kind = load<u8>(charEntry);
    if (kind == CHAR_UNFILLED) {
      fillCharTable(cp & ~0xff);
      kind = load<u8>(charEntry);
    }
    return <u32>kind;
  }
  if (c >= 0xe0 && c <= 0xef) {
    const cp = <i32>(((c & 0x0f) << 12) | ((ld(b, i + 1) & 0x3f) << 6) | (ld(b, i + 2) & 0x3f));
    charWidth = 3;
    if (cp >= PUNCTUATION_FIRST && cp < PUNCTUATION_END) {
      const at = charTable + <usize>((CHAR_END - CHAR_FIRST) * CHAR_ENTRY + cp - PUNCTUATION_FIRST);
      if (load<u8>(at) == CHAR_UNFILLED) fillCharTable(PUNCTUATION_FIRST);
      return <u32>load<u8>(at);
    }
  }
  return CHAR_OTHER;
}

/** Whether the \u escape whose hex digits start at input[i] is a control character other than whitespace, or DEL: a separator. */
function isControlEscape(i: i32): bool {
  const unit = escapedUnit(i);
  return (unit >= 0 && unit < 0x20 && unit != 0x09 && unit != 0x0a && unit != 0x0d) || unit == 0x7f;
}

/** Whether the character at input[i] (i < k) is a letter for the scanner's apostrophe rule, or -1 when only the analyzer can tell. */
function letterAt(b: usize, i: i32, k: i32): i32 {
  if (i >= k) return 0;
  const c = ld(b, i);
  if (c < 0x80) return (at8(KIND, c) & (LOWER | UPPER)) != 0 ? 1 : 0;
  const kind = charKindAt(b, i);
  return kind == CHAR_LETTER ? 1 : kind == CHAR_SEPARATOR ? 0 : -1;
}

// The word nativeSpan() is writing: where its output starts (before the comma), where its bytes
// start, whether it has non-ASCII letters, its script (as the scanner decides it), its length in
// UTF-16 units once folded, and whether its first character is an ASCII digit.
let wordMark: usize = 0;
let wordBytes0: usize = 0;
let wordNonAscii = false;
let wordScript: i32 = SCRIPT_UNKNOWN;
let wordUnits: i32 = 0;
let wordDigitFirst = false;
/** Where nativeSpan() writes, and its token count. */
let spanAt: usize = 0;
let spanCount: i32 = 0;
/** The span's start in the input (for wordToken() of an ASCII word). */
let wordInputStart: i32 = 0;

/**
 * The span from r (between words) to the next whitespace, tokenized here when every character in
 * it is ASCII, a letter of the two-byte range that the analyzer's character steps fold one by one,
 * or a separator: as the scanner does (' between letters, . and , between ASCII digits) and as the
 * analyzer does for each word (its character steps, then its script's language steps through
 * foldedWordToken()). Appends to output[0, written) after `count` tokens and sets outputLength and
 * tokenCount; returns the index after the span, BAIL when the analyzer must take it (nothing
 * written then), or -1 (reference path).
 */
function nativeSpan(r: i32, end: i32, written: i32, count: i32): i32 {
  reserveCharTable();
  const b = input;
  const k = spanEnd(r, end);
  if (k < 0) return -1;
  // \u escapes but those of control characters, and invalid ones, to the analyzer's path (which decodes, or refuses, them).
  if (k > end || spanOtherEscape) return BAIL;
  // A letter folds to at most 4 bytes from 2, a word adds 3 (quotes and comma).
  reserveOutput(written, 3 * (k - r) + 16 + SLACK);
  spanAt = output + <usize>written;
  spanCount = count;
  let inWord = false;
  let prevLetter = false;
  let prevDigit = false;
  let i = r;
  while (i < k) {
    const c = ld(b, i);
    if (c < 0x80) {
      const kind = at8(KIND, c);
      if ((kind & WORD_KINDS) != 0) {
        if (!inWord) {
          startWord(i, kind == DIGIT);
          inWord = true;
        }
        store<u8>(spanAt++, <u8>(kind == UPPER ? c + 32 : c));
        wordUnits++;
        prevLetter = kind != DIGIT;
        prevDigit = kind == DIGIT;
        if (prevLetter && wordScript == SCRIPT_UNKNOWN) wordScript = SCRIPT_LATIN;
        i++;
        continue;
      }
      if (c == 0x27 && inWord && prevLetter) {
        // ' between letters
        const next = letterAt(b, i + 1, k);
        if (next < 0) return BAIL;
        if (next == 1) {
          store<u8>(spanAt++, <u8>c);
          wordUnits++;
          prevLetter = false;
          prevDigit = false;
          i++;
          continue;
        }
      } else if ((c == 0x2e || c == 0x2c) && inWord && prevDigit && i + 1 < k && isDigit(ld(b, i + 1))) {
        // . or , between digits
        store<u8>(spanAt++, <u8>c);
        wordUnits++;
        prevLetter = false;
        prevDigit = false;
        i++;
        continue;
      } else if (c == 0x2d && i + 1 == k) {
        // A hyphen at the span's end may be a hyphenation: the analyzer (and the page) decide.
        return BAIL;
      }
      if (inWord) {
        if (!endWord(end, k)) return -1;
        inWord = false;
      }
      i += c != BACKSLASH ? 1 : ld(b, i + 1) == 0x75 ? 6 : 2;
      continue;
    }
    if (c == 0xe2 && ld(b, i + 1) == 0x80 && ld(b, i + 2) == 0x99) {
      // ’ between letters is part of the word (folded to '), as ' is; elsewhere a separator.
      if (inWord && prevLetter) {
        const next = letterAt(b, i + 3, k);
        if (next < 0) return BAIL;
        if (next == 1) {
          store<u8>(spanAt++, 0x27);
          wordNonAscii = true;
          wordUnits++;
          prevLetter = false;
          prevDigit = false;
          i += 3;
          continue;
        }
      }
      if (inWord) {
        if (!endWord(end, k)) return -1;
        inWord = false;
      }
      i += 3;
      continue;
    }
    const kind = charKindAt(b, i);
    if (kind == CHAR_LETTER) {
      if (!inWord) {
        startWord(i, false);
        inWord = true;
      }
      wordNonAscii = true;
      const script = <i32>load<u8>(charEntry + ENTRY_SCRIPT);
      if (wordScript == SCRIPT_UNKNOWN || wordScript == SCRIPT_OTHER) {
        if (script != SCRIPT_OTHER || wordScript == SCRIPT_UNKNOWN) wordScript = script;
      }
      store<u32>(spanAt, load<u32>(charEntry + ENTRY_FOLD));
      spanAt += <usize>load<u8>(charEntry + ENTRY_BYTES);
      wordUnits += <i32>load<u8>(charEntry + ENTRY_UNITS);
      prevLetter = true;
      prevDigit = false;
      i += 2;
      continue;
    }
    if (kind != CHAR_SEPARATOR) return BAIL;
    if (inWord) {
      if (!endWord(end, k)) return -1;
      inWord = false;
    }
    i += charWidth;
  }
  if (inWord && !endWord(end, k)) return -1;
  outputLength = <i32>(spanAt - output);
  tokenCount = spanCount;
  return k;
}

function startWord(i: i32, digitFirst: bool): void {
  wordMark = spanAt;
  if (spanCount > 0) store<u8>(spanAt++, COMMA);
  store<u8>(spanAt++, <u8>QUOTE);
  wordBytes0 = spanAt;
  wordNonAscii = false;
  wordScript = SCRIPT_UNKNOWN;
  wordUnits = 0;
  wordDigitFirst = digitFirst;
  wordInputStart = i;
}

/** Closes the word nativeSpan() is writing (its token through the memos if it has language steps). False: the output could not grow. */
function endWord(end: i32, k: i32): bool {
  const length = <i32>(spanAt - wordBytes0);
  let memo: Memo;
  let entry: i32;
  if (!wordNonAscii) {
    if (copiesWords || wordDigitFirst || length > MAX_STEMMED_LENGTH) {
      store<u8>(spanAt++, <u8>QUOTE);
      spanCount++;
      return true;
    }
    memo = words!;
    entry = memo.find(wordBytes0, length, hashBytes(wordBytes0, length));
    if (entry < 0) {
      const tokenLength = wordToken(input + <usize>wordInputStart, length);
      entry = memo.add(wordBytes0, length, scratch, tokenLength, tokenLength > 0 ? 1 : 0);
    }
  } else {
    if (((stepScripts >> wordScript) & 1) == 0 || wordUnits > MAX_STEMMED_LENGTH || wordDigitFirst) {
      store<u8>(spanAt++, <u8>QUOTE);
      spanCount++;
      return true;
    }
    // Keyed by the folded bytes and the script (the byte after them).
    store<u8>(spanAt, <u8>wordScript);
    memo = foldedWords!;
    entry = memo.find(wordBytes0, length + 1, hashBytes(wordBytes0, length + 1));
    if (entry < 0) {
      const tokenLength = foldedWordToken(wordBytes0, length, wordScript);
      entry = memo.add(wordBytes0, length + 1, scratch, tokenLength, tokenLength > 0 ? 1 : 0);
      if (entry < 0) {
        // Too long to keep: the answer goes straight to the output.
        spanAt = wordMark;
        return appendAnswer(tokenLength, k);
      }
    }
  }
  spanAt = wordMark;
  const value = memo.valueLength(entry);
  if (value == 0) return true;
  const written = <i32>(spanAt - output);
  if (written + value + 1 + SLACK + 3 * (k - wordInputStart) + 16 > outputCapacity) {
    reserveOutput(written, value + 1 + SLACK + 3 * (k - wordInputStart) + 16);
    spanAt = output + <usize>written;
  }
  if (spanCount++ > 0) store<u8>(spanAt++, COMMA);
  spanAt = memo.copyValue(entry, spanAt);
  return true;
}

/** endWord() for a token not memoized: scratch[0, length) (one token, or none when empty) written at spanAt. */
function appendAnswer(length: i32, k: i32): bool {
  if (length == 0) return true;
  const written = <i32>(spanAt - output);
  reserveOutput(written, length + 1 + SLACK + 3 * (k - wordInputStart) + 16);
  spanAt = output + <usize>written;
  if (spanCount++ > 0) store<u8>(spanAt++, COMMA);
  copyBytes(spanAt, scratch, length);
  spanAt += <usize>length;
  return true;
}

/** Appends `tokens` tokens, JSON array items at from[0, length), to output[0, written) after `count` tokens. */
function append(written: i32, count: i32, from: usize, length: i32, tokens: i32): void {
  outputLength = written;
  tokenCount = count;
  if (length == 0) return;
  reserveOutput(written, length + 1 + SLACK);
  let at = output + <usize>written;
  if (count > 0) store<u8>(at++, COMMA);
  copyBytes(at, from, length);
  outputLength = <i32>(at - output) + length;
  tokenCount = count + tokens;
}

/** wordGoesOn(): the word ends before this character. */
const ENDS = 0;
/** wordGoesOn(): the character is part of the word (' . ,). */
const GOES_ON = 1;
/** wordGoesOn(): the word runs into a non-ASCII character or a \u escape (the analyzer takes its span). */
const TO_SPAN = 2;
/** wordGoesOn(): the line takes the reference path (a line-end hyphenation that the whole text decides, a bad escape). */
const REFUSE = 3;

@inline function isLetter(c: u32): bool {
  return (at8(KIND, c) & (LOWER | UPPER)) != 0;
}

@inline function isDigit(c: u32): bool {
  return at8(KIND, c) == DIGIT;
}

/** An ASCII character that can be part of a word in the scanner (letters, digits, ' . , -). */
function inWordAscii(c: u32): bool {
  return (at8(KIND, c) & WORD_KINDS) != 0 || c == 0x27 || c == 0x2e || c == 0x2c || c == 0x2d;
}

function hexValue(c: u32): i32 {
  if (c >= 0x30 && c <= 0x39) return <i32>c - 0x30;
  if (c >= 0x61 && c <= 0x66) return <i32>c - 0x61 + 10;
  if (c >= 0x41 && c <= 0x46) return <i32>c - 0x41 + 10;
  return -1;
}

/** The code unit of the \u escape whose hex digits start at i, or -1 when they are not hex. */
function escapedUnit(i: i32): i32 {
  let unit = 0;
  for (let k = 0; k < 4; k++) {
    const v = hexValue(byteAt(i + k));
    if (v < 0) return -1;
    unit = (unit << 4) | v;
  }
  return unit;
}

/** After an ASCII word's letters and digits, what the scanner does with the character at input[j] (j < end). */
function wordGoesOn(j: i32, end: i32): i32 {
  const c = byteAt(j);
  if (c == 0x27) {
    // ' between letters
    if (!isLetter(byteAt(j - 1))) return ENDS;
    const next = byteAt(j + 1);
    if (isLetter(next)) return GOES_ON;
    return next >= 0x80 || (next == BACKSLASH && byteAt(j + 2) == 0x75) ? TO_SPAN : ENDS;
  }
  if (c == 0x2e || c == 0x2c) {
    // . or , between digits
    if (!isDigit(byteAt(j - 1))) return ENDS;
    const next = byteAt(j + 1);
    if (isDigit(next)) return GOES_ON;
    return next == BACKSLASH && byteAt(j + 2) == 0x75 ? TO_SPAN : ENDS;
  }
  if (c == 0x2d) return hyphenNeedsText(j, end) ? REFUSE : ENDS;
  if (c >= 0x80) return TO_SPAN;
  if (c == BACKSLASH && byteAt(j + 1) == 0x75) {
    const unit = escapedUnit(j + 2);
    if (unit < 0) return REFUSE;
    if (unit >= 0x80 || inWordAscii(<u32>unit)) return TO_SPAN;
  }
  return ENDS;
}

/**
 * A hyphen at input[h] after a letter or digit: whether the scanner's line-end join
 * (joinsAcrossLineEnd) would look at the whole text, rather than simply end the word there.
 */
function hyphenNeedsText(h: i32, end: i32): bool {
  let k = h + 1;
  let newlines = 0;
  while (k < end) {
    const b = byteAt(k);
    if (b == SPACE) k++;
    else if (b == BACKSLASH) {
      const e = byteAt(k + 1);
      if (e == 0x6e) {
        if (++newlines > 1) return false;
        k += 2;
      } else if (e == 0x74 || e == 0x72) k += 2;
      else if (e == 0x75) {
        const unit = escapedUnit(k + 2);
        if (unit == 9 || unit == 10 || unit == 13 || unit == 32 || unit < 0) return true;
        break;
      } else break;
    } else break;
  }
  if (newlines != 1 || k >= end) return false;
  const next = byteAt(k);
  if (next >= 0x80) return true;
  if (next == BACKSLASH) return byteAt(k + 1) == 0x75;
  // A capital after the break, or a digit before the hyphen, keeps the words apart; a lower-case
  // letter asks whether the joined word occurs elsewhere in the text.
  return at8(KIND, next) == LOWER && !isDigit(byteAt(h - 1));
}
