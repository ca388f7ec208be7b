// The pages where a phrase occurs in one index, and how often: computed in WebAssembly
// (wasm/phrase.ts, which says how), one instance per open index. A word's doc part, positions part
// and decoded skip table are read straight into the instance's memory and kept there for the next
// phrases (the words asked for most often first), up to the reader's part cache size (OpenOptions.cacheBytes):
// a common word's positions are tens of MB that every phrase with it would read again otherwise.
// The document lengths are copied in once, on the first phrase.
//
// A phrase whose rarest word is on many pages is matched on two threads (phrase-thread.ts): its
// pages are cut into ranges by that word's postings, and each thread takes the next range until
// none is left, so a thread that starts late or runs slow takes fewer.
import binary from '../../wasm/phrase.wasm';
import { CorruptIndex } from './codec/layout.js';
import { decodePositionedSkipTable } from './codec/postings.js';
import type { IndexReader, TermInfo } from './codec/reader.js';
import { NEXT, indexClosed, phraseThread, takeRange } from './phrase-thread.js';
import { fresh, type Take } from './scratch.js';

interface Exports {
  memory: WebAssembly.Memory;
  PADDING: WebAssembly.Global;
  MAX_TERMS: WebAssembly.Global;
  POSTINGS_DAMAGED: WebAssembly.Global;
  alloc(bytes: number): number;
  free(ptr: number): void;
  setLengths(ptr: number, count: number): void;
  setTerm(place: number, rank: number, part: number, positions: number, positionBits: number, table: number, blocks: number): void;
  match(count: number, docs: number, tfs: number, capacity: number, first: number, end: number): number;
}

export interface PhraseMatches {
  docs: Int32Array;
  tfs: Int32Array;
}

/** Where one range's matches are among a phrase's (PhraseRun), and how many. */
export interface RangeMatches {
  start: number;
  count: number;
}

/** A phrase's words read in (PhraseMatcher.withPhrase): its matches, range by range. */
export interface PhraseRun {
  /** Matches the ranges together may have at most (the rarest word's pages). */
  readonly capacity: number;
  /** Matches pages first…end-1, after the matches of the ranges before. */
  range(first: number, end: number): RangeMatches;
  /** Copies a range's matches into docs and tfs from index `at`. */
  copy(m: RangeMatches, docs: Int32Array, tfs: Int32Array, at: number): void;
}

let compiled: WebAssembly.Module | undefined;
const matchers = new WeakMap<IndexReader, PhraseMatcher>();
const EMPTY: PhraseMatches = { docs: new Int32Array(0), tfs: new Int32Array(0) };

/** A phrase's rarest word on fewer pages than this is matched on one thread (a few ms of work). */
export const PARALLEL_FROM_PAGES = 20000;
/** Words whose phrase counts are kept for the cache (past it, the counts start over). */
const ASKED_LIMIT = 1 << 16;
/** Ranges a phrase's pages are cut into when two threads match it. */
const RANGES = 16;

/**
 * The pages of `reader` holding the phrase of `terms` (analyzed words, in order), with the phrase's
 * count in each; on up to `threads` threads (at most 2 are used), in lists taken with `take`.
 */
export function phraseMatches(reader: IndexReader, terms: Uint8Array[], threads = 1, take: Take = fresh): PhraseMatches {
  const infos = lookUp(reader, terms);
  if (infos === undefined) return EMPTY;
  let matcher = matchers.get(reader);
  if (!matcher) {
    matchers.set(reader, (matcher = new PhraseMatcher(reader)));
    reader.whenClosed(() => indexClosed(reader));
  }
  return threads > 1 && rarestDf(infos) >= PARALLEL_FROM_PAGES ? matcher.matchInThreads(terms, infos, take) : matcher.match(infos, 0, reader.stats.docCount, take);
}

/** Ranges of phrases the second thread of `reader` answered so far (for tests: that it takes part). */
export function rangesMatchedByThread(reader: IndexReader): number {
  return matchers.get(reader)?.threadRanges ?? 0;
}

/** Pages the phrase's rarest word is on: no more can hold the phrase. */
function rarestDf(infos: TermInfo[]): number {
  return Math.min(...infos.map((i) => i.df));
}

