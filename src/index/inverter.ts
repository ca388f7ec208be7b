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
}

const TERM_OVERHEAD_BYTES = 160;
const DOC_OVERHEAD_BYTES = 120;

export class Inverter {
  private terms = new Map<string, TermPostings>();
  private surrogates = false;
  readonly docs: StoredDoc[] = [];
  /** Approximate bytes held. */
  memory = 0;

  get docCount(): number {
    return this.docs.length;
  }

  add(page: PageInput): void {
    const id = this.docs.length;
    let length = 0;
    for (const part of page.parts) length += part.tokens.length;
    this.docs.push({ doc: page.doc, page: page.page, length, fields: page.fields, text: page.text });
    this.memory += DOC_OVERHEAD_BYTES + 2 * (page.doc.length + page.fields.length + (page.text?.length ?? 0));
    const terms = this.terms;
    for (const part of page.parts) {
      const tokens = part.tokens;
      for (let i = 0, n = tokens.length; i < n; i++) {
        const token = tokens[i]!;
        let t = terms.get(token);
        if (t === undefined) {
          t = new TermPostings();
          terms.set(token, t);
          this.memory += TERM_OVERHEAD_BYTES + 2 * token.length;
          if (!this.surrogates && hasSurrogates(token)) this.surrogates = true;
        }
        if (t.lastDoc !== id) {
          if (t.lastDoc >= 0) this.endDoc(t);
          t.lastDoc = id;
          t.lastPos = 0;
          t.tf = 0;
        }
        t.tf++;
        const position = part.start + i;
        this.posVarint(t, position - t.lastPos);
        t.lastPos = position;
      }
    }
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
    const names = [...this.terms.keys()];
    if (this.surrogates) names.sort(compareUtf8);
    else names.sort();
    let docs = new Int32Array(1024);
    let tfs = new Int32Array(1024);
    let starts = new Int32Array(1025);
    for (const name of names) {
      const t = this.terms.get(name)!;
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
      this.terms.delete(name);
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
