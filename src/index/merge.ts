// The reduce step: a streaming k-way merge of index files into one. Documents are merged by key
// (doc, page), so the output does not depend on the order of inputs when documents are distinct;
// when a document is in several inputs the one listed last wins (whole documents for `ream merge`,
// single pages for the runs of one build). Terms are merged by bytes, each input read through one
// window. An input that keeps all its documents with ids moved by a constant (distinct shards, the
// runs of a build) contributes each term as one run whose doc-delta bytes and position bits are
// copied; otherwise postings are decoded, remapped and re-encoded, positions still copied as bits
// (each document's piece is coded from its tf and length alone, so it moves unchanged).
import { Heap } from './heap.js';
import { compareDocKeys, compareUtf8 } from './keys.js';
import { CorruptIndex, POSTING_BLOCK } from './codec/layout.js';
import { BitRanges, readVarint, varintEnd } from './codec/bytes.js';
import { DocPartEncoder, POSITION_STEPS, blocksStart, skipPositions } from './codec/postings.js';
import type { IndexReader, TermStream } from './codec/reader.js';
import { IndexWriter, type StoredDoc, type TermSink } from './codec/writer.js';
import type { Stats } from './codec/layout.js';

export interface MergeOptions {
  /** What a later input replaces: whole documents (`ream merge`) or single pages (build runs). */
  replace: 'doc' | 'page';
  /** Documents (`doc` values) to leave out. */
  deleted?: ReadonlySet<string>;
  /** Read window per input (default: 16 MB shared by all, at least 128 KB each); tests make it tiny. */
  windowBytes?: number;
}

/** A mismatch between inputs (analyzers) that makes merging them meaningless. */
export class IncompatibleIndexes extends Error {
  override name = 'IncompatibleIndexes';
}

/** `replaced`: documents of which a later input's pages won; `deleted`: documents left out (--delete-docs). */
export type MergeResult = Stats & { bytes: number; replaced: number; deleted: number };

/** Merges in this thread (a build's runs; `ream merge` splits the terms across threads: merge-parallel.ts). */
export function mergeIndexes(inputs: IndexReader[], out: string, opts: MergeOptions): MergeResult {
  const merge = startMerge(inputs, out, opts);
  try {
    mergeTerms(inputs, merge.remaps, lengthTable(merge.writer.lengths), merge.writer, { windowBytes: opts.windowBytes });
    return merge.finish();
  } catch (err) {
    merge.writer.abort();
    throw err;
  }
}

/** A merge whose documents are written: its terms go next, into `writer`, then finish(). */
export interface StartedMerge {
  writer: IndexWriter;
  /** Per input, each document's id in the output (−1: left out). */
  remaps: Int32Array[];
  finish(): MergeResult;
}

/** Checks the inputs agree, opens the output and merges the documents. */
export function startMerge(inputs: IndexReader[], out: string, opts: MergeOptions): StartedMerge {
  if (inputs.length === 0) throw new Error('nothing to merge');
  const analyzer = inputs[0]!.analyzer;
  for (const r of inputs) {
    if (r.analyzer !== analyzer) throw new IncompatibleIndexes(`${r.path}: built with analyzer ${r.analyzer}, ${inputs[0]!.path} with ${analyzer}; one analyzer per index`);
  }
  const storedFields = [...new Set(inputs.flatMap((r) => r.header.storedFields))].sort();
  const storeText = inputs.every((r) => r.storesText);
  const writer = new IndexWriter(out, { analyzer, storedFields, storeText });
  try {
    const { remaps, replaced, deleted } = mergeDocs(inputs.map(docInputOf), writer, opts);
    return { writer, remaps, finish: () => ({ ...writer.finish(), bytes: writer.bytesWritten, replaced, deleted }) };
  } catch (err) {
    writer.abort();
    throw err;
  }
}

/** What merging documents reads of an input: index files, or a build's runs (runs.ts). */
export interface DocInput {
  readonly path: string;
  readonly docCount: number;
  /** The first and the last document (docCount > 0). */
  firstDoc(): StoredDoc;
  lastDoc(): StoredDoc;
  docs(): IterableIterator<StoredDoc>;
}

