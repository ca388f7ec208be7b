// Opens an index file with a few small reads (trailer, footer, header, the sparse term index) and
// reads everything else on demand at offsets: a dictionary block per term lookup, a term's doc part
// for term/AND queries, its positions only for phrases, a stored-document block per hit. Every
// piece carries a CRC checked when it is read; verify() checks the whole-file CRC as merge does.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { ByteReader } from './bytes.js';
import { skipPieces } from './postings.js';
import { DocPart } from './doc-part.js';
import { slabBytes } from './slab.js';
import { crc32, crc32OfFile } from './crc.js';
import {
  CorruptIndex, DOC_BLOCK, FLAG_STORE_TEXT, LENGTH_CHUNK, docPartData, docPartMatches, scatteredReadLimit, MAGIC, SECTION_NAMES, TRAILER_BYTES,
  decodeFooter, decodeHeader, decodeTrailer,
  type Footer, type Header, type Section, type Stats,
} from './layout.js';
import type { StoredDoc } from './writer.js';

export interface TermInfo {
  term: Uint8Array;
  df: number;
  cf: number;
  docsOffset: number;
  /** Bytes of the doc part's data (what the decoders see). */
  docsLength: number;
  /** Bytes of the doc part in the file: its data, then its chunk CRCs when it has more than one chunk. */
  docsStored: number;
  posOffset: number;
  posLength: number;
  docsCrc: number;
  posCrc: number;
}

interface TermBlockRef {
  /** The block's first term: termIndex[firstStart…firstEnd) (offsets, not views: opening makes thousands). */
  firstStart: number;
  firstEnd: number;
  offset: number;
  length: number;
  postingsStart: number;
}

/**
 * Bytes of checked postings and positions an open index keeps for the next queries by default, and
 * the largest part kept: the positions of the commonest words of a million pages are tens of MB,
 * which every phrase with such a word must read and check again otherwise.
 */
export const PART_CACHE_BYTES = 128 << 20;
const PART_CACHE_MAX_PART = 64 << 20;

export interface OpenOptions {
  /** Bytes of postings and positions kept between queries (PART_CACHE_BYTES by default). */
  cacheBytes?: number;
}

/** Turns decoding errors (reads past a section's end) into CorruptIndex. */
function guarded<T>(what: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof RangeError) throw new CorruptIndex(`${what} damaged`);
    throw err;
  }
}

export class IndexReader {
  readonly header: Header;
  readonly stats: Stats;
  readonly sections: Record<string, Section>;
  readonly size: number;
  /** The CRC of the whole file (its trailer's): with the size, what tells one index file from another. */
  readonly fileCrc: number;
  private readonly blocks: TermBlockRef[] = [];
  private readonly termIndex: Buffer;
  private readonly blockCache = new Map<number, TermInfo[]>();
  private lengthsCache: Uint32Array | undefined;
  private docBlockCache = new Map<number, StoredDoc[]>();
  private closed = false;

  private constructor(
    readonly path: string,
    private readonly fd: number,
  ) {
    this.size = fstatSync(fd).size;
    const head = this.read(0, Math.min(this.size, 4096));
    if (head.length < MAGIC.length || !MAGIC.equals(head.subarray(0, MAGIC.length))) throw new CorruptIndex('not a ream index');
    if (this.size < MAGIC.length + TRAILER_BYTES) throw new CorruptIndex('truncated');
    const trailer = decodeTrailer(this.read(this.size - TRAILER_BYTES, TRAILER_BYTES));
    this.fileCrc = trailer.fileCrc;
    const footerAt = this.size - TRAILER_BYTES - trailer.footerLength;
    if (footerAt < 0) throw new CorruptIndex('truncated or damaged footer');
    const footerBytes = this.read(footerAt, trailer.footerLength);
    if (crc32(footerBytes) !== trailer.footerCrc) throw new CorruptIndex('footer checksum mismatch');
    const footer: Footer = guarded('footer', () => decodeFooter(footerBytes));
    let end = 0;
    for (const name of SECTION_NAMES) {
      const s = footer.sections[name];
      if (s.offset !== end || s.offset + s.length > footerAt) throw new CorruptIndex('section table damaged');
      end = s.offset + s.length;
    }
    if (end !== footerAt) throw new CorruptIndex('section table damaged');
    this.sections = footer.sections;
    this.stats = footer.stats;
    const hs = footer.sections.header;
    const headerBytes = hs.length <= head.length ? head.subarray(0, hs.length) : this.read(0, hs.length);
    this.header = guarded('header', () => decodeHeader(headerBytes)).header;
    const ti = (this.termIndex = this.readSection('termindex'));
    guarded('term index', () => {
      const r = new ByteReader(ti);
      while (!r.done) {
        const firstEnd = r.varint() + r.pos;
        const firstStart = r.pos;
        if (firstEnd > ti.length) throw new RangeError('term index');
        r.pos = firstEnd;
        this.blocks.push({ firstStart, firstEnd, offset: r.varint(), length: r.varint(), postingsStart: r.varint() });
      }
    });
    if (this.blocks.length !== this.stats.termBlockCount) throw new CorruptIndex('term index damaged');
  }

