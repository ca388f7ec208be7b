// Answers a parsed query over one or more indexes. Statistics (N, average length, n per phrase) are
// summed over all the indexes first, so the scores equal those of the merged index. Each index is
// searched document-at-a-time from its rarest group, with block-max pruning: once the top k is
// full, a block of the lead list whose best possible score cannot beat the k-th is skipped
// undecoded. Ties break by (doc, page), which is also the order of documents inside an index.
import { availableParallelism } from 'node:os';
import { Heap, IdQueue } from './heap.js';
import { compareDocKeys, compareUtf8 } from './keys.js';
import { K1, idf, termScore } from './bm25.js';
import { ListSource, TermSource, prefixMatches, type DocSource } from './sources.js';
import { lowerBound } from './codec/postings.js';
import { phraseMatches } from './phrase-matcher.js';
import { Scratch, type Take } from './scratch.js';
import type { Filter, Phrase, Query } from './query.js';
import type { DocLengths, IndexReader } from './codec/reader.js';
import type { StoredDoc } from './codec/writer.js';

export interface Hit {
  /** Which index (position in the list given to search). */
  index: number;
  id: number;
  score: number;
  doc: StoredDoc;
  /** With groupByDoc: how many pages of the document matched. */
  pages?: number;
}

/** Threads `ream search` matches a large phrase on by default: 2 when there are two cores (more are not used). */
export function defaultSearchThreads(): number {
  return Math.min(2, availableParallelism());
}

export interface SearchOptions {
  k: number;
  offset: number;
  groupByDoc: boolean;
}

const utf8 = (s: string) => Buffer.from(s, 'utf8');

function resolve(reader: IndexReader, p: Phrase, threads: number, take: Take): DocSource | undefined {
  if (p.kind === 'term') {
    const info = reader.lookup(utf8(p.term));
    return info ? new TermSource(reader, info) : undefined;
  }
  const m = p.kind === 'prefix' ? prefixMatches(reader, utf8(p.prefix), take) : phraseMatches(reader, p.terms.map(utf8), threads, take);
  return m.docs.length > 0 ? new ListSource(m.docs, m.tfs, reader.docLengths()) : undefined;
}

interface Scored {
  score: number;
  id: number;
}

/** Doc id range [lo, hi) of a `doc:` filter (exact name or `name*` prefix), when it is one. */
function docRange(reader: IndexReader, f: Filter): [number, number] | undefined {
  if (f.field !== 'doc') return undefined;
  const prefix = f.value.endsWith('*') && !/[*?]/.test(f.value.slice(0, -1)) ? f.value.slice(0, -1) : undefined;
  if (prefix === undefined && /[*?]/.test(f.value)) return undefined;
  const n = reader.stats.docCount;
  const lowerBound = (pred: (d: StoredDoc) => boolean): number => {
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (pred(reader.doc(mid))) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };
  if (prefix !== undefined) {
    const lo = lowerBound((d) => compareUtf8(d.doc, prefix) >= 0);
    const hi = lowerBound((d) => compareUtf8(d.doc, prefix) >= 0 && !d.doc.startsWith(prefix));
    return [lo, Math.max(lo, hi)];
  }
  return [lowerBound((d) => compareUtf8(d.doc, f.value) >= 0), lowerBound((d) => compareUtf8(d.doc, f.value) > 0)];
}

/**
 * For each index, a flag per page that a later index also holds (same `doc` and `page`), or
 * undefined when none does. Indexes whose document ranges do not overlap (the usual shards) cost
 * two reads.
 */
function shadowedDocs(readers: IndexReader[]): (Uint8Array | undefined)[] {
  const out: (Uint8Array | undefined)[] = readers.map(() => undefined);
  if (readers.length < 2) return out;
  const first = readers.map((r) => (r.stats.docCount > 0 ? r.doc(0).doc : undefined));
  const last = readers.map((r) => (r.stats.docCount > 0 ? r.doc(r.stats.docCount - 1).doc : undefined));
  for (let i = 0; i < readers.length - 1; i++) {
    if (first[i] === undefined) continue;
    const later: number[] = [];
    for (let j = i + 1; j < readers.length; j++) {
      if (first[j] !== undefined && compareUtf8(first[j]!, last[i]!) <= 0 && compareUtf8(first[i]!, last[j]!) <= 0) later.push(j);
    }
    if (later.length === 0) continue;
    const names = new Set<string>();
    const key = (d: StoredDoc) => `${d.page ?? ''}\0${d.doc}`;
    for (const j of later) for (const d of readers[j]!.docs()) names.add(key(d));
    const reader = readers[i]!;
    const dead = new Uint8Array(reader.stats.docCount);
    let any = false;
    let id = 0;
    for (const d of reader.docs()) {
      if (names.has(key(d))) dead[id] = 1;
      any ||= dead[id] === 1;
      id++;
    }
    if (any) out[i] = dead;
  }
  return out;
}