function docInputOf(r: IndexReader): DocInput {
  const n = r.stats.docCount;
  return { path: r.path, docCount: n, firstDoc: () => r.doc(0), lastDoc: () => r.doc(n - 1), docs: () => r.docs() };
}

/**
 * When the inputs hold disjoint ranges of documents (the usual shards), their documents are simply
 * appended input after input, in key order, without a k-way merge. False (nothing written) otherwise.
 */
function appendDisjoint(inputs: DocInput[], writer: IndexWriter, remaps: Int32Array[], opts: MergeOptions): boolean {
  const ranges = inputs
    .map((r, input) => ({ input, first: r.docCount > 0 ? r.firstDoc() : undefined, last: r.docCount > 0 ? r.lastDoc() : undefined }))
    .filter((x) => x.first !== undefined)
    .sort((a, b) => compareDocKeys(a.first!, b.first!));
  // with whole-document replacement, one document's pages in two inputs is a replacement, not disjoint
  const before = (a: StoredDoc, b: StoredDoc) => (opts.replace === 'doc' ? compareUtf8(a.doc, b.doc) < 0 : compareDocKeys(a, b) < 0);
  for (let j = 1; j < ranges.length; j++) if (!before(ranges[j - 1]!.last!, ranges[j]!.first!)) return false;
  for (const { input } of ranges) {
    const remap = remaps[input]!;
    let previous: StoredDoc | undefined;
    let id = 0;
    for (const doc of inputs[input]!.docs()) {
      if (previous && compareDocKeys(previous, doc) >= 0) throw new CorruptIndex(`${inputs[input]!.path}: documents out of order`);
      remap[id++] = writer.addDoc(doc);
      previous = doc;
    }
  }
  return true;
}

interface DocCursor {
  input: number;
  id: number;
  doc: StoredDoc;
  rest: Iterator<StoredDoc>;
}

/**
 * Writes the inputs' documents in key order (a later input's wins a key, or a doc, they share);
 * returns each input's document ids in the output (−1: left out).
 */
export function mergeDocs(inputs: DocInput[], writer: IndexWriter, opts: MergeOptions): { remaps: Int32Array[]; replaced: number; deleted: number } {
  // shared memory: the threads of a parallel merge read them without copies
  const remaps = inputs.map((r) => new Int32Array(new SharedArrayBuffer(4 * r.docCount)).fill(-1));
  if (!opts.deleted && appendDisjoint(inputs, writer, remaps, opts)) return { remaps, replaced: 0, deleted: 0 };
  const heap = new Heap<DocCursor>((a, b) => (compareDocKeys(a.doc, b.doc) || a.input - b.input) < 0);
  inputs.forEach((r, input) => {
    const rest = r.docs();
    const first = rest.next();
    if (!first.done) heap.push({ input, id: 0, doc: first.value, rest });
  });
  const advance = (c: DocCursor): void => {
    const n = c.rest.next();
    if (n.done) return;
    if (compareDocKeys(c.doc, n.value) >= 0) throw new CorruptIndex(`${inputs[c.input]!.path}: documents out of order`);
    c.doc = n.value;
    c.id++;
    heap.push(c);
  };
  const group: { input: number; id: number; doc: StoredDoc }[] = [];
  let replaced = 0;
  const deleted = new Set<string>();
  while (heap.size > 0) {
    const head = heap.peek()!;
    const key = head.doc;
    const same = opts.replace === 'doc' ? (d: StoredDoc) => d.doc === key.doc : (d: StoredDoc) => compareDocKeys(d, key) === 0;
    group.length = 0;
    while (heap.size > 0 && same(heap.peek()!.doc)) {
      const c = heap.pop()!;
      group.push({ input: c.input, id: c.id, doc: c.doc });
      advance(c);
    }
    if (opts.deleted?.has(key.doc)) {
      deleted.add(key.doc);
      continue;
    }
    let winner = -1;
    for (const g of group) winner = Math.max(winner, g.input);
    if (group.some((g) => g.input !== winner)) replaced++;
    for (const g of group) {
      if (g.input !== winner) continue;
      remaps[g.input]![g.id] = writer.addDoc(g.doc);
    }
  }
  return { remaps, replaced, deleted: deleted.size };
}