  /** Opens an index; throws CorruptIndex (or a file system error) with a one-line message. */
  static open(path: string, options: OpenOptions = {}): IndexReader {
    const fd = openSync(path, 'r');
    try {
      const reader = new IndexReader(path, fd);
      if (options.cacheBytes !== undefined) reader.cacheBytes = options.cacheBytes;
      return reader;
    } catch (err) {
      closeSync(fd);
      throw err instanceof CorruptIndex ? new CorruptIndex(`${path}: ${err.message}`) : err;
    }
  }

  close(): void {
    if (!this.closed) {
      closeSync(this.fd);
      for (const fn of this.closers.splice(0)) fn();
    }
    this.closed = true;
  }

  private readonly closers: (() => void)[] = [];

  /** Calls fn when the reader is closed (what a caller built on it must stop: a phrase thread). */
  whenClosed(fn: () => void): void {
    this.closers.push(fn);
  }

  get analyzer(): string {
    return this.header.analyzer;
  }

  get storesText(): boolean {
    return (this.header.flags & FLAG_STORE_TEXT) !== 0;
  }

  /** Reads `length` bytes at `offset` (fewer only at the end of the file). */
  read(offset: number, length: number): Buffer {
    const buf = Buffer.allocUnsafe(length);
    const got = this.readInto(buf, offset, length);
    return got === length ? buf : buf.subarray(0, got);
  }

  /** Reads `length` bytes at `offset` into the start of buf; returns how many (fewer only at the end). */
  private readInto(buf: Uint8Array, offset: number, length: number): number {
    let got = 0;
    while (got < length) {
      const n = readSync(this.fd, buf, got, length - got, offset + got);
      if (n === 0) break;
      got += n;
    }
    return got;
  }

  /** Runs fn, naming this file in any CorruptIndex it throws. */
  private named<T>(fn: () => T): T {
    try {
      return fn();
    } catch (err) {
      if (err instanceof CorruptIndex && !err.message.startsWith(`${this.path}: `)) throw new CorruptIndex(`${this.path}: ${err.message}`);
      throw err;
    }
  }

  private readChecked(offset: number, length: number, crc: number, what: string): Buffer {
    return this.readCheckedInto(Buffer.allocUnsafe(length), offset, length, crc, what);
  }

  /** Reads `length` bytes at `offset` into the start of `into`, checked against `crc`; returns them. */
  private readCheckedInto<T extends Uint8Array>(into: T, offset: number, length: number, crc: number, what: string): T {
    return this.named(() => {
      if (offset + length > this.size || into.length < length) throw new CorruptIndex(`${what} damaged`);
      const bytes = into.subarray(0, length) as T;
      if (this.readInto(bytes, offset, length) !== length || crc32(bytes) !== crc) throw new CorruptIndex(`${what} checksum mismatch`);
      return bytes;
    });
  }

  private readSection(name: string): Buffer {
    const s = this.sections[name]!;
    return this.readChecked(s.offset, s.length, s.crc, name);
  }

  /** Token count per document, all of them (the whole section read and checked). */
  lengths(): Uint32Array {
    if (!this.lengthsCache) {
      const bytes = this.readSection('lengths');
      if (bytes.length !== lengthsSectionBytes(this.stats.docCount)) throw new CorruptIndex(`${this.path}: lengths damaged`);
      // a large read has a buffer of its own: viewed in place unless it is a misaligned slice of the pool
      const aligned = bytes.byteOffset % 4 === 0 ? bytes : new Uint8Array(bytes);
      this.lengthsCache = new Uint32Array(aligned.buffer, aligned.byteOffset, this.stats.docCount);
    }
    return this.lengthsCache;
  }

  private docLengthsCache: DocLengths | undefined;

