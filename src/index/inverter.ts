// The in-memory half of building: pages in, per-term postings out, in a run of bounded size.
// Postings are built as they arrive, as Lucene's and FTS5's in-memory hashes do: every term owns
// two byte streams in one pool, its documents (doc delta and tf, varints) and its positions (the
// index's own per-document position deltas), each a chain of slices that grow as the term recurs.
// The hot path allocates nothing and touches one page of term state per token (its fields and
// its characters, side by side), loaded for a whole page of tokens at a time (prefetch); a run costs
// about as many bytes as the postings it will write, so runs hold 3-4x more pages than a token log.
import { compareDocKeys, compareUtf8 } from './keys.js';
import { copyBytes, type PostingList } from './codec/postings.js';
import type { StoredDoc } from './codec/writer.js';

/** A page to index: its tokens come in parts (one per chunk) placed at token offset `start`. */
export interface PageInput {
  doc: string;
  page: number | null;
  fields: string;
  text?: string;
  parts: { tokens: readonly string[]; start: number }[];
}

/** Token boundaries inside a JSON line: token k is line.slice(starts[k], ends[k]) (escaped when flagged). */
export interface TokenRanges {
  line: string;
  starts: Int32Array;
  ends: Int32Array;
  /** termHash of each token's characters as they stand in the line. */
  hashes: Int32Array;
  count: number;
  /** True when some token holds a backslash escape (those are decoded with JSON.parse). */
  escaped: boolean;
}

export const FNV_OFFSET = 0x811c9dc5 | 0;
export const FNV_PRIME = 0x01000193;

/** The hash terms are found by (FNV-1a over UTF-16 code units). */
function termHash(text: string, from: number, to: number): number {
  let h = FNV_OFFSET;
  for (let i = from; i < to; i++) h = Math.imul(h ^ text.charCodeAt(i), FNV_PRIME);
  return h;
}

/** Bytes counted per document besides its strings (StoredDoc object, arrays). */
const DOC_OVERHEAD_BYTES = 120;

// Per-term state: STRIDE ints per term in one array: 16 fields in one cache line, then the term's
// first INLINE_CHARS characters in the next, so that finding a term compares it on the same page of
// memory as its state instead of in the character pool (a cache miss more per token of a large
// vocabulary; the pool keeps every term whole, for longer terms and for draining).
const STRIDE = 32;
const KEY_INLINE = 16;
const INLINE_CHARS = 2 * (STRIDE - KEY_INLINE);
// Fields read for every token come first (keeping them in one cache line), then those read per
// document entry, then those read only when draining or rehashing.
const KEY_START = 0;
const KEY_LEN = 1;
/** Run-local id of the last document the term occurred in (-1 before the first). */
const LAST_DOC = 2;
/** Occurrences in the current document. */
const TF = 3;
const LAST_POS = 4;
// Each stream: write offset, offset of the current slice's link, slice level (in this order), first slice.
const POS_END = 5;
const POS_LIMIT = 6;
const POS_LEVEL = 7;
/** Documents holding the term in this run. */
const DF = 8;
/** The last document whose entry is written (-1 before the first). */
const PREV_DOC = 9;
const DOC_END = 10;
const DOC_LIMIT = 11;
const DOC_LEVEL = 12;
const DOC_HEAD = 13;
const POS_HEAD = 14;
const HASH = 15;

/** Slice sizes by level (multiples of 4: each slice ends in a 4-byte link to the next, kept aligned);
 * growing by half, not doubling, keeps the unused tail of a stream's last slice small. */
const SLICE_SIZES = [8, 12, 16, 24, 32, 48, 64, 96, 128, 192, 256, 384, 512, 768, 1024];
const LAST_LEVEL = SLICE_SIZES.length - 1;
const LINK_BYTES = 4;

