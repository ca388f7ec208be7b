// What a query phrase reads in one index: a term's posting list (decoded block by block, with the
// skip table's block-max inputs), or, for phrases and prefixes, the matching pages computed up front.
import { POSTING_BLOCK } from './codec/layout.js';
import { PostingsCursor } from './codec/postings.js';
import type { IndexReader, TermInfo } from './codec/reader.js';

/** A cursor over (doc, tf) in doc order with per-block upper-bound inputs. */
export interface DocSource {
  doc: number;
  tf: number;
  /** Documents matching in this index (n for idf). */
  readonly count: number;
  next(): number;
  advance(target: number): number;
  /** Max tf and min length over the block holding `target`, and that block's last doc: for upper bounds. */
  blockMax(target: number): { maxTf: number; minLen: number; lastDoc: number } | undefined;
  /** Max tf and min length over the blocks that may hold documents in [from, to]. */
  rangeMax(from: number, to: number): { maxTf: number; minLen: number } | undefined;
}

/** Folds block maxima over the blocks b0… whose documents may fall in [from, to]. */
function foldBlocks(b0: number, blocks: number, to: number, lastDoc: (b: number) => number, maxTf: ArrayLike<number>, minLen: ArrayLike<number>): { maxTf: number; minLen: number } | undefined {
  if (b0 < 0 || b0 >= blocks) return undefined;
  let tf = 0;
  let len = Infinity;
  for (let b = b0; b < blocks && (b === b0 || lastDoc(b - 1) < to); b++) {
    if (maxTf[b]! > tf) tf = maxTf[b]!;
    if (minLen[b]! < len) len = minLen[b]!;
  }
  return { maxTf: tf, minLen: len };
}

export class TermSource implements DocSource {
  private cursor: PostingsCursor;
  readonly count: number;
  constructor(reader: IndexReader, info: TermInfo) {
    this.cursor = new PostingsCursor(reader.docPart(info));
    this.count = info.df;
  }
  get doc(): number {
    return this.cursor.doc;
  }
  get tf(): number {
    return this.cursor.tf;
  }
  next(): number {
    return this.cursor.next();
  }
  advance(target: number): number {
    return this.cursor.advance(target);
  }
  blockMax(target: number): { maxTf: number; minLen: number; lastDoc: number } | undefined {
    const b = this.cursor.blockFor(target);
    if (b < 0) return undefined;
    const t = this.cursor.table;
    return { maxTf: t.maxTf[b]!, minLen: t.minLen[b]!, lastDoc: t.lastDoc[b]! };
  }
  rangeMax(from: number, to: number): { maxTf: number; minLen: number } | undefined {
    const t = this.cursor.table;
    return foldBlocks(this.cursor.blockFor(from), t.blocks, to, (b) => t.lastDoc[b]!, t.maxTf, t.minLen);
  }
}

/** Matches computed in advance (phrases, prefixes), with block maxima computed the same way. */
export class ListSource implements DocSource {
  doc = -1;
  tf = 0;
  private i = -1;
  private maxTf: Float64Array;
  private minLen: Float64Array;
  constructor(
    readonly docs: Int32Array,
    readonly tfs: Int32Array,
    lengths: Uint32Array,
  ) {
    const blocks = Math.ceil(docs.length / POSTING_BLOCK);
    this.maxTf = new Float64Array(blocks);
    this.minLen = new Float64Array(blocks).fill(Infinity);
    for (let k = 0; k < docs.length; k++) {
      const b = (k / POSTING_BLOCK) | 0;
      if (tfs[k]! > this.maxTf[b]!) this.maxTf[b] = tfs[k]!;
      const len = lengths[docs[k]!]!;
      if (len < this.minLen[b]!) this.minLen[b] = len;
    }
  }
  get count(): number {
    return this.docs.length;
  }
  next(): number {
    this.i++;
    if (this.i >= this.docs.length) return (this.doc = Infinity);
    this.tf = this.tfs[this.i]!;
    return (this.doc = this.docs[this.i]!);
  }
  advance(target: number): number {
    if (this.doc >= target) return this.doc;
    // galloping search
    let lo = this.i + 1;
    let step = 1;
    let hi = lo;
    while (hi < this.docs.length && this.docs[hi]! < target) {
      lo = hi + 1;
      hi += step;
      step *= 2;
    }
    hi = Math.min(hi, this.docs.length);
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.docs[mid]! < target) lo = mid + 1;
      else hi = mid;
    }
    this.i = lo;
    if (lo >= this.docs.length) return (this.doc = Infinity);
    this.tf = this.tfs[lo]!;
    return (this.doc = this.docs[lo]!);
  }
  private lastDocOf(b: number): number {
    return this.docs[Math.min(this.docs.length, (b + 1) * POSTING_BLOCK) - 1]!;
  }
  private blockFor(target: number): number {
    let b = Math.max(0, (Math.max(this.i, 0) / POSTING_BLOCK) | 0);
    const blocks = this.maxTf.length;
    while (b < blocks && this.lastDocOf(b) < target) b++;
    return b < blocks ? b : -1;
  }
  blockMax(target: number): { maxTf: number; minLen: number; lastDoc: number } | undefined {
    const b = this.blockFor(target);
    if (b < 0) return undefined;
    return { maxTf: this.maxTf[b]!, minLen: this.minLen[b]!, lastDoc: this.lastDocOf(b) };
  }
  rangeMax(from: number, to: number): { maxTf: number; minLen: number } | undefined {
    return foldBlocks(this.blockFor(from), this.maxTf.length, to, (b) => this.lastDocOf(b), this.maxTf, this.minLen);
  }
}

