// `ream tokenize`'s fast path: one NDJSON line in, its tokenized line out, bytes to bytes. The
// record's other members are copied from the line, the text is tokenized from its bytes
// (byte-tokenizer.ts). The output is byte for byte what the reference path (tokenize-record.ts:
// JSON.parse, analyze, JSON.stringify) writes: lines this path cannot reproduce exactly (JSON that
// JSON.stringify would write differently, the keys tokenize itself writes, a text that is not a
// string, hyphenations that depend on the whole text) are refused and take the reference path.
import type { Analyzer } from './analyzer.js';
import { ByteTokenizer } from './byte-tokenizer.js';
import type { ChunkPositions, TokenizeOptions } from './tokenize-record.js';
import { JsonMembers, ValueKind } from '../stream/json-members.js';

const utf8 = (s: string): Buffer => Buffer.from(s);
/** Members the output writes itself: a line that has them takes the reference path. */
const WRITTEN_KEYS = ['tokens', 'offsets', 'tokenOffset', 'analyzer'].map(utf8);
const [DOC, PATH, FILE, PAGE, CHUNK, CHUNKS] = ['doc', 'path', 'file', 'page', 'chunk', 'chunks'].map(utf8);

export class LineTokenizer {
  private readonly members = new JsonMembers();
  private readonly tokenizer: ByteTokenizer;
  private readonly field: Buffer;
  private readonly keepText: boolean;
  private head: Buffer = Buffer.allocUnsafe(4096);
  private readonly tail: Buffer;

  constructor(
    analyzer: Analyzer,
    private readonly chunks: ChunkPositions,
    opts: Pick<TokenizeOptions, 'field' | 'keepText'> & { memoEntries?: number },
  ) {
    this.tokenizer = new ByteTokenizer(analyzer, opts.memoEntries);
    this.field = utf8(opts.field);
    this.keepText = opts.keepText;
    this.tail = utf8(`,"analyzer":${JSON.stringify(analyzer.id)}}`);
  }

  /**
   * Tokenizes the record on line buf[start, end) (valid UTF-8, no line end) and passes its output
   * line to `write` as three byte ranges; returns its token count, or -1 when the line must take
   * the reference path (nothing was written then).
   */
  line(buf: Buffer, start: number, end: number, write: (head: Uint8Array, tokens: Uint8Array, tail: Uint8Array) => void): number {
    const members = this.members;
    if (!members.scan(buf, start, end, this.keepText ? undefined : this.field)) return -1;
    for (const key of WRITTEN_KEYS) if (members.find(buf, key) >= 0) return -1;
    const text = members.find(buf, this.field);
    if (text < 0 || members.kind[text] !== ValueKind.String) return -1;
    const tokenizer = this.tokenizer;
    if (!tokenizer.tokenize(buf, members.valueStart[text]! + 1, members.valueEnd[text]! - 1)) return -1;
    const count = tokenizer.count;

    let head = this.head;
    const headBytes = end - start + 64;
    if (head.length < headBytes) head = this.head = Buffer.allocUnsafe(Math.max(headBytes, head.length * 2));
    // The members are copied as the one or two runs of bytes around the text member: `{` + the
    // members before it (with their trailing comma) + the members after it (without their leading
    // comma) + `,`.
    let at = 0;
    head[at++] = 0x7b;
    if (this.keepText) {
      if (end - start > 2) {
        at = copyBytes(buf, start + 1, end - 1, head, at);
        head[at++] = 0x2c;
      }
    } else {
      at = copyBytes(buf, start + 1, members.keyStart[text]! - 1, head, at);
      const after = members.valueEnd[text]!;
      if (after < end - 1) {
        at = copyBytes(buf, after + 1, end - 1, head, at);
        head[at++] = 0x2c;
      }
    }
    const tokenOffset = this.tokenOffset(buf, count);
    if (tokenOffset !== undefined) at += head.write(`"tokenOffset":${tokenOffset},`, at, 'latin1');
    at += head.write('"tokens":', at, 'latin1');
    write(head.subarray(0, at), tokenizer.tokens(), this.tail);
    return count;
  }

  /** For extract's chunk records: ChunkPositions.take() with the page key made from the line's bytes. */
  private tokenOffset(buf: Buffer, tokens: number): number | undefined {
    const members = this.members;
    const chunk = members.find(buf, CHUNK);
    const total = members.find(buf, CHUNKS);
    if (chunk < 0 || total < 0 || members.kind[chunk] !== ValueKind.Number || members.kind[total] !== ValueKind.Number) return undefined;
    // JSON.stringify([doc ?? path ?? file ?? null, page ?? null]): the members' bytes are already what stringify writes.
    let doc = -1;
    for (const key of [DOC, PATH, FILE]) {
      const m = members.find(buf, key);
      if (m >= 0 && members.kind[m] !== ValueKind.Null) {
        doc = m;
        break;
      }
    }
    const page = members.find(buf, PAGE);
    const key = `[${this.valueText(buf, doc)},${this.valueText(buf, page)}]`;
    return this.chunks.takeByKey(key, Number(this.valueText(buf, chunk)), Number(this.valueText(buf, total)), tokens);
  }

  private valueText(buf: Buffer, m: number): string {
    return m < 0 ? 'null' : buf.toString('utf8', this.members.valueStart[m], this.members.valueEnd[m]);
  }
}

/** Copies from[start, end) to to[at...]; returns the index after the copy. Short runs by hand (Buffer.copy allocates a view per call). */
function copyBytes(from: Buffer, start: number, end: number, to: Buffer, at: number): number {
  if (end - start > 64) return at + from.copy(to, at, start, end);
  for (let i = start; i < end; i++) to[at++] = from[i]!;
  return at;
}
