// What a query phrase reads in one index: a term's posting list (decoded block by block, with the
// skip table's block-max inputs), or, for phrases and prefixes, the matching pages computed up front.
import { POSTING_BLOCK } from './codec/layout.js';
import { BEFORE_FIRST, PostingsCursor, blockImpacts, lowerBound } from './codec/postings.js';
import { readVarint, varintEnd } from './codec/bytes.js';
import { termScore } from './bm25.js';
import type { DocLengths, IndexReader, TermInfo } from './codec/reader.js';
import { fresh, type Take } from './scratch.js';

/** The posting blocks of a source: how many, and the last document of each. */
export interface Blocks {
  readonly blocks: number;
  readonly lastDoc: ArrayLike<number>;
}

/** A cursor over (doc, tf) in doc order with per-block upper-bound inputs. */
export interface DocSource {
  doc: number;
  tf: number;
  /** Documents matching in this index (n for idf). */
  readonly count: number;
  readonly bounds: Blocks;
  /** The best score of a document of block b, for this idf and average length (block-max). */
  blockMaxScore(b: number, idf: number, avgdl: number): number;
  /**
   * Into out[t], for t = 1 … min(returned, out.length − 1): the best score a document of block b
   * with tf t can have (whatever its length). Returns the block's largest tf, or −1 when the
   * source has no such table (every tf must then be scored).
   */
  blockTfBounds(b: number, idf: number, avgdl: number, out: Float64Array): number;
  next(): number;
  /** Moves forward to the first document >= target (the current one if it is). */
  advance(target: number): number;
  /** Moves to the first document >= target in the whole list, backward too (blocks scored out of order). */
  seek(target: number): number;
}

export class TermSource implements DocSource {
  readonly cursor: PostingsCursor;
  readonly count: number;
  constructor(reader: IndexReader, info: TermInfo) {
    // a large part is read as the cursor reaches its blocks
    const part = reader.postings(info);
    this.cursor = new PostingsCursor(part.bytes, part.complete ? undefined : part);
    this.count = info.df;
  }
  get doc(): number {
    return this.cursor.doc;
  }
  get tf(): number {
    return this.cursor.tf;
  }
  get bounds(): Blocks {
    return this.cursor.table;
  }
  blockMaxScore(b: number, idf: number, avgdl: number): number {
    // blockImpacts without a callback: this runs for every block of a common word
    const part = this.cursor.part;
    const n = readVarint(part, this.cursor.table.impactsAt[b]!);
    let tf = 0;
    let length = 0;
    let best = 0;
    for (let k = 0; k < n; k++) {
      tf += readVarint(part, varintEnd);
      length += readVarint(part, varintEnd);
      const score = termScore(idf, tf, length, avgdl);
      if (score > best) best = score;
    }
    return best;
  }
  blockTfBounds(b: number, idf: number, avgdl: number, out: Float64Array): number {
    // impacts come by tf ascending, and so by length ascending: a document with tf t has at least
    // the length of the first impact whose tf is >= t
    let t = 1;
    let maxTf = 0;
    blockImpacts(this.cursor.part, this.cursor.table, b, (tf, length) => {
      for (; t <= tf && t < out.length; t++) out[t] = termScore(idf, t, length, avgdl);
      maxTf = tf;
    });
    return maxTf;
  }
  next(): number {
    return this.cursor.next();
  }
  advance(target: number): number {
    return this.cursor.advance(target);
  }
  seek(target: number): number {
    return this.cursor.seek(target);
  }
}

/** Matches computed in advance (phrases, prefixes), with block maxima computed the same way. */
export class ListSource implements DocSource {
  doc = BEFORE_FIRST;
  tf = 0;
  private i = -1;
  readonly bounds: Blocks;
  constructor(
    readonly docs: Int32Array,
    readonly tfs: Int32Array,
    private readonly lengths: DocLengths,
  ) {
    const blocks = Math.ceil(docs.length / POSTING_BLOCK);
    const lastDoc = new Float64Array(blocks);
    for (let b = 0; b < blocks; b++) lastDoc[b] = docs[Math.min(docs.length, (b + 1) * POSTING_BLOCK) - 1]!;
    this.bounds = { blocks, lastDoc };
  }
  blockMaxScore(b: number, idf: number, avgdl: number): number {
    let best = 0;
    for (let k = b * POSTING_BLOCK; k < Math.min(this.docs.length, (b + 1) * POSTING_BLOCK); k++) {
      const score = termScore(idf, this.tfs[k]!, this.lengths.get(this.docs[k]!), avgdl);
      if (score > best) best = score;
    }
    return best;
  }
  blockTfBounds(): number {
    return -1;
  }
  get count(): number {
    return this.docs.length;
  }
  private at(i: number): number {
    this.i = i;
    if (i >= this.docs.length) return (this.doc = Infinity);
    this.tf = this.tfs[i]!;
    return (this.doc = this.docs[i]!);
  }
  next(): number {
    return this.at(this.i + 1);
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
    return this.at(lowerBound(this.docs, target, lo, Math.min(hi, this.docs.length)));
  }
  seek(target: number): number {
    if (this.i <= 0 || this.docs[this.i - 1]! < target) return this.advance(target);
    return this.at(lowerBound(this.docs, target, 0, this.i));
  }
}

/**
 * Pages containing any term with the prefix: tf = sum of those terms' tfs (FTS5's instance count);
 * the lists taken with `take`, and a count per page on the way (with a Scratch, its 4 bytes per
 * page stay taken until the next query: memory used again, not garbage).
 */
export function prefixMatches(reader: IndexReader, prefix: Uint8Array, take: Take = fresh): { docs: Int32Array; tfs: Int32Array } {
  const n = reader.stats.docCount;
  let dense: Int32Array | undefined;
  let matched = 0;
  for (const info of reader.termsWithPrefix(prefix)) {
    dense ??= take(n).fill(0);
    const c = new PostingsCursor(reader.docPart(info));
    for (let d = c.next(); d !== Infinity; d = c.next()) {
      if (dense[d] === 0) matched++;
      dense[d]! += c.tf;
    }
  }
  const docs = take(matched);
  const tfs = take(matched);
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

