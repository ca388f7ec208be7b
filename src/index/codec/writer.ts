// Writes one index file front to back in a single pass with bounded memory: documents first (in
// their final order), then terms in byte order. The file appears atomically (temp + rename) and is
// byte-for-byte determined by what is added, so merges are reproducible.
import { closeSync, fsyncSync, openSync, readSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { WriteBehind } from '../../stream/write-behind.js';
import { tempPathFor } from '../../stream/atomic.js';
import { BitRanges, ByteRanges, ByteWriter, SequentialFile, type FileBytes } from './bytes.js';
import { crc32, crc32Combine } from './crc.js';
import {
  CorruptIndex, DOC_BLOCK, DOC_CHUNK, FLAG_STORE_TEXT, FORMAT_VERSION, LENGTH_CHUNK, TERM_BLOCK,
  encodeFooter, encodeHeader, encodeTrailer,
  type Section, type SectionName, type Stats,
} from './layout.js';
import { BitWriter, DocPartEncoder, copyBytes, readBits, type PostingList } from './postings.js';

export interface StoredDoc {
  doc: string;
  /** Page number, or null when the record had none. */
  page: number | null;
  /** Token count (BM25's D). */
  length: number;
  /** Stored fields as a JSON object text, '' for none. */
  fields: string;
  /** Page text (only kept with --store text). */
  text?: string;
}

export interface WriterOptions {
  analyzer: string;
  storedFields: string[];
  storeText: boolean;
  /**
   * Bytes of one term's coded positions held in memory while it is added posting by posting; the
   * rest wait in a temp file (default 16 MB: a million pages' commonest word has 45 MB).
   */
  positionsInMemory?: number;
}

/**
 * Buffered sequential writes that keep a running CRC of the current section, folded into the file's
 * CRC when the next section starts (crc32Combine): one CRC pass over the bytes, not one per CRC. The
 * CRC is taken over the buffer in large runs (when it is flushed or a section ends), not per write:
 * merge writes millions of small pieces.
 */
class Sink {
  private buf = new Uint8Array(1 << 20); // not a Buffer: its many subarray() views are cheaper
  private used = 0;
  /** Bytes of buf before this are already in sectionCrcValue. */
  private crcDone = 0;
  /** The CRC of the file's bytes before sectionStart. */
  private fileCrcValue = 0;
  /** The CRC of the bytes from sectionStart on. */
  private sectionCrcValue = 0;
  private sectionStart = 0;
  offset = 0;
  constructor(
    private readonly fd: number,
    private readonly behind?: WriteBehind,
  ) {}

  private settle(): void {
    if (this.crcDone === this.used) return;
    this.sectionCrcValue = crc32(this.buf.subarray(this.crcDone, this.used), this.sectionCrcValue);
    this.crcDone = this.used;
  }

  /** The CRC of everything written so far. */
  get fileCrc(): number {
    this.settle();
    return crc32Combine(this.fileCrcValue, this.sectionCrcValue, this.offset - this.sectionStart);
  }

  /** The CRC of what was written since startSection(). */
  get sectionCrc(): number {
    this.settle();
    return this.sectionCrcValue;
  }

  startSection(): void {
    this.fileCrcValue = this.fileCrc;
    this.sectionCrcValue = 0;
    this.sectionStart = this.offset;
  }

  write(bytes: Uint8Array, start = 0, end = bytes.length): void {
    const n = end - start;
    if (n > this.buf.length - this.used) {
      this.flush();
      if (n > this.buf.length) {
        const whole = bytes.subarray(start, end);
        this.sectionCrcValue = crc32(whole, this.sectionCrcValue);
        this.offset += n;
        writeAll(this.fd, whole);
        this.behind?.written(n);
        return;
      }
    }
    this.buf.set(start === 0 && end === bytes.length ? bytes : bytes.subarray(start, end), this.used);
    this.used += n;
    this.offset += n;
  }

  // what writePostings() wrote last
  docsLength = 0;
  posLength = 0;
  docsCrc = 0;
  posCrc = 0;
  private readonly docRanges = new ByteRanges();

  /**
   * Writes one term's postings: its doc part (`enc` after finish()) with its chunk CRCs when it
   * is longer than a chunk, then its positions' bits. docsLength is the doc part as stored.
   */
  writePostings(enc: DocPartEncoder, positions: BitRanges): void {
    this.docRanges.clear();
    enc.pieces(this.docRanges);
    const docStart = this.offset;
    const data = this.docRanges.byteLength;
    if (data > DOC_CHUNK) {
      const chunks = this.chunkCrcs.start(data);
      this.writeRanges(this.docRanges, chunks);
      const table = chunks.table();
      this.write(table);
      this.docsCrc = crc32(table);
    } else this.docsCrc = this.writeRanges(this.docRanges);
    const posStart = this.offset;
    this.posCrc = this.writeBitRanges(positions);
    this.docsLength = posStart - docStart;
    this.posLength = this.offset - posStart;
  }

  private readonly chunkCrcs = new ChunkCrcs();

  /**
   * Writes the pieces one after the other and returns the CRC of what they hold together, or, with
   * `chunks`, 0 and their chunk CRCs in it (taken over what was copied, a few large runs of bytes,
   * not piece by piece).
   */
  writeRanges(ranges: ByteRanges, chunks?: ChunkCrcs): number {
    let crc = 0;
    const take = (bytes: Uint8Array) => {
      if (chunks) chunks.add(bytes);
      else crc = crc32(bytes, crc);
    };
    let from = this.used;
    for (let i = 0; i < ranges.count; i++) {
      const bytes = ranges.bufs[i]!;
      const start = ranges.starts[i]!;
      const end = ranges.ends[i]!;
      if (end - start > this.buf.length - this.used) {
        take(this.buf.subarray(from, this.used));
        this.flush();
        from = 0;
        if (end - start > this.buf.length) {
          take(bytes.subarray(start, end));
          this.write(bytes, start, end);
          continue;
        }
      }
      copyBytes(bytes, this.buf, this.used, start, end);
      this.used += end - start;
      this.offset += end - start;
    }
    take(this.buf.subarray(from, this.used));
    return crc;
  }

  // bits of a bit stream not yet written (fewer than 8), in the low bits of carry
  private carry = 0;
  private carryBits = 0;
  // the CRC of the bit stream being written, over the bytes of buf from bitsFrom on
  private bitsCrc = 0;
  private bitsFrom = 0;

  /**
   * Writes the bit ranges one after the other, zero-padded to a byte at the end; returns the CRC of
   * the bytes they make. Byte-aligned runs are copied; others shifted a byte at a time.
   */
  writeBitRanges(ranges: BitRanges): number {
    this.carry = 0;
    this.carryBits = 0;
    this.bitsCrc = 0;
    this.bitsFrom = this.used;
    for (let i = 0; i < ranges.count; i++) {
      const file = ranges.files[i];
      if (file) this.copyFileBits(file, ranges.starts[i]!, ranges.lengths[i]!, ranges.ends[i]!, ranges.crcs[i]!);
      else this.writeBits(ranges.bufs[i]!, ranges.starts[i]!, ranges.ends[i]!);
    }
    if (this.carryBits > 0) {
      this.room(1);
      this.buf[this.used++] = this.carry;
      this.offset++;
    }
    return crc32(this.buf.subarray(this.bitsFrom, this.used), this.bitsCrc);
  }

  /** Makes room for n bytes in buf (at most its size), keeping the bit stream's CRC. */
  private room(n: number): void {
    if (n <= this.buf.length - this.used) return;
    this.bitsCrc = crc32(this.buf.subarray(this.bitsFrom, this.used), this.bitsCrc);
    this.flush();
    this.bitsFrom = 0;
  }

  private writeBits(src: Uint8Array, start: number, end: number): void {
    let bit = start;
    const c = this.carryBits;
    if (c === 0 && bit % 8 === 0) {
      // aligned: whole bytes are copied
      let from = bit / 8;
      const to = Math.floor(end / 8);
      while (from < to) {
        this.room(1);
        const n = Math.min(to - from, this.buf.length - this.used);
        copyBytes(src, this.buf, this.used, from, from + n);
        this.used += n;
        this.offset += n;
        from += n;
      }
      bit = to * 8;
    } else {
      const s = bit % 8;
      let i = (bit - s) / 8;
      let carry = this.carry;
      while (end - bit >= 8) {
        this.room(1);
        const buf = this.buf;
        let used = this.used;
        const stop = Math.min(used + Math.floor((end - bit) / 8), buf.length);
        if (s === 0) {
          // a byte-aligned source (a whole run of an input's positions): four bytes at a time while
          // long enough (a common word's run), then one read per byte
          if (stop - used >= WORD_RUN && c > 0) {
            const from = viewOf(src);
            const to = viewOf(buf);
            for (; used + 4 <= stop; i += 4, used += 4) {
              const v = from.getUint32(i, true);
              to.setUint32(used, (carry | (v << c)) >>> 0, true);
              carry = v >>> (32 - c);
            }
          }
          for (; used < stop; i++) {
            const v = src[i]!;
            buf[used++] = (carry | (v << c)) & 0xff;
            carry = v >>> (8 - c);
          }
        } else {
          for (; used < stop; i++) {
            const v = ((src[i]! >>> s) | (src[i + 1]! << (8 - s))) & 0xff;
            buf[used++] = (carry | (v << c)) & 0xff;
            carry = v >>> (8 - c);
          }
        }
        bit += (used - this.used) * 8;
        this.offset += used - this.used;
        this.used = used;
      }
      this.carry = carry;
    }
    // the last bits (fewer than 8) join the carry
    const r = end - bit;
    if (r > 0) {
      let carry = this.carry | (readBits(src, bit, r) << this.carryBits);
      let bits = this.carryBits + r;
      if (bits >= 8) {
        this.room(1);
        this.buf[this.used++] = carry & 0xff;
        this.offset++;
        carry >>>= 8;
        bits -= 8;
      }
      this.carry = carry;
      this.carryBits = bits;
    }
  }

  /** Writes the first `bits` bits of file bytes [start, start + length) through a 1 MB buffer, checking their CRC. */
  private copyFileBits(file: FileBytes, start: number, length: number, bits: number, expected: number): void {
    const bounce = (this.bounce ??= Buffer.allocUnsafe(1 << 20));
    let own = 0;
    let done = 0;
    for (let at = start; at < start + length; ) {
      const n = file.readInto(bounce, at, Math.min(bounce.length, start + length - at));
      if (n <= 0) throw new CorruptIndex(`${file.path}: truncated`);
      if (expected >= 0) own = crc32(bounce.subarray(0, n), own);
      const take = Math.min(n * 8, bits - done);
      this.writeBits(bounce, 0, take);
      done += take;
      at += n;
    }
    if (expected >= 0 && own !== expected) throw new CorruptIndex(`${file.path}: positions checksum mismatch`);
  }

  private bounce: Buffer | undefined;

  flush(): void {
    this.settle();
    if (this.used > 0) writeAll(this.fd, this.buf.subarray(0, this.used));
    this.behind?.written(this.used);
    this.used = 0;
    this.crcDone = 0;
  }
}

/** Runs at least this long are shifted four bytes at a time (shorter ones do not pay for the views). */
const WORD_RUN = 64;

/** A DataView over bytes (made per long run only: a short run's bytes are cheaper one by one). */
function viewOf(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** A copy of bytes (a Buffer's own slice() would be a view). */
function copyOf(bytes: Uint8Array): Uint8Array {
  return Uint8Array.prototype.slice.call(bytes);
}

export function writeAll(fd: number, bytes: Uint8Array): void {
  let off = 0;
  while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
}

/** Where a merge puts its terms, in byte order: an index being written, or a spill of a term range. */
export interface TermSink {
  addEncodedTerm(term: Uint8Array, count: number, cf: number, enc: DocPartEncoder, positions: BitRanges): void;
}

/** The two files of a spilled term range: its postings, and a record per term. */
export interface SpillFiles {
  postings: string;
  terms: string;
}

/**
 * A term range's postings as the index writer would write them, spilled to a file by a merge thread
 * for the thread writing the index to append (IndexWriter.appendSpilled): the postings in one file,
 * and per term (term bytes · df · cf · doc part bytes · positions bytes · their u32 CRCs) in another.
 * The dictionary blocks are left to the index writer: where they fall depends on the terms before.
 */
export class TermSpill implements TermSink {
  private readonly postingsFd: number;
  private readonly termsFd: number;
  private readonly sink: Sink;
  private readonly records = new ByteWriter(64 * 1024);

  constructor(readonly files: SpillFiles) {
    this.postingsFd = openSync(files.postings, 'wx');
    this.termsFd = openSync(files.terms, 'wx');
    this.sink = new Sink(this.postingsFd);
  }

  addEncodedTerm(term: Uint8Array, count: number, cf: number, enc: DocPartEncoder, positions: BitRanges): void {
    if (count === 0) return;
    const sink = this.sink;
    sink.writePostings(enc, positions);
    const r = this.records;
    r.varint(term.length);
    r.bytes(term);
    r.varint(count);
    r.varint(cf);
    r.varint(sink.docsLength);
    r.varint(sink.posLength);
    r.u32(sink.docsCrc);
    r.u32(sink.posCrc);
    if (r.length >= 60 * 1024) this.flushRecords();
  }

  private flushRecords(): void {
    writeAll(this.termsFd, this.records.view());
    this.records.reset();
  }

  /** Writes what is buffered and closes the files (they stay for appendSpilled). */
  finish(): void {
    this.sink.flush();
    this.flushRecords();
    closeSync(this.postingsFd);
    closeSync(this.termsFd);
  }

  /** Closes and removes the files (after an error). */
  abort(): void {
    for (const fd of [this.postingsFd, this.termsFd]) {
      try {
        closeSync(fd);
      } catch {
        // already closed
      }
    }
    removeSpill(this.files);
  }
}

export function removeSpill(files: SpillFiles): void {
  for (const path of [files.postings, files.terms]) {
    try {
      unlinkSync(path);
    } catch {
      // already gone
    }
  }
}

/** Written bytes between two syncs started behind the writer (an index of a million pages is ~850 MB). */
const WRITE_BEHIND_BYTES = 64 << 20;

export class IndexWriter {
  private readonly fd: number;
  private readonly tmp: string;
  private readonly sink: Sink;
  private readonly behind: WriteBehind;
  private readonly sections = {} as Record<SectionName, Section>;
  private current: SectionName | undefined;
  private phase: 'docs' | 'terms' | 'done' = 'docs';
  private closed = false;
  private docBlock = new ByteWriter(64 * 1024);
  private docsInBlock = 0;
  private docBlockOffsets: number[] = [];
  private lengthsBuf = new Uint32Array(1024);
  /**
   * The lengths as postings look them up (set when the terms start): 16-bit when they fit, so that
   * a million pages' table (2 MB) stays nearer the cache when a term's postings span them all.
   */
  private lengthTable: Uint16Array | Uint32Array = this.lengthsBuf;
  private docCount = 0;
  private totalTokens = 0;
  // terms
  private dict = new ByteWriter(16 * 1024);
  private termsInBlock = 0;
  private blockFirstTerm: Uint8Array | undefined;
  private blockPostingsStart = 0;
  private prevTerm: Uint8Array = new Uint8Array(0);
  private termIndex = new ByteWriter(16 * 1024);
  private termCount = 0;
  private termBlockCount = 0;
  private postingCount = 0;

  constructor(
    readonly path: string,
    readonly options: WriterOptions,
  ) {
    this.tmp = tempPathFor(path);
    this.fd = openSync(this.tmp, 'wx');
    this.behind = new WriteBehind(this.tmp, WRITE_BEHIND_BYTES);
    this.sink = new Sink(this.fd, this.behind);
    this.begin('header');
    this.sink.write(
      encodeHeader({ version: FORMAT_VERSION, flags: options.storeText ? FLAG_STORE_TEXT : 0, analyzer: options.analyzer, storedFields: options.storedFields }),
    );
    this.begin('docs');
  }

  private begin(name: SectionName | undefined): void {
    if (this.current) this.sections[this.current] = { ...this.sections[this.current], length: this.sink.offset - this.sections[this.current].offset, crc: this.sink.sectionCrc };
    this.current = name;
    if (!name) return;
    this.sections[name] = { offset: this.sink.offset, length: 0, crc: 0 };
    this.sink.startSection();
  }

  /** Adds the next document (ids are given in call order, from 0). */
  addDoc(d: StoredDoc): number {
    if (this.phase !== 'docs') throw new Error('addDoc after terms started');
    const w = this.docBlock;
    if (this.docsInBlock === 0) this.docBlockOffsets.push(this.sink.offset - this.sections.docs.offset);
    w.string(d.doc);
    w.varint(d.page === null ? 0 : d.page + 1);
    w.varint(d.length);
    w.string(d.fields);
    if (this.options.storeText) w.string(d.text ?? '');
    if (++this.docsInBlock === DOC_BLOCK) this.endDocBlock();
    if (this.docCount === this.lengthsBuf.length) {
      const next = new Uint32Array(this.lengthsBuf.length * 2);
      next.set(this.lengthsBuf);
      this.lengthsBuf = next;
    }
    this.lengthsBuf[this.docCount] = d.length;
    this.totalTokens += d.length;
    return this.docCount++;
  }

  private endDocBlock(): void {
    if (this.docsInBlock === 0) return;
    this.docBlock.u32(crc32(this.docBlock.view()));
    this.sink.write(this.docBlock.view());
    this.docBlock.reset();
    this.docsInBlock = 0;
  }

  /** Token counts of the documents added so far. */
  get lengths(): Uint32Array {
    return this.lengthsBuf.subarray(0, this.docCount);
  }

  private startTerms(): void {
    const all = this.lengths;
    let max = 0;
    for (let d = 0; d < all.length; d++) if (all[d]! > max) max = all[d]!;
    this.lengthTable = max < 0x10000 ? Uint16Array.from(all) : all;
    this.endDocBlock();
    this.begin('docindex');
    const idx = new ByteWriter(this.docBlockOffsets.length * 8 + 8);
    for (const off of this.docBlockOffsets) idx.f64(off);
    idx.f64(this.sections.docs.length);
    this.sink.write(idx.view());
    this.begin('lengths');
    const lengths = this.lengths;
    const bytes = new Uint8Array(lengths.buffer, lengths.byteOffset, lengths.byteLength);
    this.sink.write(bytes);
    const chunks = new ByteWriter(Math.ceil(lengths.length / LENGTH_CHUNK) * 4 + 4);
    for (let at = 0; at < bytes.length; at += LENGTH_CHUNK * 4) chunks.u32(crc32(bytes.subarray(at, at + LENGTH_CHUNK * 4)));
    chunks.u32(crc32(chunks.view()));
    this.sink.write(chunks.view());
    this.begin('terms');
    this.phase = 'terms';
  }

  /** Adds the next term (strictly increasing bytes) with its postings over the added documents. */
  addTerm(term: Uint8Array, list: PostingList): void {
    const { count, docs, tfs, posStarts, positions } = list;
    this.startTerm();
    for (let i = 0; i < count; i++) {
      if (this.addPosting(docs[i]!, tfs[i]!, positions, posStarts[i]!) !== posStarts[i + 1]) throw new Error('positions out of step with tf');
    }
    this.endTerm(term);
  }

  // the term being added posting by posting (startTerm, addPosting, endTerm)
  private termCf = 0;
  private termDf = 0;

  /** Starts a term whose postings follow one by one in document order (addPosting), then endTerm(). */
  startTerm(): void {
    if (this.phase === 'docs') this.startTerms();
    this.encoder.begin();
    this.bits.reset();
    this.termCf = 0;
    this.termDf = 0;
    if (this.positionsFile) {
      this.positionsFile.bytes = 0;
      this.positionsFile.crc = 0;
    }
  }

  /**
   * Adds document d with its tf positions, as a build holds them: varint deltas (the first from 0)
   * from positions[at]; returns where they end. They are coded into the index's bits.
   */
  addPosting(d: number, tf: number, positions: Uint8Array, at: number): number {
    let pos = this.pos;
    if (tf > pos.length) pos = this.pos = new Int32Array(tf * 2);
    let p = 0;
    for (let k = 0; k < tf; k++) {
      let v = positions[at++]!;
      if (v >= 0x80) {
        v &= 0x7f;
        for (let scale = 128; ; scale *= 128) {
          const b = positions[at++]!;
          v += (b & 0x7f) * scale;
          if (b < 0x80) break;
        }
      }
      p += v;
      pos[k] = p;
    }
    const length = this.lengthTable[d]!;
    const bits = this.bits;
    const before = bits.bits;
    bits.positions(pos, tf, length);
    this.encoder.add(d, tf, bits.bits - before, length);
    this.termCf += tf;
    this.termDf++;
    if (bits.bytes >= (this.options.positionsInMemory ?? 16 << 20)) this.spillPositions();
    return at;
  }

  /** The positions of the term being added that wait in a temp file (whole bytes, from its start). */
  private positionsFile: (FileBytes & { fd: number; bytes: number; crc: number }) | undefined;

  private spillPositions(): void {
    let f = this.positionsFile;
    if (!f) {
      const path = tempPathFor(`${this.path}.positions`);
      const fd = openSync(path, 'wx+');
      f = this.positionsFile = { path, fd, bytes: 0, crc: 0, readInto: (buf, offset, length) => readSync(fd, buf, 0, length, offset) };
    }
    const whole = this.bits.buf.subarray(0, this.bits.bytes);
    let off = 0;
    while (off < whole.length) off += writeSync(f.fd, whole, off, whole.length - off, f.bytes + off);
    f.crc = crc32(whole, f.crc);
    f.bytes += whole.length;
    this.bits.bytes = 0; // the bits not yet a whole byte stay
  }

  private closePositionsFile(): void {
    const f = this.positionsFile;
    if (!f) return;
    this.positionsFile = undefined;
    closeSync(f.fd);
    try {
      unlinkSync(f.path);
    } catch {
      // already gone
    }
  }

  /** Writes the term started by startTerm() (nothing when it has no postings). */
  endTerm(term: Uint8Array): void {
    if (this.termDf === 0) return;
    this.encoder.finish();
    this.bits.finish();
    const ranges = this.positionRanges;
    ranges.clear();
    const f = this.positionsFile;
    if (f && f.bytes > 0) ranges.pushFile(f, 0, f.bytes, f.bytes * 8, f.crc);
    ranges.push(this.bits.buf, 0, this.bits.bits);
    this.addEncodedTerm(term, this.termDf, this.termCf, this.encoder, ranges);
  }

  private readonly encoder = new DocPartEncoder();
  private readonly bits = new BitWriter();
  private pos = new Int32Array(64);
  private readonly positionRanges = new BitRanges();

  /** Adds the next term from its encoded doc part (`enc` after finish()) and its positions' bits. */
  addEncodedTerm(term: Uint8Array, count: number, cf: number, enc: DocPartEncoder, positions: BitRanges): void {
    if (this.phase === 'docs') this.startTerms();
    if (count === 0) return;
    this.beginTerm(term);
    const sink = this.sink;
    sink.writePostings(enc, positions);
    this.recordTerm(term, count, cf, sink.docsLength, sink.posLength, sink.docsCrc, sink.posCrc);
  }

  /** Appends the terms another thread spilled (TermSpill), which follow the terms added so far. */
  appendSpilled(files: SpillFiles): void {
    if (this.phase === 'docs') this.startTerms();
    const postingsFd = openSync(files.postings, 'r');
    const termsFd = openSync(files.terms, 'r');
    try {
      const postings = new SequentialFile(postingsFd);
      const records = new SequentialFile(termsFd);
      const write = (buf: Uint8Array, start: number, end: number): void => this.sink.write(buf, start, end);
      while (records.ensure(1) > 0) {
        const head = records.reader(10);
        const termLength = head.varint();
        const headLength = head.pos - records.start;
        // the term, then at most four varints and two CRCs
        const r = records.reader(headLength + termLength + 48);
        r.pos += headLength;
        const term = r.bytes(termLength);
        const count = r.varint();
        const cf = r.varint();
        const docsLength = r.varint();
        const posLength = r.varint();
        const docsCrc = r.u32();
        const posCrc = r.u32();
        this.beginTerm(term);
        postings.copy(docsLength + posLength, write);
        this.recordTerm(term, count, cf, docsLength, posLength, docsCrc, posCrc);
        records.start = r.pos;
      }
      if (postings.ensure(1) !== 0) throw new Error('spilled postings longer than their terms');
    } finally {
      closeSync(postingsFd);
      closeSync(termsFd);
    }
  }

  /** Starts a dictionary block before the postings of its first term are written. */
  private beginTerm(term: Uint8Array): void {
    if (this.termsInBlock !== 0) return;
    this.blockFirstTerm = copyOf(term);
    this.blockPostingsStart = this.sink.offset;
    this.prevTerm = new Uint8Array(0);
  }

  /** Starts a term block when needed and describes the term just written in the dictionary. */
  private recordTerm(term: Uint8Array, count: number, cf: number, docsLength: number, posLength: number, docsCrc: number, posCrc: number): void {
    const prev = this.prevTerm;
    let shared = 0;
    const max = Math.min(prev.length, term.length);
    while (shared < max && prev[shared] === term[shared]) shared++;
    const d = this.dict;
    d.varint(shared);
    d.varint(term.length - shared);
    d.bytes(term, shared);
    d.varint(count);
    d.varint(cf - count);
    d.varint(docsLength);
    d.varint(posLength);
    d.u32(docsCrc);
    d.u32(posCrc);
    this.prevTerm = copyOf(term);
    this.termCount++;
    this.postingCount += count;
    if (++this.termsInBlock === TERM_BLOCK) this.endTermBlock();
  }

  private endTermBlock(): void {
    if (this.termsInBlock === 0) return;
    const blockOffset = this.sink.offset;
    const head = new ByteWriter(8);
    head.varint(this.termsInBlock);
    const crc = crc32(this.dict.view(), crc32(head.view()));
    this.sink.write(head.view());
    this.sink.write(this.dict.view());
    const tail = new ByteWriter(4);
    tail.u32(crc);
    this.sink.write(tail.view());
    const ti = this.termIndex;
    const first = this.blockFirstTerm!;
    ti.varint(first.length);
    ti.bytes(first);
    ti.varint(blockOffset);
    ti.varint(this.sink.offset - blockOffset);
    ti.varint(this.blockPostingsStart);
    this.termBlockCount++;
    this.dict.reset();
    this.termsInBlock = 0;
  }

  /** Writes the rest, syncs and renames into place; returns the statistics. */
  finish(): Stats {
    this.closePositionsFile();
    if (this.phase === 'docs') this.startTerms();
    this.endTermBlock();
    this.begin('termindex');
    this.sink.write(this.termIndex.view());
    this.begin(undefined);
    const stats: Stats = {
      docCount: this.docCount,
      totalTokens: this.totalTokens,
      termCount: this.termCount,
      postingCount: this.postingCount,
      termBlockCount: this.termBlockCount,
      docBlockCount: this.docBlockOffsets.length,
    };
    const footer = encodeFooter({ sections: this.sections, stats });
    this.sink.write(footer);
    const trailer = encodeTrailer(footer.length, crc32(footer), this.sink.fileCrc);
    this.sink.write(trailer);
    this.sink.flush();
    fsyncSync(this.fd);
    closeSync(this.fd);
    this.behind.close();
    this.closed = true;
    // 'done' only once renamed: a failed rename (the target a directory, say) leaves abort() the temp file to remove
    renameSync(this.tmp, this.path);
    this.phase = 'done';
    return stats;
  }

  /** Removes the temp file (after an error). */
  abort(): void {
    this.closePositionsFile();
    if (this.phase === 'done') return;
    this.phase = 'done';
    this.behind.close();
    // the descriptor's number may belong to another file once closed
    if (!this.closed) {
      try {
        closeSync(this.fd);
      } catch {
        // already closed
      }
    }
    try {
      unlinkSync(this.tmp);
    } catch {
      // already gone
    }
  }

  /** Bytes written so far. */
  get bytesWritten(): number {
    return this.sink.offset;
  }
}

/** The CRC of every DOC_CHUNK bytes of what is added, in order: a doc part's chunk table. */
class ChunkCrcs {
  private buf = Buffer.alloc(0);
  private count = 0;
  private filled = 0;
  private crc = 0;

  /** Starts the table of a doc part of `length` bytes. */
  start(length: number): this {
    const bytes = 4 * Math.ceil(length / DOC_CHUNK);
    if (bytes > this.buf.length) this.buf = Buffer.alloc(Math.max(bytes, 2 * this.buf.length));
    this.count = 0;
    this.filled = 0;
    this.crc = 0;
    return this;
  }

  add(bytes: Uint8Array): void {
    for (let at = 0; at < bytes.length; ) {
      const n = Math.min(bytes.length - at, DOC_CHUNK - this.filled);
      this.crc = crc32(at === 0 && n === bytes.length ? bytes : bytes.subarray(at, at + n), this.crc);
      at += n;
      this.filled += n;
      if (this.filled === DOC_CHUNK) this.endChunk();
    }
  }

  /** The table (valid until the next start()). */
  table(): Buffer {
    if (this.filled > 0) this.endChunk();
    return this.buf.subarray(0, 4 * this.count);
  }

  private endChunk(): void {
    this.buf.writeUInt32LE(this.crc, 4 * this.count++);
    this.crc = 0;
    this.filled = 0;
  }
}
