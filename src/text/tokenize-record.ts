// One record through an analyzer: the record's fields, minus the text (unless kept), plus tokens,
// the analyzer id, optional offsets, and for extract's chunk records the token offset that keeps
// positions right across the chunks of a page.
import type { Analyzer } from './analyzer.js';
import type { JsonRecord } from '../stream/ndjson.js';

export interface TokenizeOptions {
  field: string;
  keepText: boolean;
  offsets: boolean;
}

export type Tokenized =
  | { ok: true; record: JsonRecord; tokens: number }
  | { ok: false; message: string; reason: string };

/**
 * Token counts of the earlier chunks of each page being read, keyed by document and page. An entry
 * lives from chunk 0 to the last chunk of its page, so memory stays small on any input size.
 */
export class ChunkPositions {
  private readonly pages = new Map<string, { nextChunk: number; tokens: number }>();

  /**
   * The tokenOffset for this chunk, or undefined when its earlier chunks went elsewhere (another
   * `parallel --pipe` job): the index then places chunks in `chunk` order, which gives the same positions.
   */
  take(record: JsonRecord, chunk: number, chunks: number, tokens: number): number | undefined {
    return this.takeByKey(JSON.stringify([record.doc ?? record.path ?? record.file ?? null, record.page ?? null]), chunk, chunks, tokens);
  }

  /** take() for a record known by its page key: the JSON of [doc ?? path ?? file ?? null, page ?? null]. */
  takeByKey(key: string, chunk: number, chunks: number, tokens: number): number | undefined {
    let page = this.pages.get(key);
    if (chunk === 0) {
      page = { nextChunk: 0, tokens: 0 };
      this.pages.set(key, page);
    }
    if (!page || page.nextChunk !== chunk) {
      this.pages.delete(key);
      return undefined;
    }
    const offset = page.tokens;
    page.tokens += tokens;
    page.nextChunk++;
    if (page.nextChunk >= chunks) this.pages.delete(key);
    return offset;
  }
}

type Refusal = { ok: false; message: string; reason: string };

/** The record's text, or why it cannot be tokenized by this analyzer. */
function textOf(record: JsonRecord, analyzer: Analyzer, field: string): string | Refusal {
  const text = record[field];
  if (typeof text !== 'string') {
    return { ok: false, message: text === undefined ? `no '${field}' field` : `'${field}' is not a string`, reason: 'no_text' };
  }
  if (record.analyzer !== undefined && record.analyzer !== analyzer.id) {
    return {
      ok: false,
      message: `record was analyzed with ${JSON.stringify(record.analyzer)}, this run uses ${analyzer.id}: mixing analyzers is refused (use --analyzer ${String(record.analyzer).split('/')[0]})`,
      reason: 'analyzer_mismatch',
    };
  }
  return text;
}

/** The fields passed through: all but the ones tokenize writes, and the text unless kept. */
function passedFields(record: JsonRecord, opts: TokenizeOptions): JsonRecord {
  const out: JsonRecord = {};
  for (const key in record) {
    if (key === 'tokens' || key === 'offsets' || key === 'tokenOffset' || key === 'analyzer') continue;
    if (key === opts.field && !opts.keepText) continue;
    out[key] = record[key];
  }
  return out;
}

function tokenOffsetOf(record: JsonRecord, chunks: ChunkPositions, tokens: number): number | undefined {
  const { chunk, chunks: total } = record;
  if (typeof chunk === 'number' && typeof total === 'number') return chunks.take(record, chunk, total, tokens);
  return undefined;
}

export function tokenizeRecord(record: JsonRecord, analyzer: Analyzer, chunks: ChunkPositions, opts: TokenizeOptions): Tokenized {
  const text = textOf(record, analyzer, opts.field);
  if (typeof text !== 'string') return text;
  let tokens: string[];
  let offsets: Array<[number, number]> | undefined;
  if (opts.offsets) ({ tokens, offsets } = analyzer.analyzeWithOffsets(text));
  else tokens = analyzer.analyze(text);

  const out = passedFields(record, opts);
  const tokenOffset = tokenOffsetOf(record, chunks, tokens.length);
  if (tokenOffset !== undefined) out.tokenOffset = tokenOffset;
  out.tokens = tokens;
  out.analyzer = analyzer.id;
  if (offsets) out.offsets = offsets;
  return { ok: true, record: out, tokens: tokens.length };
}

/** A record ready for its token list: the text to analyze and what the output line needs besides. */
export interface PreparedRecord {
  text: string;
  record: JsonRecord;
  /** JSON of the passed-through fields. */
  fields: string;
}

/** The first half of tokenizeRecord() without offsets: checks the record, keeps what its line needs. */
export function prepareRecord(record: JsonRecord, analyzer: Analyzer, opts: TokenizeOptions): PreparedRecord | Refusal {
  const text = textOf(record, analyzer, opts.field);
  if (typeof text !== 'string') return text;
  return { text, record, fields: JSON.stringify(passedFields(record, opts)) };
}

/**
 * The output line of a prepared record whose token list (`tokens` tokens) is encoded elsewhere, as
 * the parts around it: head + list + tail is exactly JSON.stringify of tokenizeRecord()'s record.
 * Call in input order (chunk records count the tokens of their page's earlier chunks).
 */
export function lineAround(prepared: PreparedRecord, analyzer: Analyzer, chunks: ChunkPositions, tokens: number): { head: string; tail: string } {
  const { fields } = prepared;
  let head = fields.length > 2 ? `${fields.slice(0, -1)},` : '{';
  const tokenOffset = tokenOffsetOf(prepared.record, chunks, tokens);
  if (tokenOffset !== undefined) head += `"tokenOffset":${tokenOffset},`;
  return { head: `${head}"tokens":`, tail: `,"analyzer":${JSON.stringify(analyzer.id)}}` };
}
