// The reduce step: a streaming k-way merge of index files into one. Documents are merged by key
// (doc, page), so the output does not depend on the order of inputs when documents are distinct;
// when a document is in several inputs the one listed last wins (whole documents for `ream merge`,
// single pages for the runs of one build). Terms are merged by bytes; each term's postings are
// remapped to the new ids and its positions copied byte for byte.
import { Heap } from './heap.js';
import { compareDocKeys } from './keys.js';
import { CorruptIndex, POSTING_BLOCK } from './codec/layout.js';
import { decodeBlock, decodeSkipTable, type PostingList, type SkipTable } from './codec/postings.js';
import type { IndexReader, TermInfo } from './codec/reader.js';
import { IndexWriter, type StoredDoc } from './codec/writer.js';
import type { Stats } from './codec/layout.js';

export interface MergeOptions {
  /** What a later input replaces: whole documents (`ream merge`) or single pages (build runs). */
  replace: 'doc' | 'page';
  /** Documents (`doc` values) to leave out. */
  deleted?: ReadonlySet<string>;
}

/** A mismatch between inputs (analyzers) that makes merging them meaningless. */
export class IncompatibleIndexes extends Error {
  override name = 'IncompatibleIndexes';
}

export function mergeIndexes(inputs: IndexReader[], out: string, opts: MergeOptions): Stats & { bytes: number; replaced: number } {
  if (inputs.length === 0) throw new Error('nothing to merge');
  const analyzer = inputs[0]!.analyzer;
  for (const r of inputs) {
    if (r.analyzer !== analyzer) throw new IncompatibleIndexes(`${r.path}: built with analyzer ${r.analyzer}, ${inputs[0]!.path} with ${analyzer}; one analyzer per index`);
  }
  const storedFields = [...new Set(inputs.flatMap((r) => r.header.storedFields))].sort();
  const storeText = inputs.every((r) => r.storesText);
  const writer = new IndexWriter(out, { analyzer, storedFields, storeText });
  try {
    const { remaps, replaced } = mergeDocs(inputs, writer, opts);
    mergeTerms(inputs, remaps, writer);
    const stats = writer.finish();
    return { ...stats, bytes: writer.bytesWritten, replaced };
  } catch (err) {
    writer.abort();
    throw err;
  }
}

interface DocCursor {
  input: number;
  id: number;
  doc: StoredDoc;
  rest: Iterator<StoredDoc>;
}

function mergeDocs(inputs: IndexReader[], writer: IndexWriter, opts: MergeOptions): { remaps: Int32Array[]; replaced: number } {
  const remaps = inputs.map((r) => new Int32Array(r.stats.docCount).fill(-1));
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
    if (opts.deleted?.has(key.doc)) continue;
    let winner = -1;
    for (const g of group) winner = Math.max(winner, g.input);
    if (group.some((g) => g.input !== winner)) replaced++;
    for (const g of group) {
      if (g.input !== winner) continue;
      remaps[g.input]![g.id] = writer.addDoc(g.doc);
    }
  }
  return { remaps, replaced };
}

interface TermData {
  info: TermInfo;
  docPart: Buffer;
  positions: Buffer;
}

interface TermCursor {
  input: number;
  info: TermInfo;
  data: TermData;
  rest: Iterator<TermData>;
}

/** A decoded posting list of one input, ids already remapped (dropped documents removed). */
interface Decoded {
  n: number;
  docs: Int32Array;
  tfs: Int32Array;
  /** Byte range [starts[i], ends[i]) of document i's positions. */
  starts: Int32Array;
  ends: Int32Array;
  positions: Uint8Array;
  at: number;
}

// Scratch space reused from term to term (one Decoded per input, since a term's lists coexist).
const blockDocs = new Int32Array(POSTING_BLOCK);
const blockTfs = new Int32Array(POSTING_BLOCK);
let skipScratch: SkipTable | undefined;
const decodedScratch: Decoded[] = [];

function decodeAll(reader: IndexReader, input: number, { info, docPart: part, positions }: TermData, remap: Int32Array): Decoded {
  const table = (skipScratch = decodeSkipTable(part, skipScratch));
  let scratch = decodedScratch[input];
  if (!scratch || scratch.docs.length < info.df) {
    const cap = Math.max(info.df, 2 * (scratch?.docs.length ?? 16));
    scratch = decodedScratch[input] = { n: 0, docs: new Int32Array(cap), tfs: new Int32Array(cap), starts: new Int32Array(cap), ends: new Int32Array(cap), positions, at: 0 };
  }
  const { docs, tfs, starts, ends } = scratch;
  let n = 0;
  let posAt = 0;
  for (let b = 0; b < table.blocks; b++) {
    const m = decodeBlock(part, table, b, blockDocs, blockTfs);
    for (let i = 0; i < m; i++) {
      const start = posAt;
      for (let k = blockTfs[i]!; k > 0; ) {
        if (posAt >= positions.length) throw new CorruptIndex(`${reader.path}: positions damaged`);
        if (positions[posAt++]! < 0x80) k--;
      }
      const id = blockDocs[i]!;
      if (id >= remap.length) throw new CorruptIndex(`${reader.path}: postings damaged`);
      const to = remap[id]!;
      if (to < 0) continue;
      if (n >= info.df) throw new CorruptIndex(`${reader.path}: postings damaged`);
      docs[n] = to;
      tfs[n] = blockTfs[i]!;
      starts[n] = start;
      ends[n] = posAt;
      n++;
    }
  }
  scratch.n = n;
  scratch.positions = positions;
  scratch.at = 0;
  return scratch;
}

