// A build's sorted runs. When a build's memory fills, the inverter's postings go to a temp file as
// they are in memory — per term, its document entries and its position deltas, as varints — and at
// the end the runs are merged term by term, each term coded into the index's bits once, exactly as
// a build that fits in memory codes it (IndexWriter.addPosting). Runs written as index files had
// cost a full coding per run and then a merge that walked every posting again (10% of the CPU of a
// 1M-page build). A run is private to one build: no version, and CRCs of its two files checked
// before it is merged. The positions have a file of their own, so that the merge reads each file
// once, front to back (interleaved with the entries, the bytes were read three times).
//
//   docs     per document, in key order: doc · page + 1 (0: none) · length · fields · [text]
//   terms    per term, in UTF-8 byte order: term · df · entry bytes · position bytes ·
//            the entries (doc id delta·2 + (tf = 1 ? 1 : 0) [· tf], ids from the run's 0)
//   trailer  document count · term count · terms offset · 1 if text is stored · the first and the
//            last document (doc · page + 1) · u32 CRC of the bytes before the trailer ·
//            positions file bytes · u32 CRC of the positions file · u32 trailer length · "REAMRUN\0"
//   and in the positions file (`<run>.positions.tmp`), per term in the same order, its position
//   deltas (per document, tf varints, the first from 0)
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { ByteReader, ByteWriter, SequentialFile, readVarint, varintEnd } from './codec/bytes.js';
import { crc32, crc32OfFile } from './codec/crc.js';
import { CorruptIndex } from './codec/layout.js';
import type { PostingList } from './codec/postings.js';
import { IndexWriter, writeAll, type StoredDoc, type WriterOptions } from './codec/writer.js';
import type { Stats } from './codec/layout.js';
import { mergeDocs, type DocInput } from './merge.js';

const RUN_MAGIC = Buffer.from('REAMRUN\0', 'latin1');

// Buffer's own latin1 decoder on any bytes (a run's terms compare as latin1 strings of their UTF-8)
const latin1 = (bytes: Uint8Array, start: number, end: number): string => (Buffer.prototype as unknown as { latin1Slice(this: Uint8Array, s: number, e: number): string }).latin1Slice.call(bytes, start, end);

/** The files of the run at `path` (to remove them). */
export function runFiles(path: string): string[] {
  return [path, positionsPathOf(path)];
}

function positionsPathOf(path: string): string {
  return `${path}.positions.tmp`;
}

/** Writes a drained run (Inverter.drain) to `path` (and its positions file). */
export function writeRun(path: string, docs: StoredDoc[], terms: Iterable<{ term: string; list: PostingList }>, storeText: boolean): void {
  const fd = openSync(path, 'wx');
  const posFd = openSync(positionsPathOf(path), 'wx');
  const out = new ByteWriter(1 << 20);
  let crc = 0;
  let offset = 0;
  const flush = (): void => {
    const bytes = out.view();
    crc = crc32(bytes, crc);
    writeAll(fd, bytes);
    offset += bytes.length;
    out.reset();
  };
  const pos = new ByteWriter(1 << 20);
  let posCrc = 0;
  let posTotal = 0;
  const writePositions = (bytes: Uint8Array): void => {
    posCrc = crc32(bytes, posCrc);
    writeAll(posFd, bytes);
    posTotal += bytes.length;
  };
  try {
    for (const d of docs) {
      out.string(d.doc);
      out.varint(d.page === null ? 0 : d.page + 1);
      out.varint(d.length);
      out.string(d.fields);
      if (storeText) out.string(d.text ?? '');
      if (out.length >= 1 << 20) flush();
    }
    const termsOffset = offset + out.length;
    let termCount = 0;
    const entries = new ByteWriter(64 * 1024);
    for (const { term, list } of terms) {
      if (list.count === 0) continue;
      entries.reset();
      let prev = -1;
      for (let i = 0; i < list.count; i++) {
        const d = list.docs[i]!;
        const tf = list.tfs[i]!;
        if (tf === 1) entries.varint((d - prev) * 2 + 1);
        else {
          entries.varint((d - prev) * 2);
          entries.varint(tf);
        }
        prev = d;
      }
      const posBytes = list.posStarts[list.count]! - list.posStarts[0]!;
      out.string(term);
      out.varint(list.count);
      out.varint(entries.length);
      out.varint(posBytes);
      out.bytes(entries.view());
      if (out.length >= 1 << 20) flush();
      if (pos.length + posBytes > 1 << 20) {
        writePositions(pos.view());
        pos.reset();
      }
      if (posBytes > 1 << 20) writePositions(list.positions.subarray(list.posStarts[0]!, list.posStarts[list.count]!));
      else pos.bytes(list.positions, list.posStarts[0]!, list.posStarts[list.count]!);
      termCount++;
    }
    flush();
    writePositions(pos.view());
    const trailer = new ByteWriter(256);
    trailer.varint(docs.length);
    trailer.varint(termCount);
    trailer.varint(termsOffset);
    trailer.varint(storeText ? 1 : 0);
    for (const d of docs.length > 0 ? [docs[0]!, docs[docs.length - 1]!] : []) {
      trailer.string(d.doc);
      trailer.varint(d.page === null ? 0 : d.page + 1);
    }
    trailer.u32(crc);
    trailer.varint(posTotal);
    trailer.u32(posCrc);
    trailer.u32(trailer.length + 4 + RUN_MAGIC.length);
    trailer.bytes(RUN_MAGIC);
    writeAll(fd, trailer.view());
  } finally {
    closeSync(fd);
    closeSync(posFd);
  }
}

