// The analyzers' tokens of a JSON string, read from its UTF-8 bytes as they sit in an NDJSON line: no
// JS string of the text is made, and for ASCII words none at all. The byte loops are WebAssembly
// (wasm/byte-tokenizer.ts, which says what they do), compiled ahead of time so that new text is
// tokenized at full speed from the first line; this class feeds them and answers what only the
// analyzer knows: the tokens of a span with non-ASCII characters, and the token of an ASCII word
// under language steps (stemming, stopwords). Both answers are memoized inside the WebAssembly.
import type { Analyzer } from './analyzer.js';
import { JsonTokenList } from './json-tokens.js';
import binary from '../../wasm/byte-tokenizer.wasm';

interface Exports {
  memory: WebAssembly.Memory;
  input: WebAssembly.Global;
  output: WebAssembly.Global;
  outputLength: WebAssembly.Global;
  tokenCount: WebAssembly.Global;
  scratchTokens: WebAssembly.Global;
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
      },
    });
    this.wasm = instance.exports as unknown as Exports;
    this.wasm.configure(analyzer.keepsAsciiWords() ? 1 : 0, memoEntries);
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
    const tokens = this.scratch;
    tokens.length = 0;
    tokens.count = 0;
    this.analyzer.appendJson(text, tokens);
    return this.answer(tokens);
  }

  /** wordToken() for the WebAssembly: the token of an ASCII word (letters, digits, ' . ,) under the language steps. */
  private wordToken(at: number, length: number): number {
    // toLowerCase() of ASCII is A-Z → a-z.
    const token = this.analyzer.asciiWordToken(this.memory().toString('latin1', at, at + length).toLowerCase());
    const tokens = this.scratch;
    tokens.length = 0;
    tokens.count = 0;
    if (token.length > 0) tokens.token(token);
    return this.answer(tokens);
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