/** The words' entries in the dictionary, or undefined when one is not there (no page holds the phrase). */
export function lookUp(reader: IndexReader, terms: Uint8Array[]): TermInfo[] | undefined {
  const infos: TermInfo[] = [];
  for (const t of terms) {
    const info = reader.lookup(t);
    if (info === undefined) return undefined;
    infos.push(info);
  }
  return infos;
}

/** An AssemblyScript string (UTF-16, its byte length in the 4 bytes before it) in `memory`. */
function asString(memory: WebAssembly.Memory, ptr: number): string {
  if (ptr < 4 || ptr > memory.buffer.byteLength) return '';
  const bytes = Buffer.from(memory.buffer);
  const length = bytes.readUInt32LE(ptr - 4);
  return ptr + length <= bytes.length ? bytes.toString('utf16le', ptr, ptr + length) : '';
}

/** A word's parts in the WebAssembly memory: [doc part | positions] at `parts`, the skip table's arrays at `table`. */
interface Copied {
  parts: number;
  positionsAt: number;
  positionBytes: number;
  table: number;
  blocks: number;
  /** The skip table's last document of each block (where ranges of pages are cut). */
  lastDoc: Float64Array;
  bytes: number;
}

/** Matches phrases in one index (for this thread, or for a phrase thread). */
export class PhraseMatcher {
  private readonly wasm: Exports;
  private readonly padding: number;
  private lengthsCopied = false;
  /** Words read in, by doc part offset, most recently used last. */
  private readonly copies = new Map<number, Copied>();
  /** How many phrases asked for each word (by doc part offset), kept or not. */
  private readonly asked = new Map<number, number>();
  private copiedBytes = 0;
  /** Ranges the second thread answered (for tests). */
  threadRanges = 0;

  constructor(readonly reader: IndexReader) {
    compiled ??= new WebAssembly.Module(binary);
    const instance = new WebAssembly.Instance(compiled, {
      env: {
        // the runtime's own errors (an allocation over 1 GiB: a word's postings that large)
        abort: (message: number): never => {
          throw new Error(`phrase matching: ${asString(this.wasm.memory, message) || 'aborted'}`);
        },
      },
    });
    this.wasm = instance.exports as unknown as Exports;
    this.padding = this.wasm.PADDING.value as number;
  }

  /** The pages first…end-1 holding the phrase of the words `infos`, and the phrase's count in each. */
  match(infos: TermInfo[], first: number, end: number, take: Take = fresh): PhraseMatches {
    return this.withPhrase(infos, (run) => {
      const m = run.range(first, end);
      const out = { docs: take(m.count), tfs: take(m.count) };
      run.copy(m, out.docs, out.tfs, 0);
      return out;
    });
  }

  /**
   * Runs fn with the phrase's words read in once (and kept until fn returns): fn matches ranges of
   * pages with `run.range` (in increasing order or not), each range's matches after the last's in
   * the WebAssembly memory, and copies them out with `run.copy`. The cache is trimmed after, not per range.
   */
  withPhrase<T>(infos: TermInfo[], fn: (run: PhraseRun) => T): T {
    const wasm = this.wasm;
    // parseQuery() refuses longer phrases (MAX_PHRASE_WORDS)
    if (infos.length > (wasm.MAX_TERMS.value as number)) throw new RangeError(`a phrase has at most ${wasm.MAX_TERMS.value} words`);
    try {
      this.copyLengths();
      const words = infos.map((info) => this.copy(info));
      const order = infos.map((_, k) => k).sort((a, b) => infos[a]!.df - infos[b]!.df);
      // no more matches than the rarest word has pages, whatever the ranges
      const capacity = Math.min(rarestDf(infos), this.reader.stats.docCount);
      const out = this.wasm.alloc(Math.max(8, capacity * 8));
      let found = 0;
      try {
        return fn({
          capacity,
          range: (first, end) => {
            // the cursors start afresh for each range
            order.forEach((place, rank) => {
              const w = words[place]!;
              this.wasm.setTerm(place, rank, w.parts, w.positionsAt, w.positionBytes * 8, w.table, w.blocks);
            });
            const n = this.wasm.match(infos.length, out + found * 4, out + (capacity + found) * 4, capacity - found, first, end);
            if (n < 0) throw new CorruptIndex(n === (wasm.POSTINGS_DAMAGED.value as number) ? 'postings damaged' : 'positions damaged');
            const m = { start: found, count: n };
            found += n;
            return m;
          },
          copy: (m, docs, tfs, at) => {
            // a view made now: the memory may have grown since (an older buffer is detached)
            const memory = new Int32Array(wasm.memory.buffer);
            docs.set(memory.subarray(out / 4 + m.start, out / 4 + m.start + m.count), at);
            tfs.set(memory.subarray(out / 4 + capacity + m.start, out / 4 + capacity + m.start + m.count), at);
          },
        });
      } finally {
        wasm.free(out);
      }
    } catch (err) {
      throw err instanceof WebAssembly.RuntimeError ? this.trapped(err) : err;
    } finally {
      this.evict();
    }
  }