/** Reads a run: its documents (a DocInput for mergeDocs) and its terms, in order. */
class RunReader implements DocInput {
  private readonly fd: number;
  private readonly posFd: number;
  private readonly posBytes: number;
  private readonly posCrc: number;
  readonly docCount: number;
  readonly termCount: number;
  private readonly termsOffset: number;
  private readonly storeText: boolean;
  private readonly first: StoredDoc | undefined;
  private readonly last: StoredDoc | undefined;
  private readonly termsEnd: number;
  private readonly fileCrc: number;

  constructor(readonly path: string) {
    this.fd = openSync(path, 'r');
    try {
      const size = fstatSync(this.fd).size;
      let tail = Buffer.alloc(Math.min(size, 4096));
      readSync(this.fd, tail, 0, tail.length, size - tail.length);
      if (tail.length < 12 || !tail.subarray(tail.length - RUN_MAGIC.length).equals(RUN_MAGIC)) throw new CorruptIndex(`${path}: not a run of this build`);
      const trailerLength = tail.readUInt32LE(tail.length - RUN_MAGIC.length - 4);
      if (trailerLength > size) throw new CorruptIndex(`${path}: run damaged`);
      if (trailerLength > tail.length) {
        // long document names in the first and last keys
        tail = Buffer.alloc(trailerLength);
        readSync(this.fd, tail, 0, trailerLength, size - trailerLength);
      }
      const r = new ByteReader(tail, tail.length - trailerLength);
      this.docCount = r.varint();
      this.termCount = r.varint();
      this.termsOffset = r.varint();
      this.storeText = r.varint() === 1;
      const key = (): StoredDoc => {
        const doc = r.string();
        const page = r.varint();
        return { doc, page: page === 0 ? null : page - 1, length: 0, fields: '' };
      };
      if (this.docCount > 0) {
        this.first = key();
        this.last = key();
      }
      this.fileCrc = r.u32();
      this.posBytes = r.varint();
      this.posCrc = r.u32();
      this.termsEnd = size - trailerLength;
      this.posFd = openSync(positionsPathOf(path), 'r');
    } catch (err) {
      closeSync(this.fd);
      throw err instanceof RangeError ? new CorruptIndex(`${path}: run damaged`) : err;
    }
  }

  firstDoc(): StoredDoc {
    return this.first!;
  }

  lastDoc(): StoredDoc {
    return this.last!;
  }

  *docs(): Generator<StoredDoc> {
    const file = new SequentialFile(this.fd, 0, 256 << 10);
    for (let i = 0; i < this.docCount; i++) {
      // a record longer than the look-ahead (a long stored page text) is read with a longer one
      for (let lookAhead = 64 << 10; ; lookAhead *= 2) {
        const r = file.reader(lookAhead);
        try {
          const d = this.readDoc(r);
          file.start = r.pos;
          yield d;
          break;
        } catch (err) {
          if (!(err instanceof RangeError) || r.end - file.start < lookAhead) throw err instanceof RangeError ? new CorruptIndex(`${this.path}: run damaged`) : err;
        }
      }
    }
  }