/**
 * One term's postings gathered from every input that has it: ids already remapped (dropped
 * documents left out), with where each document's positions lie in its input's window. Inputs are
 * segments [segStart[j], segStart[j + 1]) of the arrays. Reused from term to term.
 */
class Gathered {
  docs = new Int32Array(1024);
  tfs = new Int32Array(1024);
  // bit offsets into the window (a term's positions can pass 2^31 bits)
  posStart = new Float64Array(1024);
  posEnd = new Float64Array(1024);
  n = 0;
  segStart: number[] = [];
  segWindow: Uint8Array[] = [];
  /** Whether the segment's documents are all of its input's (so its positions are one bit range). */
  segWhole: boolean[] = [];
  segCount = 0;

  reserve(extra: number): void {
    const need = this.n + extra;
    if (need <= this.docs.length) return;
    const cap = Math.max(need, this.docs.length * 2);
    const grow = <T extends Int32Array | Float64Array>(a: T): T => {
      const next = new (a.constructor as new (n: number) => T)(cap);
      next.set(a.subarray(0, this.n));
      return next;
    };
    this.docs = grow(this.docs);
    this.tfs = grow(this.tfs);
    this.posStart = grow(this.posStart);
    this.posEnd = grow(this.posEnd);
  }

  clear(): void {
    this.n = 0;
    this.segCount = 0;
  }

  /** Decodes the current term of `s` (its doc part and positions), remapping ids through `remap`; `lengths` are its input's. */
  add(s: TermStream, remap: Int32Array, lengths: Uint32Array, path: string): void {
    this.reserve(s.df);
    const w = s.window;
    const docsEnd = s.docsAt + s.docsLength;
    const posEnd = (s.posAt + s.posLength) * 8;
    const damaged = () => new CorruptIndex(`${path}: postings damaged`);
    // the blocks are decoded as one run of deltas: of the skip table only its size matters here
    let at = s.docsAt;
    try {
      at = blocksStart(w, s.docsAt, docsEnd);
    } catch (err) {
      throw err instanceof CorruptIndex ? damaged() : err;
    }
    const { docs, tfs, posStart, posEnd: ends } = this;
    const segment = this.n;
    let n = this.n;
    let prev = -1;
    let p = s.posAt * 8;
    let seen = 0;
    while (at < docsEnd) {
      let code = w[at]!;
      if (code < 0x80) at++;
      else {
        code = readVarint(w, at);
        at = varintEnd;
      }
      prev += (code - (code & 1)) / 2;
      let tf = 1;
      if ((code & 1) === 0) {
        tf = readVarint(w, at);
        at = varintEnd;
      }
      if (prev >= remap.length || ++seen > s.df) throw damaged();
      const start = p;
      p = skipPositions(w, p, tf, lengths[prev]!);
      if (p > posEnd) throw new CorruptIndex(`${path}: positions damaged`);
      const to = remap[prev]!;
      if (to < 0) continue;
      docs[n] = to;
      tfs[n] = tf;
      posStart[n] = start;
      ends[n] = p;
      n++;
    }
    // the positions end in the last byte (zero padding after them)
    if (at !== docsEnd || p <= posEnd - 8 || seen !== s.df) throw damaged();
    if (n === segment) return;
    this.n = n;
    this.segStart[this.segCount] = segment;
    this.segWindow[this.segCount] = w;
    this.segWhole[this.segCount] = n - segment === seen;
    this.segCount++;
    this.segStart[this.segCount] = n;
  }
}

/** The output's document lengths as mergeTerms reads them. */
export type LengthTable = Uint16Array | Int32Array;

/**
 * Every posting looks up its document's length (for the output blocks' impacts): as 16-bit values
 * when they fit, the table of a million pages (2 MB) stays nearer the cache. In shared memory, for
 * the threads of a parallel merge.
 */
