// The analyzers' tokens of a JSON string, read from its UTF-8 bytes as they sit in an NDJSON line: no
// JS string of the text is made, and for most words none at all. The byte loops are WebAssembly
// (wasm/byte-tokenizer.ts, which says what they do), compiled ahead of time so that new text is
// tokenized at full speed from the first line. This class feeds them and answers what only the
// analyzer knows: how each character of a 256-code-point block folds (fillCharTable), the token of
// a word under language steps (stemming, stopwords), and the tokens of a span the loops cannot take
// (CJK, Thai, characters NFKC changes…). Every answer is memoized inside the WebAssembly.
import type { Analyzer } from './analyzer.js';
import { CharClass, classOf, scriptOfCode, type Script } from './chars.js';
import { JsonTokenList } from './json-tokens.js';
import binary from '../../wasm/byte-tokenizer.wasm';

interface Exports {
  memory: WebAssembly.Memory;
  input: WebAssembly.Global;
  output: WebAssembly.Global;
  outputLength: WebAssembly.Global;
  tokenCount: WebAssembly.Global;
  scratchTokens: WebAssembly.Global;
  stepScripts: WebAssembly.Global;
  reserveCharTable(): number;
  reserveInput(bytes: number): number;
  reserveScratch(bytes: number): number;
  configure(keepsAsciiWords: number, memoEntries: number): void;
  memoEvictions(): number;
  tokenize(end: number): number;
}

let compiled: WebAssembly.Module | undefined;

/** A hyphen, soft hyphen or non-breaking hyphen followed by spaces and a line end, or ending the span. */
const HYPHEN_AT_LINE_END = /[-\u00ad\u2010\u2011][ \t\r]*(?:\n|$)/;

/** Entries each memo holds by default before it evicts: the slots then grow to 2^18 (2 MB), half of them free. */
const DEFAULT_MEMO_ENTRIES = 1 << 17;

// charTable's layout (wasm/byte-tokenizer.ts).
const CHAR_FIRST = 0x80;
const CHAR_END = 0x800;
const CHAR_ENTRY = 8;
const PUNCTUATION_FIRST = 0x2000;
const PUNCTUATION_END = 0x2100;
const CHAR_OTHER = 0;
const CHAR_SEPARATOR = 1;
const CHAR_LETTER = 2;
const COMBINING_MARK = /\p{M}/u;
/** Letters, marks and digits, nothing that JSON escapes. */
const PLAIN_LETTERS = /^[\p{L}\p{M}\p{N}]+$/u;

/** Bytes of the line after the closing quote that the loops may look at (a \u escape's digits). */
const PADDING = 8;

export class ByteTokenizer {
  private readonly wasm: Exports;
  private readonly scratch = new JsonTokenList();
  /** The WebAssembly memory as a Buffer (replaced when the memory grows). */
  private bytes: Buffer;

  /** `memoEntries`: entries each memo holds before it evicts (tests make it small). */
  constructor(
    private readonly analyzer: Analyzer,
    memoEntries = DEFAULT_MEMO_ENTRIES,
  ) {
    compiled ??= new WebAssembly.Module(binary);
    const instance = new WebAssembly.Instance(compiled, {
      env: {
        abort: (): never => {
          throw new Error('ream: the byte tokenizer (WebAssembly) failed');
        },
      },
      ream: {
        analyzeSpan: (at: number, length: number, escaped: number): number => this.analyzeSpan(at, length, escaped !== 0),
        wordToken: (at: number, length: number): number => this.wordToken(at, length),
        foldedWordToken: (at: number, length: number, script: number): number => this.foldedWordToken(at, length, script),
        fillCharTable: (first: number): void => this.fillCharTable(first),
      },
    });
    this.wasm = instance.exports as unknown as Exports;
    this.wasm.configure(analyzer.keepsAsciiWords() ? 1 : 0, memoEntries);
    // before any line: a word of ASCII letters joined by ’ needs it without any table filled
    this.wasm.stepScripts.value = analyzer.scriptsWithSteps();
    this.bytes = Buffer.from(this.wasm.memory.buffer);
  }

  /** Number of tokens of the last list tokenize() made. */
  get count(): number {
    return this.wasm.tokenCount.value as number;
  }

  /** Evictions of the memos so far (for tests). */
  get evictions(): number {
    return this.wasm.memoEvictions();
  }

  /**
   * Tokenizes the JSON string content buf[start, end) (between the quotes; buf[end] is the closing
   * quote). False when the line must take the reference path: the text is not valid JSON, or its
   * tokens depend on the whole text.
   */
  tokenize(buf: Buffer, start: number, end: number): boolean {
    const wasm = this.wasm;
    const length = end - start;
    const at = wasm.reserveInput(length);
    const bytes = this.memory();
    const copied = Math.min(buf.length, end + 1 + PADDING) - start;
    buf.copy(bytes, at, start, start + copied);
    bytes.fill(0, at + copied, at + length + 1 + PADDING);
    return wasm.tokenize(length) !== 0;
  }