  private readDoc(r: ByteReader): StoredDoc {
    const doc = r.string();
    const page = r.varint();
    const length = r.varint();
    const fields = r.string();
    const text = this.storeText ? r.string() : undefined;
    return { doc, page: page === 0 ? null : page - 1, length, fields, text };
  }

  /** A cursor over the terms, in order, and the current term's postings. */
  terms(): RunTerms {
    return new RunTerms(this.fd, this.posFd, this.termsOffset, this.termsEnd, this.posBytes, this.termCount, this.path);
  }

  /** Checks the CRCs of the run's two files. */
  verify(): void {
    if (crc32OfFile(this.fd, this.termsEnd) !== this.fileCrc || crc32OfFile(this.posFd, this.posBytes) !== this.posCrc) {
      throw new CorruptIndex(`${this.path}: run checksum mismatch (the disk changed it)`);
    }
  }

  close(): void {
    closeSync(this.fd);
    closeSync(this.posFd);
  }
}

/** The terms of a run in order; for the current one, a cursor over its postings. */
class RunTerms {
  /** The current term's UTF-8 bytes as a latin1 string (compares as the bytes do). */
  term = '';
  df = 0;
  /** The term heads with their entries, read front to back. */
  private readonly entries: SequentialFile;
  private readonly positions: SequentialFile;
  private left: number;
  private nextAt: number;
  private nextPositionsAt = 0;
  // the current term's postings
  private entriesLeft = 0;
  private prev = -1;
  /** The current posting: run-local document id and tf (after nextPosting()). */
  doc = -1;
  tf = 0;

  constructor(
    fd: number,
    posFd: number,
    at: number,
    private readonly end: number,
    private readonly positionsEndAt: number,
    count: number,
    private readonly path: string,
  ) {
    this.entries = new SequentialFile(fd, at, 256 << 10);
    this.positions = new SequentialFile(posFd, 0, 256 << 10);
    this.left = count;
    this.nextAt = at;
  }

  /** Moves to the next term; false after the last. */
  next(): boolean {
    if (this.left === 0) return false;
    this.left--;
    const h = this.entries;
    h.seek(this.nextAt);
    const head = h.reader(10);
    const termLength = head.varint();
    const headLength = head.pos - h.start;
    const r = h.reader(headLength + termLength + 30);
    r.pos += headLength;
    try {
      this.term = latin1(r.buf, r.pos, r.pos + termLength);
      r.pos += termLength;
      this.df = r.varint();
      const entryBytes = r.varint();
      const posBytes = r.varint();
      const entriesAt = h.at + (r.pos - h.start);
      this.nextAt = entriesAt + entryBytes;
      if (this.nextAt > this.end || this.nextPositionsAt + posBytes > this.positionsEndAt) throw new RangeError('past the end');
      h.start = r.pos;
      this.positions.seek(this.nextPositionsAt);
      this.nextPositionsAt += posBytes;
    } catch (err) {
      throw err instanceof RangeError ? new CorruptIndex(`${this.path}: run damaged`) : err;
    }
    this.entriesLeft = this.df;
    this.prev = -1;
    return true;
  }

  /** Moves to the current term's next posting (doc, tf); false after the last. */
  nextPosting(): boolean {
    if (this.entriesLeft === 0) return false;
    this.entriesLeft--;
    const e = this.entries;
    e.ensure(20);
    const bytes = e.bytes;
    let at = e.start;
    let code = bytes[at++]!;
    if (code >= 0x80) {
      code = readVarint(bytes, at - 1);
      at = varintEnd;
    }
    this.doc = this.prev += code >>> 1; // run-local ids are far below 2^31
    if (code & 1) this.tf = 1;
    else {
      this.tf = readVarint(bytes, at);
      at = varintEnd;
    }
    e.start = at;
    return true;
  }

  /**
   * The current posting's positions: they are in the returned bytes from positionsAt; pass where
   * they end to positionsEnd().
   */
  positionBytes(): Uint8Array {
    const p = this.positions;
    p.ensure(5 * this.tf); // at most 5 bytes a delta
    return p.bytes;
  }

  get positionsAt(): number {
    return this.positions.start;
  }

  positionsEnd(at: number): void {
    this.positions.start = at;
  }