  /**
   * What a trap in the WebAssembly means: the allocator's `unreachable` when the memory cannot grow
   * (past 4 GiB, or the machine's: words read in, the marks of a far position, a cursor), else a read
   * past the memory, where only damaged postings send it.
   */
  private trapped(err: WebAssembly.RuntimeError): Error {
    if (/unreachable/.test(err.message)) return new Error(`phrase matching: out of memory (${Math.ceil(this.wasm.memory.buffer.byteLength / 2 ** 20)} MiB in use)`);
    return new CorruptIndex('postings damaged');
  }

  /**
   * match() over all pages on this thread and a phrase thread: each takes the next range of pages
   * until none is left; ranges the other thread took and did not answer (it failed to start, or
   * stopped) are matched here. The worker writes its matches into memory shared with it, and both
   * threads' are copied once, in page order, into the lists taken with `take`.
   */
  matchInThreads(terms: Uint8Array[], infos: TermInfo[], take: Take): PhraseMatches {
    const docCount = this.reader.stats.docCount;
    // started with the first such phrase of the process, used from the next one on: a worker takes
    // tens of ms to start, and one `ream search` process answering one phrase is done before it could help
    const thread = phraseThread();
    if (!thread || thread.broken) return this.match(infos, 0, docCount, take);
    // posted before this thread reads the words in: the worker reads its own meanwhile
    const bounds = this.ranges(infos);
    const count = bounds.length - 1;
    const capacity = Math.min(rarestDf(infos), docCount);
    const job = thread.start(this.reader, terms, bounds, capacity);
    const started = performance.now();
    let finished = false;
    try {
      return this.withPhrase(infos, (run) => {
        const mine: (RangeMatches | undefined)[] = new Array(count);
        for (let r = takeRange(job.state); r < count; r = takeRange(job.state)) mine[r] = run.range(bounds[r]!, bounds[r + 1]!);
        const theirs: (RangeMatches | undefined)[] = new Array(count);
        // finished whether finish() returns or throws (a damaged index the worker found): the
        // worker is done with the job either way, and must not be waited for again
        finished = true;
        for (const [r, m] of thread.finish(job, performance.now() - started)) theirs[r] = m;
        this.threadRanges += theirs.filter((m) => m !== undefined).length;
        for (let r = 0; r < count; r++) if (!theirs[r]) mine[r] ??= run.range(bounds[r]!, bounds[r + 1]!);
        let total = 0;
        for (let r = 0; r < count; r++) total += (theirs[r] ?? mine[r])!.count;
        const out = { docs: take(total), tfs: take(total) };
        for (let r = 0, at = 0; r < count; r++) {
          const m = theirs[r];
          if (m) {
            out.docs.set(job.shared.subarray(m.start, m.start + m.count), at);
            out.tfs.set(job.shared.subarray(capacity + m.start, capacity + m.start + m.count), at);
          } else run.copy(mine[r]!, out.docs, out.tfs, at);
          at += (m ?? mine[r])!.count;
        }
        return out;
      });
    } catch (err) {
      if (!finished) {
        // the worker takes no more ranges; its answer is still waited for (its next job must not
        // meet this one's), and this error is the one reported
        Atomics.store(job.state, NEXT, count);
        try {
          thread.finish(job, performance.now() - started);
        } catch {
          // the first error stands
        }
      }
      throw err;
    }
  }