export class Inverter {
  // Terms: the open-addressing table holds (hash, id + 1) pairs; term characters (UTF-16 code
  // units) live in one pool, so tokens are compared still inside their JSON line without making a
  // string, and no term keeps its line alive (a sliced string would retain the whole line).
  private slots = new Int32Array(2 << 16);
  private terms = new Int32Array(STRIDE << 15);
  /** terms, as 16-bit units: the inline characters of term t start at (t * STRIDE + KEY_INLINE) * 2. */
  private terms16 = new Uint16Array(this.terms.buffer);
  /** Terms of the table touched by earlier runs (reset() keeps the table: their pages stay resident). */
  private termsTouched = 0;
  private chars = new Uint16Array(1 << 18);
  private charsUsed = 0;
  private termCount = 0;
  // The postings pool: byte streams in slices; a 32-bit view writes the (aligned) links.
  private pool: Uint8Array<ArrayBuffer>;
  private pool32: Int32Array<ArrayBuffer>;
  private poolUsed = 0;
  /** Terms seen in the current document, to write their document entries when it ends. */
  private docTerms = new Int32Array(1024);
  private docTermCount = 0;
  docs: StoredDoc[] = [];
  private otherBytes = 0;

  /** `budgetBytes`: the memory this run may hold; the pool is reserved for it up front (untouched pages cost nothing). */
  constructor(budgetBytes = 1 << 20) {
    this.pool = new Uint8Array(Math.max(1 << 16, Math.floor(budgetBytes * 0.9)) & ~3);
    this.pool32 = new Int32Array(this.pool.buffer);
  }

  /**
   * Empties the inverter for the next run, keeping its pool and its term table (newTerm sets every
   * field): the pages of memory the last run touched are reused instead of fresh arrays adding to
   * them until the old ones are collected.
   */
  reset(): void {
    this.termsTouched = Math.max(this.termsTouched, this.termCount);
    this.slots = new Int32Array(2 << 16);
    this.chars = new Uint16Array(1 << 18);
    this.charsUsed = 0;
    this.termCount = 0;
    this.poolUsed = 0;
    this.docs = [];
    this.otherBytes = 0;
    this.docTermCount = 0;
  }

  get docCount(): number {
    return this.docs.length;
  }

  /** Approximate bytes held. */
  get memory(): number {
    // the term table's pages in use: this run's terms, or as many as an earlier run used (kept)
    const terms = STRIDE * Math.max(this.termCount, this.termsTouched);
    return this.poolUsed + this.otherBytes + 4 * (this.slots.length + terms) + 2 * this.charsUsed;
  }

  /** True when a page of `tokens` tokens might not fit in the pool: the caller should flush the run first. */
  wouldOverflow(tokens: number): boolean {
    return this.docs.length > 0 && this.poolUsed + 16 * tokens + 4096 > this.pool.length;
  }

  private startDoc(page: PageInput, length: number): number {
    const id = this.docs.length;
    this.docs.push({ doc: page.doc, page: page.page, length, fields: page.fields, text: page.text });
    this.otherBytes += DOC_OVERHEAD_BYTES + 2 * (page.doc.length + page.fields.length + (page.text?.length ?? 0));
    this.docTermCount = 0;
    if (this.docTerms.length < length) this.docTerms = new Int32Array(Math.max(length, this.docTerms.length * 2));
    return id;
  }

  add(page: PageInput): void {
    let length = 0;
    for (const part of page.parts) length += part.tokens.length;
    const doc = this.startDoc(page, length);
    for (const part of page.parts) {
      const tokens = part.tokens;
      for (let i = 0, n = tokens.length; i < n; i++) {
        const token = tokens[i]!;
        this.occurs(this.termOf(token, 0, token.length, termHash(token, 0, token.length)), doc, part.start + i);
      }
    }
    this.endDoc(doc);
  }

