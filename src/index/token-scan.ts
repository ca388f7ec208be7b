// The fast path for tokenized records: finds the `"tokens":[…]` array in the JSON line and records
// where each token starts and ends, so the inverter hashes tokens in place (no string per token);
// the rest of the record (doc, page, …) is parsed by JSON.parse with the array left empty. Anything
// unusual (no such array, a nested one, odd spacing) returns undefined: the caller parses the line.
import type { JsonRecord } from '../stream/ndjson.js';
import { FNV_OFFSET, FNV_PRIME, type TokenRanges } from './inverter.js';

const KEY = '"tokens":[';
let starts = new Int32Array(4096);
let ends = new Int32Array(4096);
let hashes = new Int32Array(4096);

export function scanTokens(line: string): { record: JsonRecord; tokens: TokenRanges } | undefined {
  const at = line.indexOf(KEY);
  if (at < 0) return undefined;
  let i = at + KEY.length;
  let count = 0;
  let escaped = false;
  const n = line.length;
  while (i < n && line.charCodeAt(i) === 32) i++;
  if (line.charCodeAt(i) !== 93 /* ] */) {
    for (;;) {
      if (line.charCodeAt(i) !== 34 /* " */) return undefined;
      const s = ++i;
      // the term hash (see termHash) is computed in the same pass; an escaped token is rehashed decoded
      let h = FNV_OFFSET;
      for (;;) {
        const c = line.charCodeAt(i);
        if (c === 34) break;
        if (c === 92 /* \ */) {
          escaped = true;
          i++;
        }
        h = Math.imul(h ^ c, FNV_PRIME);
        if (++i >= n) return undefined;
      }
      if (count === starts.length) {
        const s2 = new Int32Array(count * 2);
        s2.set(starts);
        starts = s2;
        const e2 = new Int32Array(count * 2);
        e2.set(ends);
        ends = e2;
        const h2 = new Int32Array(count * 2);
        h2.set(hashes);
        hashes = h2;
      }
      hashes[count] = h;
      starts[count] = s;
      ends[count++] = i;
      i++;
      while (line.charCodeAt(i) === 32) i++;
      const sep = line.charCodeAt(i);
      if (sep === 93) break;
      if (sep !== 44 /* , */) return undefined;
      i++;
      while (line.charCodeAt(i) === 32) i++;
    }
  }
  let record: unknown;
  try {
    record = JSON.parse(line.slice(0, at) + '"tokens":[]' + line.slice(i + 1));
  } catch {
    return undefined;
  }
  if (record === null || typeof record !== 'object' || Array.isArray(record)) return undefined;
  const tokens = (record as JsonRecord).tokens;
  if (!Array.isArray(tokens) || tokens.length !== 0) return undefined;
  return { record: record as JsonRecord, tokens: { line, starts, ends, hashes, count, escaped } };
}