  /** Token count per document, read and checked a chunk at a time as documents are asked for (search). */
  docLengths(): DocLengths {
    if (this.lengthsCache) return (this.docLengthsCache ??= new DocLengths(this.stats.docCount, () => {}, this.lengthsCache, true));
    if (!this.docLengthsCache) {
      const n = this.stats.docCount;
      const s = this.sections.lengths!;
      if (s.length !== lengthsSectionBytes(n)) throw new CorruptIndex(`${this.path}: lengths damaged`);
      const chunks = Math.ceil(n / LENGTH_CHUNK);
      const table = this.read(s.offset + n * 4, chunks * 4 + 4);
      if (table.length !== chunks * 4 + 4 || crc32(table.subarray(0, chunks * 4)) !== table.readUInt32LE(chunks * 4)) {
        throw new CorruptIndex(`${this.path}: lengths checksum mismatch`);
      }
      const bytes = slabBytes(n * 4);
      const values = new Uint32Array(bytes.buffer, bytes.byteOffset, n);
      this.docLengthsCache = new DocLengths(n, (first, count) => {
        const from = first * LENGTH_CHUNK * 4;
        const length = Math.min(n * 4 - from, count * LENGTH_CHUNK * 4);
        if (this.readInto(bytes.subarray(from, from + length), s.offset + from, length) !== length) throw new CorruptIndex(`${this.path}: lengths damaged`);
        for (let c = first; c < first + count; c++) {
          const at = c * LENGTH_CHUNK * 4;
          if (crc32(bytes.subarray(at, Math.min(at + LENGTH_CHUNK * 4, n * 4))) !== table.readUInt32LE(c * 4)) throw new CorruptIndex(`${this.path}: lengths checksum mismatch`);
        }
      }, values);
    }
    return this.docLengthsCache;
  }

  get termBlockCount(): number {
    return this.blocks.length;
  }

  /** Decodes dictionary block b (cached). */
  termBlock(b: number): TermInfo[] {
    return this.named(() => this.loadTermBlock(b));
  }

  private loadTermBlock(b: number): TermInfo[] {
    const cached = this.blockCache.get(b);
    if (cached) return cached;
    const ref = this.blocks[b]!;
    const bytes = this.read(ref.offset, ref.length);
    if (bytes.length !== ref.length || ref.length < 4) throw new CorruptIndex('term dictionary damaged');
    const body = bytes.subarray(0, ref.length - 4);
    if (crc32(body) !== bytes.readUInt32LE(ref.length - 4)) throw new CorruptIndex('term dictionary checksum mismatch');
    const infos = guarded('term dictionary', () => {
      const r = new ByteReader(body);
      const n = r.varint();
      const out: TermInfo[] = [];
      let prev: Uint8Array = new Uint8Array(0);
      let offset = ref.postingsStart;
      for (let i = 0; i < n; i++) {
        const shared = r.varint();
        const suffixLength = r.varint();
        if (shared > prev.length || r.pos + suffixLength > body.length) throw new CorruptIndex('term dictionary damaged');
        // copied byte by byte: terms are short, and a subarray per term costs more
        const term = new Uint8Array(shared + suffixLength);
        for (let k = 0; k < shared; k++) term[k] = prev[k]!;
        for (let k = 0; k < suffixLength; k++) term[shared + k] = body[r.pos + k]!;
        r.pos += suffixLength;
        const df = r.varint();
        const cf = df + r.varint();
        const docsStored = r.varint();
        const posLength = r.varint();
        const docsCrc = r.u32();
        const posCrc = r.u32();
        const docsLength = docPartData(docsStored);
        out.push({ term, df, cf, docsOffset: offset, docsLength, docsStored, posOffset: offset + docsStored, posLength, docsCrc, posCrc });
        offset += docsStored + posLength;
        prev = term;
      }
      return out;
    });
    if (this.blockCache.size > 256) this.blockCache.clear();
    this.blockCache.set(b, infos);
    return infos;
  }

  /** The dictionary block that would hold `term` (-1 if before the first term). */
  private blockOf(term: Uint8Array): number {
    let lo = 0;
    let hi = this.blocks.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const ref = this.blocks[mid]!;
      if (this.termIndex.compare(term, 0, term.length, ref.firstStart, ref.firstEnd) <= 0) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  }

  /** The term's dictionary entry, or undefined. */
  lookup(term: Uint8Array): TermInfo | undefined {
    const b = this.blockOf(term);
    if (b < 0) return undefined;
    for (const info of this.termBlock(b)) {
      const c = Buffer.compare(info.term, term);
      if (c === 0) return info;
      if (c > 0) return undefined;
    }
    return undefined;
  }

  /** Every term starting with `prefix` (all terms for an empty prefix), in byte order. */
  *termsWithPrefix(prefix: Uint8Array): Generator<TermInfo> {
    let b = Math.max(0, this.blockOf(prefix));
    for (; b < this.blocks.length; b++) {
      for (const info of this.termBlock(b)) {
        const c = Buffer.compare(info.term.subarray(0, prefix.length), prefix);
        if (c < 0) continue;
        if (c > 0) return;
        yield info;
      }
    }
  }

  /** A term's doc part (skip table + blocks), all of it read and checked. */
  docPart(info: TermInfo): Buffer {
    const part = this.postings(info);
    if (!part.complete) this.named(() => part.ensure(0, part.bytes.length));
    return part.bytes;
  }