  /** Adds a page whose tokens are still inside its JSON line (see scanTokens), placed from position `start`. */
  addRanges(page: PageInput, r: TokenRanges, start: number): void {
    const doc = this.startDoc(page, r.count);
    const { line, starts, ends, hashes } = r;
    this.prefetch(hashes, r.count);
    for (let i = 0; i < r.count; i++) {
      let t: number;
      const backslash = r.escaped ? line.indexOf('\\', starts[i]!) : -1;
      if (backslash >= 0 && backslash < ends[i]!) {
        const token = JSON.parse(line.slice(starts[i]! - 1, ends[i]! + 1)) as string;
        t = this.termOf(token, 0, token.length, termHash(token, 0, token.length));
      } else t = this.termOf(line, starts[i]!, ends[i]!, hashes[i]!);
      this.occurs(t, doc, start + i);
    }
    this.endDoc(doc);
  }

  /**
   * Loads, for every token of a page, the memory its lookup will touch — its hash slot, its term's
   * state and inline characters, and the ends of its two streams — in passes of independent
   * loads, which the CPU overlaps; the lookups themselves are chains of dependent loads that wait
   * for each cache miss in turn (a large vocabulary's tables are megabytes).
   */
  private prefetch(hashes: Int32Array, count: number): void {
    const slots = this.slots;
    const mask = (slots.length >> 1) - 1;
    const terms = this.terms;
    if (this.ids.length < count) this.ids = new Int32Array(Math.max(count, this.ids.length * 2));
    const ids = this.ids;
    for (let i = 0; i < count; i++) ids[i] = slots[2 * (hashes[i]! & mask) + 1]!;
    let sink = 0;
    for (let i = 0; i < count; i++) {
      const id = ids[i]!;
      if (id === 0) continue;
      const base = (id - 1) * STRIDE;
      sink ^= terms[base + KEY_START]! ^ terms[base + KEY_INLINE]!;
    }
    const pool = this.pool;
    for (let i = 0; i < count; i++) {
      const id = ids[i]!;
      if (id === 0) continue;
      const base = (id - 1) * STRIDE;
      sink ^= pool[terms[base + POS_END]!]! ^ pool[terms[base + DOC_END]!]!;
    }
    this.sink = sink;
  }

  // the ids prefetch() found (first probe only) and what it loaded, kept so no load is optimized away
  private ids = new Int32Array(1024);
  private sink = 0;

  /** Term t at position pos of document doc: appends the position delta to its positions stream. */
  private occurs(t: number, doc: number, pos: number): void {
    const terms = this.terms;
    const at = t * STRIDE;
    if (terms[at + LAST_DOC] !== doc) {
      terms[at + LAST_DOC] = doc;
      terms[at + TF] = 0;
      terms[at + LAST_POS] = 0;
      this.docTerms[this.docTermCount++] = t;
    }
    terms[at + TF]!++;
    // positions never go backwards (chunks placed out of order would): such a delta is written as 0
    let v = pos - terms[at + LAST_POS]!;
    if (v < 0) v = 0;
    else terms[at + LAST_POS] = pos;
    const end = terms[at + POS_END]!;
    if (v < 0x80 && end !== terms[at + POS_LIMIT]) {
      // the common case: one byte, room in the slice
      this.pool[end] = v;
      terms[at + POS_END] = end + 1;
    } else this.putVarint(at + POS_END, v);
  }

  /** Writes the document entry of every term in document doc: varint(delta * 2 + 1) when tf is 1, else varint(delta * 2), varint(tf). */
  private endDoc(doc: number): void {
    const terms = this.terms;
    const list = this.docTerms;
    for (let k = 0, n = this.docTermCount; k < n; k++) {
      const at = list[k]! * STRIDE;
      const tf = terms[at + TF]!;
      const delta = doc - terms[at + PREV_DOC]!;
      terms[at + PREV_DOC] = doc;
      terms[at + DF]!++;
      const end = terms[at + DOC_END]!;
      if (tf === 1 && delta < 0x40 && end !== terms[at + DOC_LIMIT]) {
        this.pool[end] = delta * 2 + 1;
        terms[at + DOC_END] = end + 1;
      } else if (tf === 1) this.putVarint(at + DOC_END, delta * 2 + 1);
      else {
        this.putVarint(at + DOC_END, delta * 2);
        this.putVarint(at + DOC_END, tf);
      }
    }
    this.docTermCount = 0;
  }