function mergeTerms(inputs: IndexReader[], remaps: Int32Array[], writer: IndexWriter): void {
  const heap = new Heap<TermCursor>((a, b) => (Buffer.compare(a.info.term, b.info.term) || a.input - b.input) < 0);
  inputs.forEach((r, input) => {
    // read windows share 32 MB whatever the number of inputs (merge memory stays bounded)
    const rest = r.termsWithPostings(Math.max(256 << 10, Math.floor((32 << 20) / inputs.length)));
    const first = rest.next();
    if (!first.done) heap.push({ input, info: first.value.info, data: first.value, rest });
  });
  let outDocs = new Int32Array(1024);
  let outTfs = new Int32Array(1024);
  let outStarts = new Int32Array(1025);
  let outPos = new Uint8Array(1 << 16);
  const lists: Decoded[] = [];
  const popped: TermCursor[] = [];
  const writeTerm = (term: Uint8Array, lists: Decoded[]): void => {
    let total = 0;
    let posTotal = 0;
    for (const l of lists) {
      total += l.n;
      for (let i = 0; i < l.n; i++) posTotal += l.ends[i]! - l.starts[i]!;
    }
    if (total === 0) return;
    if (total > outDocs.length) {
      const cap = Math.max(total, outDocs.length * 2);
      outDocs = new Int32Array(cap);
      outTfs = new Int32Array(cap);
      outStarts = new Int32Array(cap + 1);
    }
    if (posTotal > outPos.length) outPos = new Uint8Array(Math.max(posTotal, outPos.length * 2));
    // Inputs that hold disjoint ranges of documents (the usual shards) are concatenated in order;
    // otherwise a k-way merge by new id (each input's remapped list is increasing).
    const live = lists.filter((l) => l.n > 0).sort((a, b) => a.docs[0]! - b.docs[0]!);
    let disjoint = true;
    for (let i = 1; i < live.length && disjoint; i++) disjoint = live[i - 1]!.docs[live[i - 1]!.n - 1]! < live[i]!.docs[0]!;
    let posAt = 0;
    if (disjoint) {
      let k = 0;
      for (const l of live) {
        outDocs.set(l.docs.subarray(0, l.n), k);
        outTfs.set(l.tfs.subarray(0, l.n), k);
        let contiguous = true;
        for (let i = 0; i + 1 < l.n && contiguous; i++) contiguous = l.ends[i] === l.starts[i + 1];
        if (contiguous) {
          // no document dropped inside: one copy of the positions, starts shifted
          const base = posAt - l.starts[0]!;
          for (let i = 0; i < l.n; i++) outStarts[k + i] = l.starts[i]! + base;
          outPos.set(l.positions.subarray(l.starts[0]!, l.ends[l.n - 1]!), posAt);
          posAt += l.ends[l.n - 1]! - l.starts[0]!;
        } else {
          for (let i = 0; i < l.n; i++) {
            outStarts[k + i] = posAt;
            outPos.set(l.positions.subarray(l.starts[i]!, l.ends[i]!), posAt);
            posAt += l.ends[i]! - l.starts[i]!;
          }
        }
        k += l.n;
      }
    } else {
      for (let k = 0; k < total; k++) {
        let best: Decoded | undefined;
        for (const l of live) if (l.at < l.n && (best === undefined || l.docs[l.at]! < best.docs[best.at]!)) best = l;
        const i = best!.at++;
        outDocs[k] = best!.docs[i]!;
        outTfs[k] = best!.tfs[i]!;
        outStarts[k] = posAt;
        const s0 = best!.starts[i]!;
        const e0 = best!.ends[i]!;
        outPos.set(best!.positions.subarray(s0, e0), posAt);
        posAt += e0 - s0;
      }
    }
    outStarts[total] = posAt;
    const list: PostingList = { count: total, docs: outDocs, tfs: outTfs, positions: outPos, posStarts: outStarts };
    writer.addTerm(term, list);
  };
  while (heap.size > 0) {
    const term = heap.peek()!.info.term;
    lists.length = 0;
    popped.length = 0;
    while (heap.size > 0 && Buffer.compare(heap.peek()!.info.term, term) === 0) {
      const c = heap.pop()!;
      lists.push(decodeAll(inputs[c.input]!, c.input, c.data, remaps[c.input]!));
      popped.push(c);
    }
    writeTerm(term, lists);
    // only now: an input's next term may reuse the read window this term's bytes are in
    for (const c of popped) {
      const n = c.rest.next();
      if (n.done) continue;
      if (Buffer.compare(n.value.info.term, c.info.term) <= 0) throw new CorruptIndex(`${inputs[c.input]!.path}: terms out of order`);
      c.info = n.value.info;
      c.data = n.value;
      heap.push(c);
    }
  }
}