  /**
   * A term's doc part, read as a cursor needs it when it is large (its chunks checked as they are
   * read: give it to PostingsCursor as its loader), whole otherwise.
   */
  postings(info: TermInfo): DocPart {
    const hit = this.partCache.get(info.docsOffset);
    if (hit instanceof DocPart && hit.bytes.length === info.docsLength) {
      this.partCache.delete(info.docsOffset);
      this.partCache.set(info.docsOffset, hit);
      return hit;
    }
    const part = this.named(() => {
      if (info.docsOffset + info.docsStored > this.size) throw new CorruptIndex('postings damaged');
      return DocPart.open(this.readAt, info.docsOffset, info.docsStored, info.docsLength, info.docsCrc);
    });
    this.remember(info.docsOffset, part);
    return part;
  }

  private readonly readAt = (into: Uint8Array, offset: number, length: number): number => this.readInto(into, offset, length);

  /** A term's positions part, checksum checked. */
  positionsPart(info: TermInfo): Buffer {
    return this.cachedPart(info.posOffset, info.posLength, info.posCrc, 'positions');
  }

  /**
   * Reads a term's doc part or positions part into the start of `into`, checksum checked (from the
   * part cache when it holds it, without adding it there): for a caller that keeps its own copy.
   */
  partInto(info: TermInfo, which: 'postings' | 'positions', into: Uint8Array): void {
    if (which === 'postings') {
      const hit = this.partCache.get(info.docsOffset);
      if (hit instanceof DocPart && hit.complete && hit.bytes.length === info.docsLength) into.set(hit.bytes);
      else {
        this.named(() => {
          if (info.docsOffset + info.docsStored > this.size || into.length < info.docsLength) throw new CorruptIndex('postings damaged');
          DocPart.readInto(this.readAt, into, info.docsOffset, info.docsStored, info.docsLength, info.docsCrc);
        });
      }
      return;
    }
    const hit = this.partCache.get(info.posOffset);
    if (hit instanceof Buffer && hit.length === info.posLength) {
      into.set(hit);
      return;
    }
    this.readCheckedInto(into, info.posOffset, info.posLength, info.posCrc, which);
  }

  /** Bytes of parts a reader keeps between queries (OpenOptions.cacheBytes). */
  get partCacheLimit(): number {
    return this.cacheBytes;
  }

  // Parts already read and checked, most recently used last, up to cacheBytes: common words
  // have megabytes of positions, read again by every query (and twice by a phrase like "the the")
  // in a batch of queries or a long-running search.
  // (doc parts as DocPart, positions as Buffer; a doc part read as needed counts at its whole size)
  private readonly partCache = new Map<number, Buffer | DocPart>();
  private partCacheBytes = 0;
  private cacheBytes = PART_CACHE_BYTES;

  private cachedPart(offset: number, length: number, crc: number, what: string): Buffer {
    const hit = this.partCache.get(offset);
    if (hit instanceof Buffer && hit.length === length) {
      this.partCache.delete(offset);
      this.partCache.set(offset, hit);
      return hit;
    }
    const bytes = this.readChecked(offset, length, crc, what);
    this.remember(offset, bytes);
    return bytes;
  }

  private remember(offset: number, part: Buffer | DocPart): void {
    const size = (p: Buffer | DocPart) => (p instanceof DocPart ? p.bytes.length : p.length);
    if (size(part) > Math.min(PART_CACHE_MAX_PART, this.cacheBytes)) return;
    const old = this.partCache.get(offset);
    if (old) this.partCacheBytes -= size(old);
    this.partCache.delete(offset);
    this.partCache.set(offset, part);
    this.partCacheBytes += size(part);
    for (const [key, p] of this.partCache) {
      if (this.partCacheBytes <= this.cacheBytes) break;
      this.partCache.delete(key);
      this.partCacheBytes -= size(p);
    }
  }

  /** Stored documents of block b. */
  docBlock(b: number): StoredDoc[] {
    return this.named(() => this.loadDocBlock(b));
  }

  private loadDocBlock(b: number): StoredDoc[] {
    const cached = this.docBlockCache.get(b);
    if (cached) return cached;
    const di = this.sections.docindex!;
    if ((b + 2) * 8 > di.length) throw new CorruptIndex('document index damaged');
    const [start, end] = this.docBlockRange(this.read(di.offset + b * 8, 16), 0);
    const out = this.decodeDocBlock(b, this.read(this.sections.docs!.offset + start, end - start));
    if (this.docBlockCache.size > 1024) this.docBlockCache.clear();
    this.docBlockCache.set(b, out);
    return out;
  }