  /** Skips the current posting's positions. */
  skipPositions(): void {
    const bytes = this.positionBytes();
    let at = this.positionsAt;
    for (let n = this.tf; n > 0; n--) while (bytes[at++]! & 0x80);
    this.positionsEnd(at);
  }

  /**
   * Adds all the current term's postings to `writer`, their ids moved by `shift` (a run none of
   * whose pages is replaced): the common case, in one loop.
   */
  addShifted(writer: IndexWriter, shift: number): void {
    while (this.nextPosting()) this.addTo(writer, this.doc + shift);
  }

  /** Adds the current posting to `writer` as document `id`. */
  addTo(writer: IndexWriter, id: number): void {
    this.positionsEnd(writer.addPosting(id, this.tf, this.positionBytes(), this.positionsAt));
  }
}

/** Merges a build's runs (in the order written: a later run's page replaces an earlier one's) into `out`. */
export function mergeRuns(paths: string[], out: string, options: WriterOptions): Stats & { bytes: number } {
  const runs: RunReader[] = [];
  const writer = new IndexWriter(out, options);
  try {
    for (const p of paths) runs.push(new RunReader(p));
    for (const r of runs) r.verify();
    const { remaps } = mergeDocs(runs, writer, { replace: 'page' });
    // when each run's documents come after the previous run's (pages that arrived in key order),
    // a term's postings are its runs' one after the other; otherwise they interleave
    let sequential = true;
    let before = -1;
    for (const remap of remaps) {
      let lo = Infinity;
      let hi = -1;
      for (let i = 0; i < remap.length; i++) {
        const id = remap[i]!;
        if (id < 0) continue;
        if (id < lo) lo = id;
        if (id > hi) hi = id;
      }
      if (hi < 0) continue;
      if (lo <= before) sequential = false;
      before = hi;
    }
    // a run whose pages all stay, their ids moved by a constant (-1: not so)
    const shifts = remaps.map((remap) => {
      for (let i = 1; i < remap.length; i++) if (remap[i] !== remap[0]! + i) return -1;
      return remap.length === 0 ? 0 : remap[0]!;
    });
    const terms = runs.map((r) => r.terms());
    const done = terms.map((t) => !t.next());
    let active = terms.map((_, i) => i).filter((i) => !done[i]);
    const group: number[] = [];
    while (active.length > 0) {
      let term = terms[active[0]!]!.term;
      for (const i of active) if (terms[i]!.term < term) term = terms[i]!.term;
      group.length = 0;
      for (const i of active) if (terms[i]!.term === term) group.push(i);
      writer.startTerm();
      if (sequential || group.length === 1) {
        for (const i of group) {
          const t = terms[i]!;
          const remap = remaps[i]!;
          if (shifts[i]! >= 0) {
            t.addShifted(writer, shifts[i]!);
            continue;
          }
          while (t.nextPosting()) {
            const id = remap[t.doc]!;
            if (id < 0) t.skipPositions();
            else t.addTo(writer, id);
          }
        }
      } else {
        // interleaved runs: the smallest output id of the group next
        const live = group.filter((i) => advance(terms[i]!, remaps[i]!));
        while (live.length > 0) {
          let best = 0;
          for (let k = 1; k < live.length; k++) if (remaps[live[k]!]![terms[live[k]!]!.doc]! < remaps[live[best]!]![terms[live[best]!]!.doc]!) best = k;
          const i = live[best]!;
          const t = terms[i]!;
          t.addTo(writer, remaps[i]![t.doc]!);
          if (!advance(t, remaps[i]!)) live.splice(best, 1);
        }
      }
      writer.endTerm(Buffer.from(term, 'latin1'));
      let exhausted = false;
      for (const i of group) {
        if (terms[i]!.next()) continue;
        done[i] = true;
        exhausted = true;
      }
      if (exhausted) active = active.filter((i) => !done[i]);
    }
    return { ...writer.finish(), bytes: writer.bytesWritten };
  } catch (err) {
    writer.abort();
    throw err;
  } finally {
    for (const r of runs) r.close();
  }
}

/** Moves a run's term cursor to its next posting that is kept (skipping replaced pages); false at the end. */
function advance(t: RunTerms, remap: Int32Array): boolean {
  while (t.nextPosting()) {
    if (remap[t.doc]! >= 0) return true;
    t.skipPositions();
  }
  return false;
}