  /** The tokens of the last successful tokenize(), as a JSON array: valid until the next call. */
  tokens(): Uint8Array {
    const at = this.wasm.output.value as number;
    return this.memory().subarray(at, at + (this.wasm.outputLength.value as number));
  }

  /** The WebAssembly memory (a fresh view when it has grown: the old one is then detached, of length 0). */
  private memory(): Buffer {
    if (this.bytes.length === 0) this.bytes = Buffer.from(this.wasm.memory.buffer);
    return this.bytes;
  }

  /** analyzeSpan() for the WebAssembly: the analyzer's tokens of a span with non-ASCII characters or \u escapes. */
  private analyzeSpan(at: number, length: number, escaped: boolean): number {
    let text = this.memory().toString('utf8', at, at + length);
    if (escaped) {
      try {
        text = JSON.parse(`"${text}"`) as string;
      } catch {
        return -1;
      }
    }
    // Joining across a line end depends on the rest of the text: the line takes the reference path.
    if (HYPHEN_AT_LINE_END.test(text)) return -1;
    const tokens = this.emptyScratch();
    this.analyzer.appendJson(text, tokens);
    return this.answer(tokens);
  }

  /** wordToken() for the WebAssembly: the token of an ASCII word (letters, digits, ' . ,) under the language steps. */
  private wordToken(at: number, length: number): number {
    // toLowerCase() of ASCII is A-Z → a-z.
    return this.answerToken(this.analyzer.asciiWordToken(this.memory().toString('latin1', at, at + length).toLowerCase()));
  }

  /** foldedWordToken() for the WebAssembly: the language steps of a non-ASCII word already folded. */
  private foldedWordToken(at: number, length: number, script: number): number {
    return this.answerToken(this.analyzer.foldedWordToken(this.memory().toString('utf8', at, at + length), script as Script));
  }

  /** One token ('' for a dropped word) as the answer to the WebAssembly. */
  private answerToken(token: string): number {
    const tokens = this.emptyScratch();
    if (token.length > 0) tokens.token(token);
    return this.answer(tokens);
  }

  private emptyScratch(): JsonTokenList {
    const tokens = this.scratch;
    tokens.length = 0;
    tokens.count = 0;
    return tokens;
  }

  /**
   * fillCharTable() for the WebAssembly: which characters of the block of 256 code points from
   * `first` its own span loop can take, and their fold, asked of the analyzer one character at a time
   * (wasm/byte-tokenizer.ts `charTable` has the layout). A letter qualifies when the analyzer's
   * character steps on a word are those steps on each of its letters: NFKC leaves it alone (so it
   * composes with nothing) and it is not a combining mark; its fold is at most 4 bytes of letters
   * needing no JSON escape.
   */
  private fillCharTable(first: number): void {
    const wasm = this.wasm;
    const at = wasm.reserveCharTable();
    const table = this.memory();
    if (first === PUNCTUATION_FIRST) {
      const punctuation = at + (CHAR_END - CHAR_FIRST) * CHAR_ENTRY;
      for (let cp = PUNCTUATION_FIRST; cp < PUNCTUATION_END; cp++) {
        table[punctuation + cp - PUNCTUATION_FIRST] = classOf(cp) === CharClass.Separator ? CHAR_SEPARATOR : CHAR_OTHER;
      }
      return;
    }
    for (let cp = Math.max(first, CHAR_FIRST); cp < first + 0x100; cp++) {
      const entry = at + (cp - CHAR_FIRST) * CHAR_ENTRY;
      table[entry] = CHAR_OTHER;
      const cls = classOf(cp);
      if (cls === CharClass.Separator) {
        table[entry] = CHAR_SEPARATOR;
        continue;
      }
      const ch = String.fromCharCode(cp);
      if (cls !== CharClass.Word || COMBINING_MARK.test(ch) || ch.normalize('NFKC') !== ch) continue;
      const fold = this.analyzer.foldWord(ch);
      const bytes = Buffer.from(fold);
      if (fold.length === 0 || bytes.length > 4 || !PLAIN_LETTERS.test(fold)) continue;
      table[entry] = CHAR_LETTER;
      table[entry + 1] = scriptOfCode(cp);
      table[entry + 2] = fold.length;
      table[entry + 3] = bytes.length;
      bytes.copy(table, entry + 4);
    }
  }

  /** Copies an answer to the WebAssembly's scratch: its length in bytes. */
  private answer(tokens: JsonTokenList): number {
    const at = this.wasm.reserveScratch(tokens.length);
    const memory = this.memory();
    const from = tokens.bytes;
    // By hand: most answers are a few bytes, and Buffer.copy() costs more than that to call.
    for (let i = 0; i < tokens.length; i++) memory[at + i] = from[i]!;
    this.wasm.scratchTokens.value = tokens.count;
    return tokens.length;
  }
}