  /** Where doc block b starts and ends in the docs section, from its two entries of the document index at index[at]. */
  private docBlockRange(index: Buffer, at: number): [number, number] {
    if (at + 16 > index.length) throw new CorruptIndex('document index damaged');
    const start = index.readDoubleLE(at);
    const end = index.readDoubleLE(at + 8);
    // the document index has no CRC of its own: a damaged offset is caught here (not a whole byte
    // count) or by the CRC at the end of the block it delimits
    if (!(Number.isSafeInteger(start) && Number.isSafeInteger(end) && start >= 0 && end > start + 4 && end <= this.sections.docs!.length)) {
      throw new CorruptIndex('document index damaged');
    }
    return [start, end];
  }

  /** The documents of block b from its bytes (the block and its CRC). */
  private decodeDocBlock(b: number, bytes: Buffer): StoredDoc[] {
    const body = bytes.subarray(0, bytes.length - 4);
    if (crc32(body) !== bytes.readUInt32LE(bytes.length - 4)) throw new CorruptIndex('document table checksum mismatch');
    const out = guarded('document table', () => {
      const r = new ByteReader(body);
      const list: StoredDoc[] = [];
      while (!r.done) {
        const doc = r.string();
        const page = r.varint();
        const length = r.varint();
        const fields = r.string();
        const d: StoredDoc = { doc, page: page === 0 ? null : page - 1, length, fields };
        if (this.storesText) d.text = r.string();
        list.push(d);
      }
      return list;
    });
    const expected = Math.min(DOC_BLOCK, this.stats.docCount - b * DOC_BLOCK);
    if (out.length !== expected) throw new CorruptIndex('document table damaged');
    return out;
  }

  /** The stored document with internal id `id`. */
  doc(id: number): StoredDoc {
    return this.docBlock(Math.floor(id / DOC_BLOCK))[id % DOC_BLOCK]!;
  }

  /** Every stored document in id order (streams block by block; the windows' sizes are for tests). */
  *docs(windowBytes = DOCS_WINDOW, indexWindowBlocks = INDEX_WINDOW_BLOCKS): Generator<StoredDoc> {
    // in order, through a window of the docs section: a read per block of 32 documents made a
    // million-page index's table 62,500 reads (0.44 s of a 16-shard merge)
    const blocks = this.stats.docBlockCount;
    if (blocks === 0) return;
    const di = this.sections.docindex!;
    if ((blocks + 1) * 8 > di.length) throw new CorruptIndex(`${this.path}: document index damaged`);
    // the document index a piece at a time too: memory stays the same whatever the index's size
    let index: Buffer = Buffer.alloc(0);
    let indexFirst = 0;
    const docs = this.sections.docs!;
    // one buffer, read into again (the documents decoded from it are copies)
    let window = Buffer.allocUnsafe(Math.min(windowBytes, docs.length));
    let windowStart = 0;
    let windowLength = 0;
    for (let b = 0; b < blocks; b++) {
      const block = this.named(() => {
        if ((b - indexFirst + 2) * 8 > index.length) {
          index = this.read(di.offset + b * 8, (Math.min(blocks - b, indexWindowBlocks) + 1) * 8);
          indexFirst = b;
        }
        const [start, end] = this.docBlockRange(index, (b - indexFirst) * 8);
        if (start < windowStart || end > windowStart + windowLength) {
          if (end - start > window.length) window = Buffer.allocUnsafe(end - start);
          windowLength = this.readInto(window, docs.offset + start, Math.min(window.length, docs.length - start));
          windowStart = start;
        }
        return this.decodeDocBlock(b, window.subarray(start - windowStart, Math.min(end, windowStart + windowLength) - windowStart));
      });
      yield* block;
    }
  }

  /**
   * Every term with its doc part and positions, in byte order, read sequentially through one reused
   * window of about `windowBytes` (merge). Term CRCs are checked unless verify() has checked the
   * whole file already.
   */
  termStream(windowBytes: number, streamOver?: number, checkTerms = !this.verified): TermStream {
    return new TermStream(this, this.blocks, (buf, offset, length) => this.readInto(buf, offset, length), windowBytes, checkTerms, streamOver);
  }

  /**
   * The dictionary blocks as spans of the term order: each block's first term (latin1, as TermStream
   * gives terms) and the bytes of its terms' postings. A merge splits its work by them.
   */
  termSpans(): { first: string; bytes: number }[] {
    return this.blocks.map((b) => ({ first: latin1(this.termIndex, b.firstStart, b.firstEnd), bytes: b.offset - b.postingsStart }));
  }

  /** Dictionary block b's first term (latin1). */
  blockFirstTerm(b: number): string {
    const ref = this.blocks[b]!;
    return latin1(this.termIndex, ref.firstStart, ref.firstEnd);
  }

  /** Every term in byte order (streams block by block). */
  *terms(): Generator<TermInfo> {
    for (let b = 0; b < this.blocks.length; b++) {
      const block = this.termBlock(b);
      this.blockCache.delete(b);
      yield* block;
    }
  }