  private putVarint(endField: number, v: number): void {
    while (v >= 0x80) {
      this.put(endField, (v & 0x7f) | 0x80);
      v >>>= 7;
    }
    this.put(endField, v);
  }

  /** Appends byte b to the stream whose write offset is terms[endField] (limit and level follow it). */
  private put(endField: number, b: number): void {
    const terms = this.terms;
    let end = terms[endField]!;
    if (end === terms[endField + 1]) end = this.nextSlice(endField);
    this.pool[end] = b;
    terms[endField] = end + 1;
  }

  /** Chains a new slice to the stream at terms[endField] and returns its first byte's offset. */
  private nextSlice(endField: number): number {
    const terms = this.terms;
    const level = Math.min(terms[endField + 2]! + 1, LAST_LEVEL);
    const start = this.allocate(SLICE_SIZES[level]!);
    this.pool32[terms[endField + 1]! >> 2] = start;
    terms[endField + 1] = start + SLICE_SIZES[level]! - LINK_BYTES;
    terms[endField + 2] = level;
    return start;
  }

  private allocate(size: number): number {
    if (this.poolUsed + size > this.pool.length) {
      // only a page far larger than wouldOverflow() expects gets here: grow by copying
      const next = new Uint8Array(Math.ceil((this.pool.length * 1.5) / 4) * 4);
      next.set(this.pool);
      this.pool = next;
      this.pool32 = new Int32Array(next.buffer);
    }
    const start = this.poolUsed;
    this.poolUsed += size;
    return start;
  }

  /** The id of the term text.slice(from, to) (whose termHash is h), created when new. */
  private termOf(text: string, from: number, to: number, h: number): number {
    const slots = this.slots;
    const mask = (slots.length >> 1) - 1;
    const len = to - from;
    const terms = this.terms;
    const chars = this.chars;
    for (let at = h & mask; ; at = (at + 1) & mask) {
      const id = slots[2 * at + 1]!;
      if (id === 0) break;
      if (slots[2 * at] !== h) continue;
      const base = (id - 1) * STRIDE;
      if (terms[base + KEY_LEN] !== len) continue;
      // the characters: inline (most terms), else in the pool
      const inline = len <= INLINE_CHARS;
      const key = inline ? this.terms16 : chars;
      const k = inline ? (base + KEY_INLINE) * 2 : terms[base + KEY_START]!;
      let same = true;
      for (let i = 0; i < len; i++) {
        if (key[k + i] !== text.charCodeAt(from + i)) {
          same = false;
          break;
        }
      }
      if (same) return id - 1;
    }
    return this.newTerm(text, from, to, h);
  }

  private newTerm(text: string, from: number, to: number, h: number): number {
    const id = this.termCount++;
    if ((id + 1) * STRIDE > this.terms.length) {
      const next = new Int32Array(this.terms.length * 2);
      next.set(this.terms);
      this.terms = next;
      this.terms16 = new Uint16Array(next.buffer);
    }
    const len = to - from;
    if (this.charsUsed + len > this.chars.length) {
      const next = new Uint16Array(Math.max(this.charsUsed + len, this.chars.length * 2));
      next.set(this.chars);
      this.chars = next;
    }
    for (let i = 0; i < len; i++) this.chars[this.charsUsed + i] = text.charCodeAt(from + i);
    const t = this.terms;
    const at = id * STRIDE;
    if (len <= INLINE_CHARS) this.terms16.set(this.chars.subarray(this.charsUsed, this.charsUsed + len), (at + KEY_INLINE) * 2);
    t[at + HASH] = h;
    t[at + KEY_START] = this.charsUsed;
    t[at + KEY_LEN] = len;
    t[at + LAST_DOC] = -1;
    t[at + DF] = 0;
    t[at + PREV_DOC] = -1;
    const first = SLICE_SIZES[0]!;
    const docSlice = this.allocate(first);
    t[at + DOC_HEAD] = t[at + DOC_END] = docSlice;
    t[at + DOC_LIMIT] = docSlice + first - LINK_BYTES;
    t[at + DOC_LEVEL] = 0;
    const posSlice = this.allocate(first);
    t[at + POS_HEAD] = t[at + POS_END] = posSlice;
    t[at + POS_LIMIT] = posSlice + first - LINK_BYTES;
    t[at + POS_LEVEL] = 0;
    this.charsUsed += len;
    this.insertSlot(h, id + 1);
    if (this.termCount * 2 > this.slots.length >> 1) this.rehash();
    return id;
  }