/** Pages containing any term with the prefix: tf = sum of those terms' tfs (FTS5's instance count). */
export function prefixMatches(reader: IndexReader, prefix: Uint8Array): { docs: Int32Array; tfs: Int32Array } {
  const n = reader.stats.docCount;
  let dense: Int32Array | undefined;
  let matched = 0;
  for (const info of reader.termsWithPrefix(prefix)) {
    dense ??= new Int32Array(n);
    const c = new PostingsCursor(reader.docPart(info));
    for (let d = c.next(); d !== Infinity; d = c.next()) {
      if (dense[d] === 0) matched++;
      dense[d]! += c.tf;
    }
  }
  const docs = new Int32Array(matched);
  const tfs = new Int32Array(matched);
  if (dense) {
    for (let d = 0, k = 0; d < n; d++) {
      if (dense[d] !== 0) {
        docs[k] = d;
        tfs[k++] = dense[d]!;
      }
    }
  }
  return { docs, tfs };
}

/** Pages containing the terms at consecutive positions: tf = number of places the phrase starts. */
export function phraseMatches(reader: IndexReader, terms: Uint8Array[]): { docs: Int32Array; tfs: Int32Array } {
  const infos = terms.map((t) => reader.lookup(t));
  if (infos.some((i) => i === undefined)) return { docs: new Int32Array(0), tfs: new Int32Array(0) };
  // distinct terms, rarest first drives the intersection
  const cursors = infos.map((info) => {
    const c = new PostingsCursor(reader.docPart(info!));
    c.attachPositions(reader.positionsPart(info!));
    return c;
  });
  const order = cursors.map((_, k) => k).sort((a, b) => infos[a]!.df - infos[b]!.df);
  const docs: number[] = [];
  const tfs: number[] = [];
  const posLists = terms.map(() => new Int32Array(0) as Int32Array);
  const lead = cursors[order[0]!]!;
  let target = lead.next();
  outer: while (target !== Infinity) {
    for (const k of order) {
      const d = cursors[k]!.advance(target);
      if (d === Infinity) break outer;
      if (d > target) {
        target = lead.advance(d);
        continue outer;
      }
    }
    for (let k = 0; k < terms.length; k++) {
      const c = cursors[k]!;
      if (posLists[k]!.length < c.tf) posLists[k] = new Int32Array(c.tf * 2);
      c.readPositions(posLists[k]!);
    }
    let count = 0;
    const first = posLists[0]!;
    const ptr = new Int32Array(terms.length);
    for (let p = 0; p < cursors[0]!.tf; p++) {
      const start = first[p]!;
      let ok = true;
      for (let k = 1; k < terms.length && ok; k++) {
        const list = posLists[k]!;
        const want = start + k;
        let j = ptr[k]!;
        while (j < cursors[k]!.tf && list[j]! < want) j++;
        ptr[k] = j;
        ok = j < cursors[k]!.tf && list[j] === want;
      }
      if (ok) count++;
    }
    if (count > 0) {
      docs.push(target);
      tfs.push(count);
    }
    target = lead.next();
  }
  return { docs: Int32Array.from(docs), tfs: Int32Array.from(tfs) };
}