  /** Checks the CRC of every byte of the file against the trailer (what merge and --verify do). */
  verify(): void {
    this.named(() => this.checkFileCrc());
    this.verified = true;
  }

  private verified = false;

  /** Whether verify() has checked the whole file (so a merge need not check each term's CRCs). */
  get verifiedWhole(): boolean {
    return this.verified;
  }

  private checkFileCrc(): void {
    const crc = crc32OfFile(this.fd, this.size - TRAILER_BYTES);
    if (crc < 0) throw new CorruptIndex('truncated');
    if (crc !== this.fileCrc) throw new CorruptIndex('checksum mismatch');
  }
}

/** The lengths section of n documents: the lengths, a CRC per chunk, the CRC of those. */
function lengthsSectionBytes(n: number): number {
  return n * 4 + Math.ceil(n / LENGTH_CHUNK) * 4 + 4;
}

/**
 * Document lengths loaded a checked chunk at a time (a query scoring a few blocks of postings reads
 * a few pages, not the 4 MB of a million documents). Consecutive chunks missing are read at once,
 * and a chunk asked for alone brings the next one with it, or the next READ_AHEAD_CHUNKS when the
 * chunk before it is loaded: documents are scored in id order, and a query scoring pages all over a
 * large index made ~600 reads of 4 KiB otherwise; after many such reads, the rest comes at once.
 */
export class DocLengths {
  private readonly loaded: Uint8Array;

  constructor(
    readonly count: number,
    /** Reads and checks chunks first…first+n-1. */
    private readonly load: (first: number, n: number) => void,
    private readonly values: Uint32Array,
    all = false,
  ) {
    this.loaded = new Uint8Array(Math.ceil(count / LENGTH_CHUNK)).fill(all ? 1 : 0);
  }

  /** The token counts of documents first…last (loaded), indexed by document id. */
  range(first: number, last: number): Uint32Array {
    this.ensure((first / LENGTH_CHUNK) | 0, ((last / LENGTH_CHUNK) | 0) + 1);
    return this.values;
  }

  /** The token count of document d. */
  get(d: number): number {
    const c = (d / LENGTH_CHUNK) | 0;
    if (this.loaded[c] === 0) {
      if (++this.reads > scatteredReadLimit(this.loaded.length)) this.loadRest();
      else {
        // far ahead only when reading on from the chunk before: a fresh process pays for every page it
        // reads into, and a query scoring a few blocks of 128 postings wants one or two chunks each
        const ahead = c > 0 && this.loaded[c - 1] !== 0 ? READ_AHEAD_CHUNKS : 2;
        this.ensure(c, Math.min(c + ahead, this.loaded.length), true);
      }
    }
    return this.values[d]!;
  }

  private reads = 0;

  /** Every chunk still missing, in one read (loaded ones in between are read again). */
  private loadRest(): void {
    const first = this.loaded.indexOf(0);
    const last = this.loaded.lastIndexOf(0);
    this.load(first, last - first + 1);
    this.loaded.fill(1, first, last + 1);
  }

  /** Loads the chunks from…to-1 not loaded yet, each run of them in one read (`ahead`: only the run from `from`). */
  private ensure(from: number, to: number, ahead = false): void {
    for (let c = from; c < to; c++) {
      if (this.loaded[c] !== 0) {
        if (ahead) return;
        continue;
      }
      let end = c + 1;
      while (end < to && this.loaded[end] === 0) end++;
      this.load(c, end - c);
      this.loaded.fill(1, c, end);
      if (ahead) return;
      // chunk `end` is loaded (or past `to`)
      c = end;
    }
  }
}

/** Bytes of the document table, and its index's entries, read at once when documents are read in order (IndexReader.docs). */
const DOCS_WINDOW = 256 << 10;
const INDEX_WINDOW_BLOCKS = 8192;

/** Chunks of lengths read after one asked for alone (64 KiB in all). */
const READ_AHEAD_CHUNKS = 16;

// Buffer's own latin1 decoder, without toString()'s argument checks (merge decodes millions of terms)
const latin1 = (buf: Buffer, start: number, end: number): string => (buf as unknown as { latin1Slice(s: number, e: number): string }).latin1Slice(start, end);

/**
 * A cursor over the terms of one index in byte order, for merge: `term` (the term's bytes as a
 * latin1 string, which compares as the bytes do), `df`, `cf`, and where its doc part and positions
 * lie in `window`. The window reads ahead, so one read serves many small terms; a term's bytes stay
 * valid until next(). A term whose postings are larger than `streamOver` leaves its positions in the
 * file (`positionsInWindow` false, `posFileAt`): merge copies them through a small buffer and reads
 * what it must scan with scanPositions(), so memory does not grow with the largest term.
 */
