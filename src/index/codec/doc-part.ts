// A term's doc part (skip table + posting blocks) as search reads it: a small part whole, a large
// one a checked chunk at a time, as the cursor reaches it. A word on every page of a million has
// 2 MB of doc part, of which an AND with a rarer word needs the skip table and a few blocks; a fresh
// process pays ~20 µs for every 4 KiB page it reads into (this VM: docs/benchmarks.md), so reading
// it whole cost a one-query `ream search` ~12 ms.
import { crc32 } from './crc.js';
import { slabBytes } from './slab.js';
import { CorruptIndex, DOC_CHUNK, docChunksMatch, docPartChunks, docPartMatches, scatteredReadLimit } from './layout.js';
import type { PartLoader } from './postings.js';

/** Parts of at least this many chunks are read as needed (below it one read is cheaper). */
export const LAZY_CHUNKS = 16;

/** Reads `length` bytes at `offset` into the start of `into`; returns how many (fewer only at the end of the file). */
export type ReadAt = (into: Uint8Array, offset: number, length: number) => number;

export class DocPart implements PartLoader {
  /** Loaded chunks (undefined: all of them). */
  private loaded: Uint8Array | undefined;
  private missing = 0;
  private reads = 0;

  private constructor(
    /** The part's data, without its chunk CRCs; bytes of chunks not loaded yet are garbage. */
    readonly bytes: Buffer,
    private readonly table: Buffer | undefined,
    private readonly readAt: ReadAt,
    private readonly offset: number,
  ) {
    if (table) {
      this.loaded = new Uint8Array(table.length / 4);
      this.missing = this.loaded.length;
    }
  }

  /**
   * Opens the doc part stored in `stored` bytes at `offset`, `data` of them its data, against its
   * dictionary CRC: a part of LAZY_CHUNKS chunks or more reads only its chunk CRCs now.
   */
  static open(readAt: ReadAt, offset: number, stored: number, data: number, crc: number): DocPart {
    const chunks = docPartChunks(stored);
    if (chunks < LAZY_CHUNKS) {
      const whole = Buffer.allocUnsafe(stored);
      if (readAt(whole, offset, stored) !== stored || !docPartMatches(whole, crc)) throw new CorruptIndex('postings checksum mismatch');
      return new DocPart(whole.subarray(0, data), undefined, readAt, offset);
    }
    const table = Buffer.allocUnsafe(4 * chunks);
    if (readAt(table, offset + data, table.length) !== table.length || crc32(table) !== crc) {
      throw new CorruptIndex('postings checksum mismatch');
    }
    // not filled: pages of it no chunk is read into are never touched
    return new DocPart(slabBytes(data), table, readAt, offset);
  }

  /** Reads the doc part stored in `stored` bytes at `offset` into `into` (at least its data long), checked. */
  static readInto(readAt: ReadAt, into: Uint8Array, offset: number, stored: number, data: number, crc: number): void {
    const chunks = docPartChunks(stored);
    if (chunks === 0) {
      if (readAt(into, offset, stored) !== stored || !docPartMatches(into.subarray(0, stored), crc)) throw new CorruptIndex('postings checksum mismatch');
      return;
    }
    const table = Buffer.allocUnsafe(4 * chunks);
    if (readAt(into, offset, data) !== data || readAt(table, offset + data, table.length) !== table.length) throw new CorruptIndex('postings damaged');
    if (crc32(table) !== crc || !docChunksMatch(into.subarray(0, data), table, 0, chunks)) throw new CorruptIndex('postings checksum mismatch');
  }

  /** Whether every chunk is loaded. */
  get complete(): boolean {
    return this.loaded === undefined;
  }

  /** Chunks read so far (of `chunks`). */
  get loadedChunks(): number {
    return this.chunks - this.missing;
  }

  /** Checksummed chunks of the part (0: a part of one chunk). */
  get chunks(): number {
    return this.table ? this.table.length / 4 : 0;
  }

  /**
   * Loads and checks the chunks holding bytes [start, end) of the data, in one read; past
   * scatteredReadLimit reads, every chunk still missing comes with it.
   */
  ensure(start: number, end: number): void {
    const loaded = this.loaded;
    if (loaded === undefined || end <= start) return;
    let first = Math.floor(start / DOC_CHUNK);
    let last = Math.min(loaded.length, Math.ceil(end / DOC_CHUNK));
    while (first < last && loaded[first] !== 0) first++;
    while (last > first && loaded[last - 1] !== 0) last--;
    if (first === last) return;
    if (++this.reads > scatteredReadLimit(loaded.length)) {
      first = loaded.indexOf(0);
      last = loaded.lastIndexOf(0) + 1;
    }
    const from = first * DOC_CHUNK;
    const length = Math.min(this.bytes.length, last * DOC_CHUNK) - from;
    if (this.readAt(this.bytes.subarray(from, from + length), this.offset + from, length) !== length) throw new CorruptIndex('postings damaged');
    // chunks already loaded in between were read again, the same bytes
    for (let c = first; c < last; c++) {
      if (loaded[c] !== 0) continue;
      if (!docChunksMatch(this.bytes, this.table!, c, c + 1)) throw new CorruptIndex('postings checksum mismatch');
      loaded[c] = 1;
      this.missing--;
    }
    if (this.missing === 0) this.loaded = undefined;
  }
}
