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

class TermPostings {
  docs = new Uint8Array(8);
  docsLen = 0;
  pos = new Uint8Array(8);
  posLen = 0;
  lastDoc = -1;
  prevWrittenDoc = -1;
  lastPos = 0;
  tf = 0;
  constructor(readonly key: string) {}
}

const TERM_OVERHEAD_BYTES = 200;
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

export class Inverter {
  // An open-addressing hash table over the terms' UTF-16 code units, so that tokens still inside
  // the JSON line are looked up without creating a string; a string is made only for a new term.
  private slots = new Int32Array(1 << 16);
  private hashes: number[] = [];
  private postings: TermPostings[] = [];
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
      let t: TermPostings;
      const backslash = r.escaped ? line.indexOf('\\', starts[i]!) : -1;
      if (backslash >= 0 && backslash < ends[i]!) {
        const token = JSON.parse(line.slice(starts[i]! - 1, ends[i]! + 1)) as string;
        t = this.termOf(token, 0, token.length);
      } else t = this.termOf(line, starts[i]!, ends[i]!);
      this.addToken(t, id, start + i);
    }
  }

  /** The postings of the term text.slice(from, to), created when new. */
  private termOf(text: string, from: number, to: number): TermPostings {
    let h = 0x811c9dc5 | 0;
    for (let i = from; i < to; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
    const slots = this.slots;
    const mask = slots.length - 1;
    const len = to - from;
    for (let at = h & mask; ; at = (at + 1) & mask) {
      const slot = slots[at]!;
      if (slot === 0) break;
      if (this.hashes[slot - 1] !== h) continue;
      const t = this.postings[slot - 1]!;
      const key = t.key;
      if (key.length !== len) continue;
      let same = true;
      for (let i = 0; i < len; i++) {
        if (key.charCodeAt(i) !== text.charCodeAt(from + i)) {
          same = false;
          break;
        }
      }
      if (same) return t;
    }
    const key = from === 0 && to === text.length ? text : text.slice(from, to);
    const t = new TermPostings(key);
    this.postings.push(t);
    this.hashes.push(h);
    this.insertSlot(h, this.postings.length);
    this.memory += TERM_OVERHEAD_BYTES + 2 * len;
    if (!this.surrogates && hasSurrogates(key)) this.surrogates = true;
    if (this.postings.length * 2 > slots.length) this.rehash();
    return t;
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
    for (let i = 0; i < this.hashes.length; i++) this.insertSlot(this.hashes[i]!, i + 1);
  }

  private addToken(t: TermPostings, id: number, position: number): void {
    if (t.lastDoc !== id) {
      if (t.lastDoc >= 0) this.endDoc(t);
      t.lastDoc = id;
      t.lastPos = 0;
      t.tf = 0;
    }
    t.tf++;
    this.posVarint(t, position - t.lastPos);
    t.lastPos = position;
  }

  private endDoc(t: TermPostings): void {
    // (doc delta, tf) of the term's previous document
    if (t.docsLen + 20 > t.docs.length) {
      const next = new Uint8Array(t.docs.length * 2);
      next.set(t.docs);
      this.memory += t.docs.length;
      t.docs = next;
    }
    let v = t.lastDoc - t.prevWrittenDoc;
    t.prevWrittenDoc = t.lastDoc;
    const d = t.docs;
    let at = t.docsLen;
    while (v >= 0x80) {
      d[at++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    d[at++] = v;
    v = t.tf;
    while (v >= 0x80) {
      d[at++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    d[at++] = v;
    t.docsLen = at;
  }

  private posVarint(t: TermPostings, value: number): void {
    if (t.posLen + 5 > t.pos.length) {
      const next = new Uint8Array(t.pos.length * 2);
      next.set(t.pos);
      this.memory += t.pos.length;
      t.pos = next;
    }
    const p = t.pos;
    let at = t.posLen;
    let v = value;
    while (v >= 0x80) {
      p[at++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    p[at++] = v;
    t.posLen = at;
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
    const all = this.postings;
    this.postings = [];
    this.hashes = [];
    this.slots = new Int32Array(1 << 16);
    if (this.surrogates) all.sort((a, b) => compareUtf8(a.key, b.key));
    else all.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    let docs = new Int32Array(1024);
    let tfs = new Int32Array(1024);
    let starts = new Int32Array(1025);
    for (let k = 0; k < all.length; k++) {
      const t = all[k]!;
      const name = t.key;
      this.endDoc(t);
      // decode (doc delta, tf) pairs, find each doc's positions by counting varints
      let n = 0;
      let doc = -1;
      let posAt = 0;
      const d = t.docs;
      const p = t.pos;
      for (let at = 0; at < t.docsLen; ) {
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
      all[k] = undefined!; // let the run's memory go as it is written
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