export function lengthTable(written: Uint32Array): LengthTable {
  let max = 0;
  for (let d = 0; d < written.length; d++) if (written[d]! > max) max = written[d]!;
  const table = max < 0x10000 ? new Uint16Array(new SharedArrayBuffer(2 * written.length)) : new Int32Array(new SharedArrayBuffer(4 * written.length));
  table.set(written);
  return table;
}

export interface TermRange {
  /** The first term to merge (latin1, as TermStream gives them); from the first when absent. */
  from?: string;
  /** The term to stop before; to the last when absent. */
  to?: string;
  /** Read window per input (default: 16 MB shared by all, at least 128 KB each). */
  windowBytes?: number;
  /** Per input, whether to check each term's CRCs (default: unless the input was verified whole). */
  checkTerms?: boolean[];
}

/**
 * Merges the terms of `range` into `sink`, given each input's document remap and the output's
 * document lengths (for the blocks' impacts).
 */
export function mergeTerms(inputs: readonly IndexReader[], remaps: readonly Int32Array[], lengths: LengthTable, sink: TermSink, range: TermRange = {}): void {
  const { from, to } = range;
  // read windows share 16 MB whatever the number of inputs (merge memory stays bounded); a window
  // grows only to hold one term's doc part (or, re-encoding, its whole postings)
  const windowBytes = range.windowBytes ?? Math.max(128 << 10, Math.floor((16 << 20) / inputs.length));
  // Inputs that keep all their documents, with ids moved by a constant (shards of distinct
  // documents, the runs of a build): their postings are copied in runs rather than re-encoded.
  const shifts = remaps.map((remap) => {
    for (let id = 1; id < remap.length; id++) if (remap[id] !== remap[0]! + id) return -1;
    return remap.length === 0 ? 0 : remap[0]!;
  });
  const allShifted = shifts.every((s) => s >= 0);
  // Copied runs leave the positions of a term larger than a window in the file, so memory does not
  // grow with the largest term ("the" of a big shard); re-encoded terms need theirs in the window.
  const streams = inputs.map((r, i) => r.termStream(windowBytes, allShifted ? windowBytes : Infinity, range.checkTerms?.[i]));
  const inRange = (s: TermStream): boolean => s.next() && (to === undefined || s.term < to);
  if (from !== undefined) for (const s of streams) s.seek(from);
  const done = streams.map((s) => !inRange(s));
  // in that case, visiting inputs by shift puts each term's runs in id order
  let active = streams.map((_, i) => i).filter((i) => !done[i]).sort((a, b) => shifts[a]! - shifts[b]!);
  const gathered = new Gathered();
  const encoder = new DocPartEncoder();
  const positions = new BitRanges();
  const order: number[] = [];
  const heads: number[] = [];
  const group: number[] = [];
  while (active.length > 0) {
    // the smallest term among the inputs (a linear scan: fewer comparisons than a heap when, as
    // usual, most terms are in most inputs)
    let term = streams[active[0]!]!.term;
    for (let j = 1; j < active.length; j++) {
      const t = streams[active[j]!]!.term;
      if (t < term) term = t;
    }
    group.length = 0;
    for (const i of active) if (streams[i]!.term === term) group.push(i);
    if (allShifted) writeShiftedTerm(term, group, streams, shifts, inputs, lengths, encoder, positions, sink);
    else {
      gathered.clear();
      for (const i of group) gathered.add(streams[i]!, remaps[i]!, inputs[i]!.lengths(), inputs[i]!.path);
      if (gathered.n > 0) writeTerm(Buffer.from(term, 'latin1'), gathered, lengths, encoder, positions, order, heads, sink);
    }
    // only now: an input's next term may reuse the window this term's bytes are in
    let exhausted = false;
    for (const i of group) {
      if (inRange(streams[i]!)) continue;
      done[i] = true;
      exhausted = true;
    }
    if (exhausted) active = active.filter((i) => !done[i]);
  }
}

let blockPositions = new Float64Array(1024);
let stepPositions = new Float64Array(1024 * POSITION_STEPS);