function globRegExp(glob: string): RegExp {
  return new RegExp(`^${glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 's');
}

/** A per-document check for the filters that are not id ranges. */
function docFilter(reader: IndexReader, filters: Filter[]): ((id: number) => boolean) | undefined {
  if (filters.length === 0) return undefined;
  const checks = filters.map((f) => {
    const re = globRegExp(f.value);
    return (d: StoredDoc): boolean => {
      if (f.field === 'doc') return re.test(d.doc);
      if (f.field === 'page') return d.page !== null && re.test(String(d.page));
      if (!d.fields) return false;
      const v = (JSON.parse(d.fields) as Record<string, unknown>)[f.field];
      if (v === undefined || v === null) return false;
      return Array.isArray(v) ? v.some((x) => re.test(String(x))) : re.test(String(v));
    };
  });
  return (id) => {
    const d = reader.doc(id);
    return checks.every((c) => c(d));
  };
}

export class Searcher {
  readonly docCount: number;
  readonly avgdl: number;
  /**
   * Per index, the pages a later index also holds (undefined: none): the later one wins, as in
   * `ream merge`, statistics included. Pages, not whole documents: shards may split a document's
   * pages between them (merge, which replaces whole documents, also drops pages a re-indexed
   * document no longer has).
   */
  readonly shadowed: (Uint8Array | undefined)[];

  /** Threads a phrase found on many pages is matched on (phrase-matcher.ts; at most 2 are used). */
  private readonly threads: number;
  /** The memory of a query's phrase and prefix matches, used again by the next query. */
  private readonly scratch = new Scratch();

  constructor(
    readonly readers: IndexReader[],
    options: { threads?: number } = {},
  ) {
    this.threads = options.threads ?? 1;
    this.shadowed = shadowedDocs(readers);
    let n = 0;
    let tokens = 0;
    readers.forEach((r, i) => {
      n += r.stats.docCount;
      tokens += r.stats.totalTokens;
      const dead = this.shadowed[i];
      if (!dead) return;
      const lengths = r.lengths();
      for (let id = 0; id < dead.length; id++) {
        if (dead[id]) {
          n--;
          tokens -= lengths[id]!;
        }
      }
    });
    this.docCount = n;
    this.avgdl = n === 0 ? 0 : tokens / n;
  }

  search(q: Query, opts: SearchOptions): Hit[] {
    const phrases = q.groups.flat();
    this.scratch.reset();
    const take = this.scratch.take;
    const perIndex = this.readers.map((r) => ({
      groups: q.groups.map((g) => g.map((p) => resolve(r, p, this.threads, take))),
      not: q.not.map((p) => resolve(r, p, this.threads, take)).filter((s): s is DocSource => s !== undefined),
    }));
    // global n per phrase, then idf
    const idfs = phrases.map((p, k) => {
      let matching = 0;
      perIndex.forEach((x, index) => {
        const dead = this.shadowed[index];
        const source = x.groups.flat()[k];
        if (!source) return;
        if (!dead) matching += source.count;
        else if (source instanceof ListSource) {
          // matched up front: counted where it is, not matched again
          for (let i = 0; i < source.docs.length; i++) if (!dead[source.docs[i]!]) matching++;
        } else {
          // a fresh cursor: the one in perIndex must stay at its start for scoring
          const counter = resolve(this.readers[index]!, p, this.threads, take)!;
          for (let d = counter.advance(0); d < Infinity; d = counter.advance(d + 1)) if (!dead[d]) matching++;
        }
      });
      return idf(this.docCount, matching);
    });
    const want = opts.groupByDoc ? Infinity : opts.k + opts.offset;
    const hits: Hit[] = [];
    perIndex.forEach((x, index) => {
      const reader = this.readers[index]!;
      let range: [number, number] = [0, reader.stats.docCount];
      const rest: Filter[] = [];
      for (const f of q.filters) {
        const r = docRange(reader, f);
        if (r) range = [Math.max(range[0], r[0]), Math.min(range[1], r[1])];
        else rest.push(f);
      }
      if (range[0] >= range[1]) return;
      const dead = this.shadowed[index];
      const check = docFilter(reader, rest);
      const accept = dead ? (id: number) => !dead[id] && (check === undefined || check(id)) : check;
      const scored = this.topK(x.groups, idfs, x.not, reader.docLengths(), want, range, accept);
      for (const s of scored) hits.push({ index, id: s.id, score: s.score, doc: reader.doc(s.id) });
    });
    hits.sort((a, b) => b.score - a.score || compareDocKeys(a.doc, b.doc) || a.index - b.index);
    if (!opts.groupByDoc) return hits.slice(opts.offset, opts.offset + opts.k);
    const best = new Map<string, Hit>();
    for (const h of hits) {
      const seen = best.get(h.doc.doc);
      if (seen) seen.pages!++;
      else best.set(h.doc.doc, { ...h, pages: 1 });
    }
    return [...best.values()].slice(opts.offset, opts.offset + opts.k);
  }

  private topK(
    groupsIn: (DocSource | undefined)[][],
    idfs: number[],
    not: DocSource[],
    lengths: DocLengths,
    k: number,
    range: [number, number],
    accept: ((id: number) => boolean) | undefined,
  ): Scored[] {
    if (k <= 0) return [];
    // flatten: every phrase with its idf, grouped
    let at = 0;
    const groups = groupsIn.map((g) => g.map((s) => ({ s, idf: idfs[at++]! })).filter((x): x is Weighted => x.s !== undefined));
    if (groups.some((g) => g.length === 0)) return [];
    let leadIndex = 0;
    const size = (g: Weighted[]) => g.reduce((n, x) => n + x.s.count, 0);
    groups.forEach((g, i) => {
      if (size(g) < size(groups[leadIndex]!)) leadIndex = i;
    });
    const scan = new BlockScan(groups[leadIndex]!, groups.filter((_, i) => i !== leadIndex), groups.flat(), not, lengths, this.avgdl, k, range, accept);
    const lead = groups[leadIndex]!;
    // One lead list and a bounded k: its blocks are scored best bound first, and the rest are
    // skipped undecoded once the k-th score beats their bound. An OR lead is scanned in doc order.
    if (lead.length === 1 && k !== Infinity) scan.byBlockBound(lead[0]!);
    else scan.inDocOrder();
    return scan.results();
  }
}

/** Blocks of another phrase a lead block is bounded over one by one, at most (see maxOver). */
const MAX_OVER_BLOCKS = 64;

/** Tfs a lead block's per-tf bounds are kept for; a larger tf is bounded with its length. */
const TF_TABLE = 64;

interface Weighted {
  s: DocSource;
  idf: number;
}

/** Document-at-a-time scoring of one index: the lead group drives, the other groups must match. */
class BlockScan {
  private readonly heap = new Heap<Scored>((a, b) => a.score < b.score || (a.score === b.score && a.id > b.id));
  /** A lead block's best score per tf (blockTfBounds), and per tf whether it can still reach the k-th score. */
  private readonly tfBound = new Float64Array(TF_TABLE);
  private readonly tfPasses = new Uint8Array(TF_TABLE);
  constructor(
    private readonly lead: Weighted[],
    private readonly others: Weighted[][],
    /** Every phrase, in query order (the order scores are summed in). */
    private readonly all: Weighted[],
    private readonly not: DocSource[],
    private readonly lengths: DocLengths,
    private readonly avgdl: number,
    private readonly k: number,
    private readonly range: [number, number],
    private readonly accept: ((id: number) => boolean) | undefined,
  ) {}

  results(): Scored[] {
    const out: Scored[] = [];
    while (this.heap.size > 0) out.push(this.heap.pop()!);
    return out.reverse();
  }

  /** Every lead document in doc order. */
  inDocOrder(): void {
    this.run(this.range[0], this.range[1] - 1);
  }

  /**
   * The lead's blocks, best upper bound first (the lead's block max plus every other phrase's
   * maxima over the blocks that overlap it), until the k-th score is above the next bound.
   * A block's share from the other phrases is worked out when the block first comes up, from a
   * cheaper bound until then (idf·(k1+1), above any score of a phrase): a common word has thousands
   * of blocks, and a fresh process paid ~7 ms to bound them all when a few are scored.
   */
  byBlockBound(lead: Weighted): void {
    const [lo, hi] = this.range;
    const lb = lead.s.bounds;
    const rest = this.all.filter((x) => x !== lead);
    // the others' block maxima as needed (-1: not yet): a rare lead overlaps few of a common word's blocks
    const restMax = rest.map((x) => new Float64Array(x.s.bounds.blocks).fill(-1));
    let restCap = 0;
    for (const x of rest) restCap += x.idf * (K1 + 1);
    const leadMax = new Float64Array(lb.blocks);
    const ub = new Float64Array(lb.blocks);
    // the other phrases' share of ub (-1: not worked out yet); with the lead's exact score it bounds a single document
    const restUb = new Float64Array(lb.blocks).fill(-1);
    const order: number[] = [];
    for (let b = 0; b < lb.blocks; b++) {
      const from = b === 0 ? 0 : lb.lastDoc[b - 1]! + 1;
      if (from >= hi) break;
      if (lb.lastDoc[b]! < lo) continue;
      leadMax[b] = lead.s.blockMaxScore(b, lead.idf, this.avgdl);
      ub[b] = leadMax[b]! + restCap;
      order.push(b);
    }
    // best bound first (ties by block): a heap, as usually only a few blocks are taken
    const queue = new IdQueue(ub, order);
    while (queue.size > 0) {
      const b = queue.pop();
      // Strictly below: a block bounded by exactly the k-th score may hold a tie with a smaller id.
      // The margin covers summing the same bounds in another order than the scores.
      if (this.heap.size === this.k && ub[b]! * (1 + 1e-12) < this.heap.peek()!.score) break;
      const from = Math.max(lo, b === 0 ? 0 : lb.lastDoc[b - 1]! + 1);
      const to = Math.min(lb.lastDoc[b]!, hi - 1);
      if (restUb[b]! < 0) {
        // its true bound, then back in line
        let u = 0;
        for (let r = 0; r < rest.length; r++) u += this.maxOver(rest[r]!, restMax[r]!, from, to);
        restUb[b] = u;
        ub[b] = leadMax[b]! + u;
        queue.push(b);
        continue;
      }
      if (lead.s instanceof TermSource) this.runLeadBlock(lead, lead.s, b, from, to, restUb[b]!);
      else this.run(from, to, lead.s.seek(from), restUb[b]!);
    }
  }

  /**
   * The best score phrase x can give a document in [from, to]: the maximum over its blocks that may
   * hold one, or, over more than MAX_OVER_BLOCKS of them, idf·(k1+1) (above any of its scores). A rare lead's
   * block spans thousands of a common word's blocks: bounding them all cost a fresh process ~8 ms,
   * more than scoring the lead block's documents, which the looser bound prunes about as well
   * (a common word's idf is small).
   */
  private maxOver(x: Weighted, xMax: Float64Array, from: number, to: number): number {
    const xb = x.s.bounds;
    // from the first block whose last document is >= from, to the first whose last is >= to
    const j = lowerBound(xb.lastDoc, from, 0, xb.blocks);
    const last = Math.min(lowerBound(xb.lastDoc, to, j, xb.blocks), xb.blocks - 1);
    if (last - j + 1 > MAX_OVER_BLOCKS) return x.idf * (K1 + 1);
    let best = 0;
    for (let m = j; m <= last; m++) {
      if (xMax[m]! < 0) xMax[m] = x.s.blockMaxScore(m, x.idf, this.avgdl);
      if (xMax[m]! > best) best = xMax[m]!;
    }
    return best;
  }

  /**
   * Scores the lead's documents in [from, to]; `first` is the lead already moved to `from`. With
   * `restBound` (what the other phrases can add at most), a document whose lead score plus it is
   * below the k-th score is passed over without looking it up in the other lists.
   */
  private run(from: number, to: number, first?: number, restBound?: number): void {
    const { lead, others, heap, k, lengths, avgdl } = this;
    const single = lead.length === 1 ? lead[0]!.s : undefined;
    // next candidate from the lead group (a union when it is an OR group)
    const leadNext = (target: number): number => {
      if (single) return single.advance(target);
      let min = Infinity;
      for (const x of lead) {
        const d = x.s.seek(target);
        if (d < min) min = d;
      }
      return min;
    };
    let d = first ?? leadNext(from);
    const leadIdf = lead[0]!.idf;
    while (d <= to) {
      if (restBound !== undefined && single && heap.size === k) {
        const best = termScore(leadIdf, single.tf, lengths.get(d), avgdl) + restBound;
        if (best * (1 + 1e-12) < heap.peek()!.score) {
          d = single.next();
          continue;
        }
      }
      // every other group must have a phrase at d
      let next = -1;
      for (const g of others) {
        let gmin = Infinity;
        for (const x of g) {
          const e = x.s.seek(d);
          if (e < gmin) gmin = e;
        }
        if (gmin !== d) {
          next = gmin;
          break;
        }
      }
      if (next >= 0) {
        if (next > to) return;
        d = leadNext(next);
        continue;
      }
      if (!this.rejected(d)) this.offer(this.scoreOf(d), d);
      d = leadNext(d + 1);
    }
  }

  /**
   * run() for block b of a term lead, the block walked in one loop. A document is passed over by
   * its tf alone when even the shortest length its block allows for that tf cannot reach the k-th
   * score (two words on most pages, "c l" at 1M pages: of 287,714 lead documents bounded, 22,885
   * needed their length looked up), then as in run() by its exact lead score.
   */
  private runLeadBlock(lead: Weighted, source: TermSource, b: number, from: number, to: number, restBound: number): void {
    const { others, heap, k, lengths, avgdl, tfBound, tfPasses } = this;
    const cursor = source.cursor;
    const n = cursor.loadBlock(b);
    const docs = cursor.blockDocs;
    const tfs = cursor.blockTfs;
    const idf = lead.idf;
    const tableTop = Math.min(source.blockTfBounds(b, idf, avgdl, tfBound), TF_TABLE - 1);
    // the k-th score the tfPasses table was made for, as a count of changes to the top k (an
    // integer: comparing scores would box doubles in cold code)
    let changes = 0;
    let passesFor = -1;
    for (let i = 0; i < n; i++) {
      const d = docs[i]!;
      if (d < from) continue;
      if (d > to) break;
      const tf = tfs[i]!;
      if (heap.size === k) {
        if (tf <= tableTop) {
          if (passesFor !== changes) {
            const kth = heap.peek()!.score;
            for (let t = 1; t <= tableTop; t++) tfPasses[t] = (tfBound[t]! + restBound) * (1 + 1e-12) < kth ? 0 : 1;
            passesFor = changes;
          }
          if (tfPasses[tf] === 0) continue;
        }
        if ((termScore(idf, tf, lengths.get(d), avgdl) + restBound) * (1 + 1e-12) < heap.peek()!.score) continue;
      }
      let missing = false;
      for (let g = 0; g < others.length && !missing; g++) {
        const group = others[g]!;
        let first = Infinity;
        for (let j = 0; j < group.length; j++) first = Math.min(first, group[j]!.s.seek(d));
        missing = first !== d;
      }
      if (missing) continue;
      // the lead's cursor stands on the block's first document: its tf is given
      if (!this.rejected(d) && this.offer(this.scoreOf(d, lead, tf), d)) changes++;
    }
  }

  /** Whether a NOT phrase or a filter rules document d out. */
  private rejected(d: number): boolean {
    const not = this.not;
    for (let j = 0; j < not.length; j++) if (not[j]!.seek(d) === d) return true;
    return this.accept !== undefined && !this.accept(d);
  }

  /**
   * The score of document d, on which every phrase matching it stands (but `lead`, when given, with
   * tf `leadTf`), summed in query order: the order FTS5 sums in, for scores equal to the last bit.
   */
  private scoreOf(d: number, lead?: Weighted, leadTf = 0): number {
    const { all, avgdl } = this;
    const len = this.lengths.get(d);
    let score = 0;
    for (let j = 0; j < all.length; j++) {
      const x = all[j]!;
      if (x === lead) score += termScore(x.idf, leadTf, len, avgdl);
      else if (x.s.doc === d) score += termScore(x.idf, x.s.tf, len, avgdl);
    }
    return score;
  }

  /** Puts a scored document in the top k if it belongs there; returns whether it did. */
  private offer(score: number, doc: number): boolean {
    const heap = this.heap;
    // a small integer always (ids come from Float64Arrays): see BEFORE_FIRST
    const id = doc >>> 0;
    if (heap.size < this.k) {
      heap.push({ score, id });
      return true;
    }
    const worst = heap.peek()!;
    if (score < worst.score || (score === worst.score && id > worst.id)) return false;
    heap.pop();
    heap.push({ score, id });
    return true;
  }
}
