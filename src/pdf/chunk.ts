// Splits a page record whose serialized line would not fit one atomic pipe write into several records
// of the same page (`chunk`, `chunks`, `offset`), cut at whitespace so that no word — and no hyphenated
// line end such as `infor-\nmation` — is split across records. Concatenating the chunk texts in order
// gives the page text back exactly. See docs/records.md, "Page records".
import { MAX_ATOMIC_RECORD_BYTES } from '../stream/output.js';

export interface ChunkFields {
  chunk: number;
  chunks: number;
  /** Offset of this chunk's text in the page text, in UTF-16 code units (JavaScript string indexes). */
  offset: number;
}

/** Bytes of `text` once serialized as a JSON string body (quotes excluded), in UTF-8. */
function jsonBytes(text: string): number {
  return Buffer.byteLength(JSON.stringify(text)) - 2;
}

/**
 * Returns the records to write for one page: `[record]` when it fits `maxBytes`, otherwise chunk
 * records, each of whose serialized line fits `maxBytes`. `record.text` must be a string; the chunk
 * fields are inserted right after `text` so that every other field is repeated unchanged.
 */
export function splitPageRecord<R extends { text: string }>(record: R, maxBytes = MAX_ATOMIC_RECORD_BYTES): Array<R | (R & ChunkFields)> {
  const whole = JSON.stringify(record);
  if (Buffer.byteLength(whole) <= maxBytes) return [record];
  const text = record.text;
  // Room left for text in a chunk record: the record without text, with the widest chunk fields.
  const widest = String(text.length);
  const shell = Buffer.byteLength(JSON.stringify({ ...record, text: '', chunk: Number(widest), chunks: Number(widest), offset: Number(widest) }));
  const budget = maxBytes - shell;
  if (budget < 64) throw new Error(`page record fields leave too little room for text (${budget} bytes)`);
  const pieces = cutText(text, budget);
  let offset = 0;
  return pieces.map((piece, chunk) => {
    const r = { ...record, text: piece, chunk, chunks: pieces.length, offset };
    offset += piece.length;
    return r;
  });
}

/** A position where a cut may go: after a run of whitespace that does not follow a hyphenated line end. */
function isCutAfterWhitespace(text: string, wsStart: number, wsEnd: number): boolean {
  if (wsStart === 0) return false;
  const before = text.charCodeAt(wsStart - 1);
  const hyphen = before === 0x2d || before === 0xad || before === 0x2010;
  if (hyphen && text.slice(wsStart, wsEnd).includes('\n')) return false;
  return true;
}

/** Cuts `text` into pieces whose JSON bodies fit `budget` bytes, at whitespace where possible. */
export function cutText(text: string, budget: number): string[] {
  const pieces: string[] = [];
  let start = 0;
  while (start < text.length) {
    if (jsonBytes(text.slice(start)) <= budget) {
      pieces.push(text.slice(start));
      break;
    }
    // Furthest end such that text[start, end) fits; UTF-8 JSON bytes never undercount characters, so
    // `budget` code units is an upper bound to scan.
    let limit = start;
    let used = 0;
    while (limit < text.length) {
      const code = text.charCodeAt(limit);
      const width = code >= 0xd800 && code <= 0xdbff ? 2 : 1;
      const bytes = jsonBytes(text.slice(limit, limit + width));
      if (used + bytes > budget) break;
      used += bytes;
      limit += width;
    }
    // Last allowed whitespace cut at or before `limit` (the cut goes after the whitespace run).
    let cut = -1;
    const ws = /\s+/g;
    ws.lastIndex = start;
    for (let m = ws.exec(text); m && m.index < limit; m = ws.exec(text)) {
      const end = m.index + m[0].length;
      if (end > limit) {
        // Cutting inside a whitespace run is harmless: both sides stay whitespace.
        if (m.index > start && isCutAfterWhitespace(text, m.index, end)) cut = limit;
        break;
      }
      if (end > start && isCutAfterWhitespace(text, m.index, end)) cut = end;
    }
    // No whitespace at all in a whole record's worth of text: a cut inside the "word" is unavoidable.
    if (cut <= start) cut = limit;
    pieces.push(text.slice(start, cut));
    start = cut;
  }
  return pieces;
}