export class TermStream {
  term = '';
  df = 0;
  cf = 0;
  docsAt = 0;
  docsLength = 0;
  posAt = 0;
  posLength = 0;
  /** Whether window[posAt, posAt + posLength) holds the positions; if not, they are at posFileAt. */
  positionsInWindow = true;
  posFileAt = 0;
  /** The CRC the positions must have, or -1 when the file was checked whole (for copies from the file). */
  posCrc = 0;
  private readonly postings: ReadAhead;
  /** Positions left in the file, read for scanPositions(). */
  private readonly scanned: ReadAhead;
  private dict: Buffer = Buffer.allocUnsafe(0);
  /** The current term's bytes (terms share prefixes within a dictionary block). */
  private termBytes: Buffer = Buffer.allocUnsafe(256);
  private block = -1;
  private i = 0;
  private n = 0;
  private terms: string[] = [];
  private dfs: number[] = [];
  private cfs: number[] = [];
  /** Doc parts as stored (with their chunk CRCs). */
  private docsStored: number[] = [];
  private posLengths: number[] = [];
  private docsCrcs: number[] = [];
  private posCrcs: number[] = [];
  /** File offset of the current block's next term's postings. */
  private fileAt = 0;

  constructor(
    private readonly reader: IndexReader,
    private readonly blocks: readonly TermBlockRef[],
    readonly readInto: (buf: Buffer, offset: number, length: number) => number,
    windowBytes: number,
    private readonly checkTerms: boolean,
    private readonly streamOver = Infinity,
  ) {
    this.postings = new ReadAhead(readInto, windowBytes, reader.size);
    // 64 KB: at 1M pages, 16 inputs, 256 KB merged no faster and held 3 MB more per thread
    this.scanned = new ReadAhead(readInto, 64 << 10, reader.size);
  }

  /** The bytes docsAt and posAt point into. */
  get window(): Uint8Array {
    return this.postings.bytes;
  }

  /** Makes next() move to the first term at or after `from` (latin1); only before the first next(). */
  seek(from: string): void {
    // the last block whose first term is at most `from`
    let lo = 0;
    let hi = this.blocks.length - 1;
    let b = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.reader.blockFirstTerm(mid) <= from) {
        b = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (b < 0) return;
    this.block = b;
    this.loadBlock(b);
    while (this.i < this.n && this.terms[this.i]! < from) {
      this.fileAt += this.docsStored[this.i]! + this.posLengths[this.i]!;
      this.i++;
    }
  }

  /** Moves to the next term; false after the last. */
  next(): boolean {
    while (this.i >= this.n) {
      if (this.block + 1 >= this.blocks.length) return false;
      this.loadBlock(++this.block);
    }
    const i = this.i++;
    this.term = this.terms[i]!;
    this.df = this.dfs[i]!;
    this.cf = this.cfs[i]!;
    const docsStored = this.docsStored[i]!;
    this.docsLength = docPartData(docsStored);
    const posLength = (this.posLength = this.posLengths[i]!);
    this.posCrc = this.checkTerms ? this.posCrcs[i]! : -1;
    const docsFileAt = this.fileAt;
    this.posFileAt = docsFileAt + docsStored;
    this.fileAt = this.posFileAt + posLength;
    this.positionsInWindow = docsStored + posLength <= this.streamOver;
    if (!this.postings.ensure(docsFileAt, this.positionsInWindow ? this.fileAt : this.posFileAt)) throw this.damaged('truncated');
    this.docsAt = docsFileAt - this.postings.at;
    this.posAt = this.docsAt + docsStored;
    if (this.checkTerms) {
      const w = this.window;
      if (!docPartMatches(w.subarray(this.docsAt, this.posAt), this.docsCrcs[i]!)) throw this.damaged('postings checksum mismatch');
      if (this.positionsInWindow && crc32(w.subarray(this.posAt, this.posAt + posLength)) !== this.posCrc) throw this.damaged('positions checksum mismatch');
    }
    return true;
  }

  /**
   * The bit (from the start of the term's positions) after the pieces of documents first…n-1 (tfs,
   * lens), the first starting at bit `from`, that end by bit `to`: found without holding all the positions.
   */
  scanPositions(from: number, to: number, tfs: Int32Array, lens: Int32Array, first: number, n: number): number {
    if (this.positionsInWindow) return skipPieces(this.window, this.posAt * 8 + from, this.posAt * 8 + to, tfs, lens, first, n) - this.posAt * 8;
    // blocks are scanned in order, so the read-ahead serves many of them
    const firstByte = Math.floor(from / 8);
    if (!this.scanned.ensure(this.posFileAt + firstByte, this.posFileAt + Math.ceil(to / 8))) throw this.damaged('truncated');
    const base = (this.scanned.at - this.posFileAt) * 8;
    return skipPieces(this.scanned.bytes, from - base, to - base, tfs, lens, first, n) + base;
  }