  private insertSlot(h: number, value: number): void {
    const mask = (this.slots.length >> 1) - 1;
    let at = h & mask;
    while (this.slots[2 * at + 1] !== 0) at = (at + 1) & mask;
    this.slots[2 * at] = h;
    this.slots[2 * at + 1] = value;
  }

  private rehash(): void {
    this.slots = new Int32Array(this.slots.length * 2);
    for (let i = 0; i < this.termCount; i++) this.insertSlot(this.terms[i * STRIDE + HASH]!, i + 1);
  }

  private key(t: number): string {
    const k = this.terms[t * STRIDE + KEY_START]!;
    return String.fromCharCode.apply(null, this.chars.subarray(k, k + this.terms[t * STRIDE + KEY_LEN]!) as unknown as number[]);
  }

  /**
   * The run in index order: documents sorted by key (the last of equal keys wins), terms in byte
   * order with their postings remapped to the sorted ids.
   */
  drain(): { docs: StoredDoc[]; terms: Generator<{ term: string; list: PostingList }, void, void> } {
    const remap = this.sortDocs();
    return { docs: this.docs, terms: this.drainTerms(remap) };
  }

  private *drainTerms(remap: Int32Array | undefined): Generator<{ term: string; list: PostingList }, void, void> {
    const termCount = this.termCount;
    const keys: string[] = new Array<string>(termCount);
    let surrogates = false;
    for (let t = 0; t < termCount; t++) {
      const key = (keys[t] = this.key(t));
      if (!surrogates) for (let i = 0; i < key.length; i++) if ((key.charCodeAt(i) & 0xf800) === 0xd800) surrogates = true;
    }
    const ids = Array.from({ length: termCount }, (_, i) => i);
    if (surrogates) ids.sort((a, b) => compareUtf8(keys[a]!, keys[b]!));
    else ids.sort((a, b) => (keys[a]! < keys[b]! ? -1 : keys[a]! > keys[b]! ? 1 : 0));
    this.slots = new Int32Array(0);
    this.chars = new Uint16Array(0);
    const terms = this.terms;
    const docStream = new SliceReader(this.pool, this.pool32);
    let docs = new Int32Array(1024);
    let tfs = new Int32Array(1024);
    let posStarts = new Int32Array(1025);
    let positions = new Uint8Array(1 << 16);
    for (let k = 0; k < termCount; k++) {
      const t = ids[k]!;
      const at = t * STRIDE;
      const count = terms[at + DF]!;
      if (count + 1 > posStarts.length) {
        docs = new Int32Array(count * 2);
        tfs = new Int32Array(count * 2);
        posStarts = new Int32Array(count * 2 + 1);
      }
      docStream.start(terms[at + DOC_HEAD]!);
      // positions are copied slice by slice as they are: the stream already holds the index's
      // per-document deltas; then each document's start is found by counting its tf varints
      let bytes = 0;
      for (let from = terms[at + POS_HEAD]!, level = 0, end = terms[at + POS_END]!; ; ) {
        const limit = from + SLICE_SIZES[level]! - LINK_BYTES;
        const last = end >= from && end <= limit;
        const stop = last ? end : limit;
        if (bytes + stop - from > positions.length) {
          const next = new Uint8Array(Math.max(positions.length * 2, bytes + stop - from));
          next.set(positions.subarray(0, bytes));
          positions = next;
        }
        copyBytes(this.pool, positions, bytes, from, stop);
        bytes += stop - from;
        if (last) break;
        from = this.pool32[limit >> 2]!;
        if (level < LAST_LEVEL) level++;
      }
      let doc = -1;
      let p = 0;
      for (let i = 0; i < count; i++) {
        const v = docStream.varint();
        doc += v >>> 1;
        docs[i] = doc;
        const tf = v & 1 ? 1 : docStream.varint();
        tfs[i] = tf;
        posStarts[i] = p;
        for (let n = tf; n > 0; n--) while (positions[p++]! & 0x80);
      }
      if (p !== bytes) throw new Error(`positions of term ${keys[t]} out of step`);
      posStarts[count] = bytes;
      const list = { count, docs, tfs, positions, posStarts };
      yield { term: keys[t]!, list: remap ? remapList(list, remap) : list };
    }
  }

