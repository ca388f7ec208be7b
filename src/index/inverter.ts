// The in-memory half of building: pages in, per-term postings out, in a run of bounded size. Per
// term it keeps two growing byte buffers — (doc delta, tf) pairs and position deltas — written as
// tokens arrive, so the hot path is one Map lookup and a few byte writes per token.
import { compareDocKeys, compareUtf8, hasSurrogates } from './keys.js';
import type { PostingList } from './codec/postings.js';
import type { StoredDoc } from './codec/writer.js';

/** A page to index: its tokens come in parts (one per chunk) placed at token offset `start`. */
export interface PageInput {
  doc: string;
  page: number | null;
  fields: string;
  text?: string;
  parts: { tokens: readonly string[]; start: number }[];
}

const TERM_OVERHEAD_BYTES = 320;
const DOC_OVERHEAD_BYTES = 120;

/** Token boundaries inside a JSON line: token k is line.slice(starts[k], ends[k]) (escaped when flagged). */
export interface TokenRanges {
  line: string;
  starts: Int32Array;
  ends: Int32Array;
  count: number;
  /** True when some token holds a backslash escape (those are decoded with JSON.parse). */
  escaped: boolean;
}

function growInts(a: Int32Array<ArrayBuffer>, min: number): Int32Array<ArrayBuffer> {
  const next = new Int32Array(Math.max(min, a.length * 2));
  next.set(a);
  return next;
}

export class Inverter {
  // Terms live in flat arrays indexed by term id (struct of arrays: few objects, few cache misses).
  // The open-addressing hash table is keyed by the terms' UTF-16 code units, so tokens still inside
  // the JSON line are looked up without creating a string; a string is made only for a new term.
  private slots = new Int32Array(1 << 16);
  private hashes = new Int32Array(1 << 15);
  private keys: string[] = [];
  private lastDoc = new Int32Array(1 << 15);
  private prevWrittenDoc = new Int32Array(1 << 15);
  private lastPos = new Int32Array(1 << 15);
  private tf = new Int32Array(1 << 15);
  private docsLen = new Int32Array(1 << 15);
  private posLen = new Int32Array(1 << 15);
  private docsBufs: Uint8Array[] = [];
  private posBufs: Uint8Array[] = [];
  private surrogates = false;
  readonly docs: StoredDoc[] = [];
  /** Approximate bytes held. */
  memory = 0;

  get docCount(): number {
    return this.docs.length;
  }

  private startDoc(page: PageInput, length: number): number {
    this.docs.push({ doc: page.doc, page: page.page, length, fields: page.fields, text: page.text });
    this.memory += DOC_OVERHEAD_BYTES + 2 * (page.doc.length + page.fields.length + (page.text?.length ?? 0));
    return this.docs.length - 1;
  }

  add(page: PageInput): void {
    let length = 0;
    for (const part of page.parts) length += part.tokens.length;
    const id = this.startDoc(page, length);
    for (const part of page.parts) {
      const tokens = part.tokens;
      for (let i = 0, n = tokens.length; i < n; i++) {
        const token = tokens[i]!;
        this.addToken(this.termOf(token, 0, token.length), id, part.start + i);
      }
    }
  }

  /** Adds a page whose tokens are still inside its JSON line (see scanTokens). */
  addRanges(page: PageInput, r: TokenRanges, start: number): void {
    const id = this.startDoc(page, r.count);
    const { line, starts, ends } = r;
    for (let i = 0; i < r.count; i++) {
      let t: number;
      const backslash = r.escaped ? line.indexOf('\\', starts[i]!) : -1;
      if (backslash >= 0 && backslash < ends[i]!) {
        const token = JSON.parse(line.slice(starts[i]! - 1, ends[i]! + 1)) as string;
        t = this.termOf(token, 0, token.length);
      } else t = this.termOf(line, starts[i]!, ends[i]!);
      this.addToken(t, id, start + i);
    }
  }