  /**
   * Page ids cutting the index into up to RANGES ranges: of about equal postings of the phrase's
   * rarest word when it is read in already, else of equal numbers of pages.
   */
  private ranges(infos: TermInfo[]): Int32Array {
    const rarest = infos.reduce((a, b) => (b.df < a.df ? b : a));
    const lastDoc = this.copies.get(rarest.docsOffset)?.lastDoc;
    const docCount = this.reader.stats.docCount;
    const bounds = [0];
    for (let r = 1; r < RANGES; r++) {
      const cut = lastDoc ? lastDoc[Math.floor((r * lastDoc.length) / RANGES) - 1] : Math.floor((r * docCount) / RANGES) - 1;
      if (cut !== undefined && cut + 1 > bounds[bounds.length - 1]!) bounds.push(cut + 1);
    }
    bounds.push(Math.max(this.reader.stats.docCount, bounds[bounds.length - 1]!));
    return Int32Array.from(bounds);
  }

  /** A word's parts in the WebAssembly memory, read in unless they are there. */
  private copy(info: TermInfo): Copied {
    if (this.asked.size >= ASKED_LIMIT) this.asked.clear();
    this.asked.set(info.docsOffset, (this.asked.get(info.docsOffset) ?? 0) + 1);
    const hit = this.copies.get(info.docsOffset);
    if (hit) {
      this.copies.delete(info.docsOffset);
      this.copies.set(info.docsOffset, hit);
      return hit;
    }
    const wasm = this.wasm;
    const pad = (n: number): number => Math.ceil((n + this.padding) / 8) * 8;
    const partsBytes = pad(info.docsLength) + pad(info.posLength);
    const parts = this.wasm.alloc(partsBytes);
    let table = 0;
    try {
      const positionsAt = parts + pad(info.docsLength);
      let memory = new Uint8Array(wasm.memory.buffer);
      this.reader.partInto(info, 'postings', memory.subarray(parts, parts + info.docsLength));
      this.reader.partInto(info, 'positions', memory.subarray(positionsAt, positionsAt + info.posLength));
      const t = decodePositionedSkipTable(memory.subarray(parts, parts + info.docsLength));
      const arrays = [t.lastDoc, t.dataStart, t.posStart, t.stepStart];
      const tableBytes = arrays.reduce((n, a) => n + a.byteLength, 0);
      table = this.wasm.alloc(pad(tableBytes));
      memory = new Uint8Array(wasm.memory.buffer);
      let at = table;
      for (const a of arrays) {
        memory.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), at);
        at += a.byteLength;
      }
      const copied: Copied = { parts, positionsAt, positionBytes: info.posLength, table, blocks: t.blocks, lastDoc: t.lastDoc, bytes: partsBytes + pad(tableBytes) };
      this.copies.set(info.docsOffset, copied);
      this.copiedBytes += copied.bytes;
      return copied;
    } catch (err) {
      wasm.free(parts);
      if (table !== 0) wasm.free(table);
      throw err;
    }
  }

  /**
   * Drops words past the cache size: those asked for least often first, then the least recently
   * used. Least recently used alone keeps nothing when a batch cycles through more common words than
   * fit; the words of queries recur as a Zipf law says, so the often asked ones are worth keeping (a
   * miss costs a read and a checksum in proportion to the word's size, as keeping it does).
   */
  private evict(): void {
    while (this.copiedBytes > this.reader.partCacheLimit) {
      let victim: number | undefined;
      let fewest = Infinity;
      for (const key of this.copies.keys()) {
        const n = this.asked.get(key) ?? 0;
        if (n < fewest) {
          fewest = n;
          victim = key;
        }
      }
      if (victim === undefined) return;
      const c = this.copies.get(victim)!;
      this.copies.delete(victim);
      this.wasm.free(c.parts);
      this.wasm.free(c.table);
      this.copiedBytes -= c.bytes;
    }
  }

  /** The index's document lengths, copied into the WebAssembly memory once. */
  private copyLengths(): void {
    if (this.lengthsCopied) return;
    const count = this.reader.stats.docCount;
    const values = count > 0 ? this.reader.docLengths().range(0, count - 1) : new Uint32Array(0);
    const at = this.wasm.alloc(count * 4 + this.padding);
    new Uint32Array(this.wasm.memory.buffer, at, count).set(values.subarray(0, count));
    this.wasm.setLengths(at, count);
    this.lengthsCopied = true;
  }
}