  get path(): string {
    return this.reader.path;
  }

  private damaged(what: string): CorruptIndex {
    return new CorruptIndex(`${this.reader.path}: ${what}`);
  }

  private loadBlock(b: number): void {
    const ref = this.blocks[b]!;
    const end = ref.offset + ref.length;
    if (ref.postingsStart > ref.offset || ref.length < 5 || end > this.reader.size) throw this.damaged('term index damaged');
    // The dictionary block follows its terms' postings. When they fit in the window together, one
    // read brings both (a read per ~1 KB block was a third of merge's system calls); otherwise the
    // block alone, and next() reads the postings as needed.
    let w: Buffer;
    let at: number;
    if (end - ref.postingsStart <= this.postings.readAhead) {
      if (!this.postings.ensure(ref.postingsStart, end)) throw this.damaged('truncated');
      w = this.postings.buf;
      at = ref.offset - this.postings.at;
    } else {
      if (ref.length > this.dict.length) this.dict = Buffer.allocUnsafe(Math.max(ref.length, 64 << 10));
      if (this.readInto(this.dict, ref.offset, ref.length) < ref.length) throw this.damaged('truncated');
      w = this.dict;
      at = 0;
    }
    const bodyEnd = at + ref.length - 4;
    if (crc32(w.subarray(at, bodyEnd)) !== w.readUInt32LE(bodyEnd)) throw this.damaged('term dictionary checksum mismatch');
    const r = new ByteReader(w, at, bodyEnd);
    let postings = 0;
    try {
      const n = r.varint();
      if (n > ref.length) throw this.damaged('term dictionary damaged');
      // prefixes are shared within a block only; order is checked across blocks too
      const previousBlockLast = b === 0 ? undefined : this.terms[this.n - 1]!;
      let prev = '';
      for (let i = 0; i < n; i++) {
        const shared = r.varint();
        const suffixLength = r.varint();
        if (shared > prev.length || r.pos + suffixLength > bodyEnd) throw this.damaged('term dictionary damaged');
        // the term's bytes put together in a buffer of their own and read as one flat string, rather
        // than a slice of the previous term joined to the suffix (a cons string, flattened when compared)
        const length = shared + suffixLength;
        if (length > this.termBytes.length) {
          const grown = Buffer.allocUnsafe(2 * length);
          this.termBytes.copy(grown, 0, 0, shared);
          this.termBytes = grown;
        }
        const bytes = this.termBytes;
        for (let k = 0; k < suffixLength; k++) bytes[shared + k] = w[r.pos + k]!;
        const term = latin1(bytes, 0, length);
        r.pos += suffixLength;
        if (i > 0 ? term <= prev : previousBlockLast !== undefined && term <= previousBlockLast) throw this.damaged('terms out of order');
        this.terms[i] = term;
        const df = r.varint();
        this.dfs[i] = df;
        this.cfs[i] = df + r.varint();
        this.docsStored[i] = r.varint();
        this.posLengths[i] = r.varint();
        this.docsCrcs[i] = r.u32();
        this.posCrcs[i] = r.u32();
        postings += this.docsStored[i]! + this.posLengths[i]!;
        prev = term;
      }
      this.n = n;
    } catch (err) {
      if (err instanceof RangeError) throw this.damaged('term dictionary damaged');
      throw err;
    }
    if (ref.postingsStart + postings !== ref.offset) throw this.damaged('term dictionary damaged');
    this.i = 0;
    this.fileAt = ref.postingsStart;
  }
}

/** A buffer holding file bytes [at, at + length), refilled from a requested offset onwards (reading ahead). */
class ReadAhead {
  buf: Buffer = Buffer.allocUnsafe(0);
  /** buf as a plain Uint8Array: merge's loops over it then see one kind of array (as in builds). */
  bytes: Uint8Array = new Uint8Array(0);
  at = 0;
  private length = 0;

  constructor(
    private readonly readInto: (buf: Buffer, offset: number, length: number) => number,
    readonly readAhead: number,
    private readonly fileSize: number,
  ) {}

  /** Makes buf hold [start, end) and up to readAhead bytes from start; false if the file ends before end. */
  ensure(start: number, end: number): boolean {
    if (start >= this.at && end <= this.at + this.length) return true;
    const want = Math.max(end - start, Math.min(this.readAhead, this.fileSize - start));
    if (want > this.buf.length) {
      this.buf = Buffer.allocUnsafe(Math.max(want, Math.min(this.readAhead, this.fileSize)));
      this.bytes = new Uint8Array(this.buf.buffer, this.buf.byteOffset, this.buf.length);
    }
    this.length = this.readInto(this.buf, start, want);
    this.at = start;
    return this.length >= end - start;
  }
}