  /** Sorts this.docs by key; returns old id → new id (-1 dropped), or undefined when already sorted. */
  private sortDocs(): Int32Array | undefined {
    const docs = this.docs;
    let sorted = true;
    for (let i = 1; i < docs.length && sorted; i++) if (compareDocKeys(docs[i - 1]!, docs[i]!) >= 0) sorted = false;
    if (sorted) return undefined;
    const order = docs.map((_, i) => i);
    order.sort((a, b) => compareDocKeys(docs[a]!, docs[b]!) || a - b);
    const remap = new Int32Array(docs.length).fill(-1);
    const kept: StoredDoc[] = [];
    for (let k = 0; k < order.length; k++) {
      const next = order[k + 1];
      // equal keys: keep the last one to arrive (re-indexing a page replaces it)
      if (next !== undefined && compareDocKeys(docs[order[k]!]!, docs[next]!) === 0) continue;
      remap[order[k]!] = kept.length;
      kept.push(docs[order[k]!]!);
    }
    this.docs.length = 0;
    this.docs.push(...kept);
    return remap;
  }
}

/** Reads one stream of the pool from its first slice, following the links between slices. */
class SliceReader {
  private at = 0;
  private limit = 0;
  private level = 0;
  constructor(
    private readonly pool: Uint8Array,
    private readonly pool32: Int32Array,
  ) {}

  start(head: number): void {
    this.at = head;
    this.level = 0;
    this.limit = head + SLICE_SIZES[0]! - LINK_BYTES;
  }

  byte(): number {
    if (this.at === this.limit) {
      this.at = this.pool32[this.limit >> 2]!;
      if (this.level < LAST_LEVEL) this.level++;
      this.limit = this.at + SLICE_SIZES[this.level]! - LINK_BYTES;
    }
    return this.pool[this.at++]!;
  }

  varint(): number {
    let b = this.byte();
    if (b < 0x80) return b; // most doc entries: one byte
    let v = b & 0x7f;
    // a scale, not 2 ** shift: V8 makes the power a call per byte
    for (let scale = 0x80; ; scale *= 0x80) {
      b = this.byte();
      v += (b & 0x7f) * scale;
      if (b < 0x80) return v;
    }
  }
}

/** The list with its documents renumbered (dropped ones, -1, left out) and sorted by new id. */
function remapList(list: PostingList, remap: Int32Array): PostingList {
  const { count: n, docs, tfs, posStarts: starts, positions } = list;
  const idx: number[] = [];
  for (let i = 0; i < n; i++) if (remap[docs[i]!]! >= 0) idx.push(i);
  idx.sort((a, b) => remap[docs[a]!]! - remap[docs[b]!]!);
  const out = { count: idx.length, docs: new Int32Array(idx.length), tfs: new Int32Array(idx.length), posStarts: new Int32Array(idx.length + 1), positions: new Uint8Array(starts[n]!) };
  let at = 0;
  idx.forEach((i, k) => {
    out.docs[k] = remap[docs[i]!]!;
    out.tfs[k] = tfs[i]!;
    out.posStarts[k] = at;
    out.positions.set(positions.subarray(starts[i]!, starts[i + 1]!), at);
    at += starts[i + 1]! - starts[i]!;
  });
  out.posStarts[idx.length] = at;
  return out;
}
