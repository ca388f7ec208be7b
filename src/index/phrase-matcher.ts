// The pages where a phrase occurs in one index, and how often: computed in WebAssembly
// (wasm/phrase.ts, which says how), one instance per open index. A word's doc part, positions part
// and decoded skip table are read straight into the instance's memory and kept there for the next
// phrases, most recently used last, up to the reader's part cache size (OpenOptions.cacheBytes):
// a common word's positions are tens of MB that every phrase with it would read again otherwise.
// The document lengths are copied in once, on the first phrase.
import binary from '../../wasm/phrase.wasm';
import { CorruptIndex } from './codec/layout.js';
import { decodeSkipTable } from './codec/postings.js';
import type { IndexReader, TermInfo } from './codec/reader.js';

interface Exports {
  memory: WebAssembly.Memory;
  PADDING: WebAssembly.Global;
  MAX_TERMS: WebAssembly.Global;
  POSTINGS_DAMAGED: WebAssembly.Global;
  alloc(bytes: number): number;
  free(ptr: number): void;
  setLengths(ptr: number, count: number): void;
  setTerm(place: number, rank: number, part: number, positions: number, positionBits: number, table: number, blocks: number): void;
  match(count: number, docs: number, tfs: number, capacity: number): number;
}

export interface PhraseMatches {
  docs: Int32Array;
  tfs: Int32Array;
}

let compiled: WebAssembly.Module | undefined;
const matchers = new WeakMap<IndexReader, PhraseMatcher>();
const EMPTY: PhraseMatches = { docs: new Int32Array(0), tfs: new Int32Array(0) };

/** The pages of `reader` holding the phrase of `terms` (analyzed words, in order), with the phrase's count in each. */
export function phraseMatches(reader: IndexReader, terms: Uint8Array[]): PhraseMatches {
  const infos: TermInfo[] = [];
  for (const t of terms) {
    const info = reader.lookup(t);
    if (info === undefined) return EMPTY;
    infos.push(info);
  }
  let matcher = matchers.get(reader);
  if (!matcher) matchers.set(reader, (matcher = new PhraseMatcher(reader)));
  return matcher.match(infos);
}

/** A word's parts in the WebAssembly memory: [doc part | positions] at `parts`, the skip table's arrays at `table`. */
interface Copied {
  parts: number;
  positionsAt: number;
  positionBytes: number;
  table: number;
  blocks: number;
  bytes: number;
}

class PhraseMatcher {
  private readonly wasm: Exports;
  private readonly padding: number;
  private lengthsCopied = false;
  /** Words read in, by doc part offset, most recently used last. */
  private readonly copies = new Map<number, Copied>();
  private copiedBytes = 0;

  constructor(private readonly reader: IndexReader) {
    compiled ??= new WebAssembly.Module(binary);
    const instance = new WebAssembly.Instance(compiled, {
      env: {
        abort: (): never => {
          throw new CorruptIndex('postings damaged');
        },
      },
    });
    this.wasm = instance.exports as unknown as Exports;
    this.padding = this.wasm.PADDING.value as number;
  }

  match(infos: TermInfo[]): PhraseMatches {
    const wasm = this.wasm;
    // parseQuery() refuses longer phrases (MAX_PHRASE_WORDS)
    if (infos.length > (wasm.MAX_TERMS.value as number)) throw new RangeError(`a phrase has at most ${wasm.MAX_TERMS.value} words`);
    this.copyLengths();
    const words = infos.map((info) => this.copy(info));
    // no more matches than the rarest word has pages
    const capacity = Math.min(...infos.map((i) => i.df), this.reader.stats.docCount);
    const out = wasm.alloc(Math.max(8, capacity * 8));
    try {
      const order = infos.map((_, k) => k).sort((a, b) => infos[a]!.df - infos[b]!.df);
      order.forEach((place, rank) => {
        const w = words[place]!;
        wasm.setTerm(place, rank, w.parts, w.positionsAt, w.positionBytes * 8, w.table, w.blocks);
      });
      let found: number;
      try {
        found = wasm.match(infos.length, out, out + capacity * 4, capacity);
      } catch (err) {
        // a read past the memory: only damaged postings send it there
        if (err instanceof WebAssembly.RuntimeError) throw new CorruptIndex('postings damaged');
        throw err;
      }
      if (found < 0) throw new CorruptIndex(found === (wasm.POSTINGS_DAMAGED.value as number) ? 'postings damaged' : 'positions damaged');
      const memory = new Int32Array(wasm.memory.buffer);
      return { docs: memory.slice(out / 4, out / 4 + found), tfs: memory.slice(out / 4 + capacity, out / 4 + capacity + found) };
    } finally {
      wasm.free(out);
      this.evict();
    }
  }

  /** A word's parts in the WebAssembly memory, read in unless they are there. */
  private copy(info: TermInfo): Copied {
    const hit = this.copies.get(info.docsOffset);
    if (hit) {
      this.copies.delete(info.docsOffset);
      this.copies.set(info.docsOffset, hit);
      return hit;
    }
    const wasm = this.wasm;
    const pad = (n: number): number => Math.ceil((n + this.padding) / 8) * 8;
    const partsBytes = pad(info.docsLength) + pad(info.posLength);
    const parts = wasm.alloc(partsBytes);
    let table = 0;
    try {
      const positionsAt = parts + pad(info.docsLength);
      let memory = new Uint8Array(wasm.memory.buffer);
      this.reader.partInto(info, 'postings', memory.subarray(parts, parts + info.docsLength));
      this.reader.partInto(info, 'positions', memory.subarray(positionsAt, positionsAt + info.posLength));
      const t = decodeSkipTable(memory.subarray(parts, parts + info.docsLength));
      const arrays = [t.lastDoc, t.dataStart, t.posStart, t.stepStart];
      const tableBytes = arrays.reduce((n, a) => n + a.byteLength, 0);
      table = wasm.alloc(pad(tableBytes));
      memory = new Uint8Array(wasm.memory.buffer);
      let at = table;
      for (const a of arrays) {
        memory.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), at);
        at += a.byteLength;
      }
      const copied: Copied = { parts, positionsAt, positionBytes: info.posLength, table, blocks: t.blocks, bytes: partsBytes + pad(tableBytes) };
      this.copies.set(info.docsOffset, copied);
      this.copiedBytes += copied.bytes;
      return copied;
    } catch (err) {
      wasm.free(parts);
      if (table !== 0) wasm.free(table);
      throw err;
    }
  }

  /** Drops the least recently used words past the cache size. */
  private evict(): void {
    for (const [key, c] of this.copies) {
      if (this.copiedBytes <= this.reader.partCacheLimit) break;
      this.copies.delete(key);
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