/** Writes one merged term from inputs (in id order) that are each one run of shifted ids. */
function writeShiftedTerm(term: string, group: number[], streams: TermStream[], shifts: number[], inputs: readonly IndexReader[], lengths: Int32Array | Uint16Array, enc: DocPartEncoder, positions: BitRanges, sink: TermSink): void {
  enc.begin();
  positions.clear();
  let count = 0;
  let cf = 0;
  for (const i of group) {
    const s = streams[i]!;
    const docsEnd = s.docsAt + s.docsLength;
    let posBits = 0;
    try {
      const blocks = Math.ceil(s.df / POSTING_BLOCK);
      if (blockPositions.length <= blocks) {
        blockPositions = new Float64Array(2 * (blocks + 1));
        stepPositions = new Float64Array(2 * (blocks + 1) * POSITION_STEPS);
      }
      const dataAt = blocksStart(s.window, s.docsAt, docsEnd, blockPositions, stepPositions);
      // the positions end in their last byte (zero padding after them)
      posBits = blockPositions[blocks]!;
      if (Math.ceil(posBits / 8) !== s.posLength) throw new CorruptIndex('postings damaged');
      const n = enc.addShifted(s.window, dataAt, docsEnd, posBits, s, blockPositions, stepPositions, shifts[i]!, inputs[i]!.stats.docCount, lengths);
      if (n !== s.df) throw new CorruptIndex('postings damaged');
      count += n;
      cf += enc.runCf;
    } catch (err) {
      throw err instanceof CorruptIndex ? new CorruptIndex(`${inputs[i]!.path}: ${err.message}`) : err;
    }
    if (s.positionsInWindow) positions.push(s.window, s.posAt * 8, s.posAt * 8 + posBits);
    else positions.pushFile(s, s.posFileAt, s.posLength, posBits, s.posCrc);
  }
  enc.finish();
  sink.addEncodedTerm(Buffer.from(term, 'latin1'), count, cf, enc, positions);
}

/** Writes one merged term: segments in id order, concatenated when their ids do not interleave. */
function writeTerm(term: Uint8Array, g: Gathered, lengths: Int32Array | Uint16Array, enc: DocPartEncoder, positions: BitRanges, order: number[], heads: number[], sink: TermSink): void {
  const { docs, tfs, posStart, posEnd, segStart, segWindow, segCount } = g;
  order.length = 0;
  for (let j = 0; j < segCount; j++) order.push(j);
  order.sort((a, b) => docs[segStart[a]!]! - docs[segStart[b]!]!);
  let disjoint = true;
  for (let j = 1; j < segCount && disjoint; j++) disjoint = docs[segStart[order[j - 1]! + 1]! - 1]! < docs[segStart[order[j]!]!]!;
  enc.begin();
  positions.clear();
  let cf = 0;
  if (disjoint) {
    for (const j of order) {
      const w = segWindow[j]!;
      const whole = g.segWhole[j]!;
      const first = segStart[j]!;
      const end = segStart[j + 1]!;
      for (let i = first; i < end; i++) {
        const d = docs[i]!;
        const tf = tfs[i]!;
        enc.add(d, tf, posEnd[i]! - posStart[i]!, lengths[d]!);
        if (!whole) positions.push(w, posStart[i]!, posEnd[i]!);
        cf += tf;
      }
      if (whole) positions.push(w, posStart[first]!, posEnd[end - 1]!);
    }
  } else {
    // inputs whose documents interleave: a k-way merge by new id
    heads.length = 0;
    for (let j = 0; j < segCount; j++) heads.push(segStart[j]!);
    for (let k = 0; k < g.n; k++) {
      let best = -1;
      for (let j = 0; j < segCount; j++) {
        if (heads[j]! < segStart[j + 1]! && (best < 0 || docs[heads[j]!]! < docs[heads[best]!]!)) best = j;
      }
      const i = heads[best]!++;
      const d = docs[i]!;
      enc.add(d, tfs[i]!, posEnd[i]! - posStart[i]!, lengths[d]!);
      positions.push(segWindow[best]!, posStart[i]!, posEnd[i]!);
      cf += tfs[i]!;
    }
  }
  enc.finish();
  sink.addEncodedTerm(term, g.n, cf, enc, positions);
}