  /** The id of the term text.slice(from, to), created when new. */
  private termOf(text: string, from: number, to: number): number {
    let h = 0x811c9dc5 | 0;
    for (let i = from; i < to; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
    const slots = this.slots;
    const mask = slots.length - 1;
    const len = to - from;
    const hashes = this.hashes;
    for (let at = h & mask; ; at = (at + 1) & mask) {
      const slot = slots[at]!;
      if (slot === 0) break;
      if (hashes[slot - 1] !== h) continue;
      const key = this.keys[slot - 1]!;
      if (key.length !== len) continue;
      let same = true;
      for (let i = 0; i < len; i++) {
        if (key.charCodeAt(i) !== text.charCodeAt(from + i)) {
          same = false;
          break;
        }
      }
      if (same) return slot - 1;
    }
    return this.newTerm(from === 0 && to === text.length ? text : text.slice(from, to), h);
  }

  private newTerm(key: string, h: number): number {
    const id = this.keys.length;
    if (id === this.hashes.length) {
      const n = id * 2;
      this.hashes = growInts(this.hashes, n);
      this.lastDoc = growInts(this.lastDoc, n);
      this.prevWrittenDoc = growInts(this.prevWrittenDoc, n);
      this.lastPos = growInts(this.lastPos, n);
      this.tf = growInts(this.tf, n);
      this.docsLen = growInts(this.docsLen, n);
      this.posLen = growInts(this.posLen, n);
      this.memory += n * 4 * 7;
    }
    this.keys.push(key);
    this.hashes[id] = h;
    this.lastDoc[id] = -1;
    this.prevWrittenDoc[id] = -1;
    this.lastPos[id] = 0;
    this.tf[id] = 0;
    this.docsLen[id] = 0;
    this.posLen[id] = 0;
    this.docsBufs.push(new Uint8Array(8));
    this.posBufs.push(new Uint8Array(8));
    this.insertSlot(h, id + 1);
    this.memory += TERM_OVERHEAD_BYTES + 2 * key.length;
    if (!this.surrogates && hasSurrogates(key)) this.surrogates = true;
    if (this.keys.length * 2 > this.slots.length) this.rehash();
    return id;
  }

  private insertSlot(h: number, value: number): void {
    const mask = this.slots.length - 1;
    let at = h & mask;
    while (this.slots[at] !== 0) at = (at + 1) & mask;
    this.slots[at] = value;
  }

  private rehash(): void {
    this.memory += this.slots.length * 4;
    this.slots = new Int32Array(this.slots.length * 2);
    for (let i = 0; i < this.keys.length; i++) this.insertSlot(this.hashes[i]!, i + 1);
  }

  private addToken(t: number, id: number, position: number): void {
    if (this.lastDoc[t] !== id) {
      if (this.lastDoc[t]! >= 0) this.endDoc(t);
      this.lastDoc[t] = id;
      this.lastPos[t] = 0;
      this.tf[t] = 0;
    }
    this.tf[t]!++;
    // position delta as a varint
    const at = this.posLen[t]!;
    this.posLen[t] = putVarint(this.room(this.posBufs, t, at + 5), at, position - this.lastPos[t]!);
    this.lastPos[t] = position;
  }

  /** Term t's buffer in bufs, doubled until it holds `need` bytes. */
  private room(bufs: Uint8Array[], t: number, need: number): Uint8Array {
    let b = bufs[t]!;
    while (need > b.length) {
      const next = new Uint8Array(b.length * 2);
      next.set(b);
      this.memory += b.length;
      bufs[t] = b = next;
    }
    return b;
  }

  /** Writes the (doc delta, tf) pair of term t's current document. */
  private endDoc(t: number): void {
    let at = this.docsLen[t]!;
    const d = this.room(this.docsBufs, t, at + 10);
    const doc = this.lastDoc[t]!;
    at = putVarint(d, at, doc - this.prevWrittenDoc[t]!);
    this.prevWrittenDoc[t] = doc;
    this.docsLen[t] = putVarint(d, at, this.tf[t]!);
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
    const keys = this.keys;
    const ids = keys.map((_, i) => i);
    if (this.surrogates) ids.sort((a, b) => compareUtf8(keys[a]!, keys[b]!));
    else ids.sort((a, b) => (keys[a]! < keys[b]! ? -1 : keys[a]! > keys[b]! ? 1 : 0));
    this.slots = new Int32Array(1 << 16);
    let docs = new Int32Array(1024);
    let tfs = new Int32Array(1024);
    let starts = new Int32Array(1025);
    for (let k = 0; k < ids.length; k++) {
      const t = ids[k]!;
      const name = keys[t]!;
      this.endDoc(t);
      // decode (doc delta, tf) pairs, find each doc's positions by counting varints
      let n = 0;
      let doc = -1;
      let posAt = 0;
      const d = this.docsBufs[t]!;
      const p = this.posBufs[t]!;
      const docsLen = this.docsLen[t]!;
      for (let at = 0; at < docsLen; ) {
        let v = 0;
        let shift = 0;
        let b: number;
        do {
          b = d[at++]!;
          v |= (b & 0x7f) << shift;
          shift += 7;
        } while (b >= 0x80);
        let tf = 0;
        shift = 0;
        do {
          b = d[at++]!;
          tf |= (b & 0x7f) << shift;
          shift += 7;
        } while (b >= 0x80);
        doc += v;
        if (n === docs.length) {
          docs = grow(docs);
          tfs = grow(tfs);
          starts = grow(starts);
        }
        docs[n] = doc;
        tfs[n] = tf;
        starts[n] = posAt;
        for (let k = tf; k > 0; ) if (p[posAt++]! < 0x80) k--;
        n++;
      }
      starts[n] = posAt;
      // let the run's memory go as it is written
      this.docsBufs[t] = this.posBufs[t] = EMPTY;
      if (remap) yield { term: name, list: remapList(n, docs, tfs, starts, p, remap) };
      else yield { term: name, list: { count: n, docs, tfs, positions: p, posStarts: starts } };
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

const EMPTY = new Uint8Array(0);

/** Writes v (< 2^31) as a varint at buf[at]; returns the offset after it. */
function putVarint(buf: Uint8Array, at: number, v: number): number {
  while (v >= 0x80) {
    buf[at++] = (v & 0x7f) | 0x80;
    v >>>= 7;
  }
  buf[at++] = v;
  return at;
}

function grow(a: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const next = new Int32Array(a.length * 2 + 1);
  next.set(a);
  return next;
}

function remapList(n: number, docs: Int32Array, tfs: Int32Array, starts: Int32Array, positions: Uint8Array, remap: Int32Array): PostingList {
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
