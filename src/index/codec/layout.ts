// The on-disk layout of a ream index file, version 5 (docs/index-format.md is the prose version):
//
//   header    magic "REAMIDX\0", u32 version, u32 flags, analyzer id, stored field names, u32 CRC
//   docs      doc blocks of DOC_BLOCK documents (doc, page, stored fields, text), each + u32 CRC
//   docindex  f64 offset of every doc block, plus the end (random access to block i)
//   lengths   u32 token count per document (BM25's D), then a u32 CRC per LENGTH_CHUNK of them and
//             a u32 CRC of those CRCs: search reads and checks only the chunks it scores
//   terms     per term its postings (doc blocks with skip data, a u32 CRC per DOC_CHUNK of them when
//             there is more than one, then positions in bits); after every
//             TERM_BLOCK terms, the dictionary block describing them (+ u32 CRC)
//   termindex first term and offsets of every dictionary block: the sparse in-memory index
//   footer    section table (offset, length, CRC), statistics; then the 20-byte trailer:
//             u32 footer length, u32 footer CRC, u32 CRC of every byte before the trailer, "REAMEND\0"
import { ByteReader, ByteWriter } from './bytes.js';
import { crc32 } from './crc.js';

/**
 * 5: a doc part longer than DOC_CHUNK bytes carries a CRC per chunk, so that search reads only the
 * chunks it needs; 4: skip entries give where the positions of every POSITION_STEP-th document of a block start;
 * 3: positions as bits coded by tf and document length (2: a varint per position; 1 had a block's
 * max tf and min length only, not its impacts).
 */
export const FORMAT_VERSION = 5;
export const MAGIC = Buffer.from('REAMIDX\0', 'latin1');
export const END_MAGIC = Buffer.from('REAMEND\0', 'latin1');
export const TRAILER_BYTES = 20;
/** Documents per posting block (skip entry + block-max impact per block). */
export const POSTING_BLOCK = 128;
/**
 * A skip entry gives the bit where the positions of documents POSITION_STEP, 2·POSITION_STEP, …
 * of its block start: a phrase reading one page of a common word skips at most this many pieces.
 */
export const POSITION_STEP = 32;
/** Terms per dictionary block (what one term lookup reads). */
export const TERM_BLOCK = 64;
/** Documents per stored-document block. */
export const DOC_BLOCK = 32;
/** Document lengths per checksummed chunk of the lengths section (one 4 KiB page). */
export const LENGTH_CHUNK = 1024;

/**
 * Bytes of a doc part per checksummed chunk (one 4 KiB page). A doc part longer than this is followed
 * by a u32 CRC per chunk, and its dictionary CRC is that of those CRCs: search reads a common word's
 * skip table and the few blocks it scores (a fresh process pays ~20 µs for every page it reads into),
 * not the megabytes of a word on every page.
 */
export const DOC_CHUNK = 4096;

/**
 * Reads of a few chunks each, all over a part read as needed (a doc part, the lengths), after which
 * the next read brings every chunk still missing: a query whose words are all common scores pages
 * all over the index, and ~400 reads of a few KiB cost more than one of megabytes.
 */
export function scatteredReadLimit(chunks: number): number {
  return Math.max(8, chunks / 8);
}

/** How many chunk CRCs follow a doc part stored in `stored` bytes (0: one chunk, covered by the dictionary CRC). */
export function docPartChunks(stored: number): number {
  // every whole chunk takes DOC_CHUNK + 4 bytes, and the last one at most that
  return stored > DOC_CHUNK ? Math.ceil(stored / (DOC_CHUNK + 4)) : 0;
}

/** Bytes of a doc part stored in `stored` bytes, without its chunk CRCs. */
export function docPartData(stored: number): number {
  return stored - 4 * docPartChunks(stored);
}

/**
 * Checks a doc part's data against its chunk CRCs (`table`, already checked against the
 * dictionary), chunks first…last-1 of it; `data` holds the part from its start.
 */
export function docChunksMatch(data: Uint8Array, table: Uint8Array, first: number, last: number): boolean {
  const view = new DataView(table.buffer, table.byteOffset, table.byteLength);
  for (let c = first; c < last; c++) {
    const bytes = data.subarray(c * DOC_CHUNK, Math.min(data.length, (c + 1) * DOC_CHUNK));
    if (crc32(bytes) !== view.getUint32(4 * c, true)) return false;
  }
  return true;
}

/** Checks a doc part as stored (its data, then its chunk CRCs if any) against its dictionary CRC. */
export function docPartMatches(stored: Uint8Array, crc: number): boolean {
  const chunks = docPartChunks(stored.length);
  if (chunks === 0) return crc32(stored) === crc;
  const data = stored.length - 4 * chunks;
  const table = stored.subarray(data);
  return crc32(table) === crc && docChunksMatch(stored.subarray(0, data), table, 0, chunks);
}

export const FLAG_STORE_TEXT = 1;

/** A file that is not a ream index, or one that fails a check: never answered from. */
export class CorruptIndex extends Error {
  override name = 'CorruptIndex';
}

export interface Header {
  version: number;
  flags: number;
  analyzer: string;
  /** Names of the record fields stored in the document table (besides doc and page). */
  storedFields: string[];
}

export interface Section {
  offset: number;
  length: number;
  crc: number;
}

export const SECTION_NAMES = ['header', 'docs', 'docindex', 'lengths', 'terms', 'termindex'] as const;
export type SectionName = (typeof SECTION_NAMES)[number];

export interface Stats {
  /** Live documents (pages). */
  docCount: number;
  /** Sum of the documents' token counts. */
  totalTokens: number;
  termCount: number;
  /** Sum of document frequencies. */
  postingCount: number;
  termBlockCount: number;
  docBlockCount: number;
}

export interface Footer {
  sections: Record<SectionName, Section>;
  stats: Stats;
}

export function encodeHeader(h: Header): Uint8Array {
  const w = new ByteWriter(256);
  w.bytes(MAGIC);
  w.u32(h.version);
  w.u32(h.flags);
  w.string(h.analyzer);
  w.varint(h.storedFields.length);
  for (const f of h.storedFields) w.string(f);
  w.u32(crc32(w.view()));
  return w.view().slice();
}

/** Reads a header from the first bytes of a file (`bytes` may hold more than the header). */
export function decodeHeader(bytes: Uint8Array): { header: Header; length: number } {
  if (bytes.length < MAGIC.length || !MAGIC.equals(bytes.subarray(0, MAGIC.length))) throw new CorruptIndex('not a ream index');
  const r = new ByteReader(bytes, MAGIC.length);
  const version = r.u32();
  if (version > FORMAT_VERSION) throw new CorruptIndex(`index format version ${version} is newer than this ream reads (${FORMAT_VERSION}); upgrade ream`);
  if (version < 1) throw new CorruptIndex(`unknown index format version ${version}`);
  if (version < FORMAT_VERSION) throw new CorruptIndex(`index format version ${version} is older than this ream reads (${FORMAT_VERSION}); rebuild it with ream index`);
  const flags = r.u32();
  const analyzer = r.string();
  const n = r.varint();
  if (n > 10_000) throw new CorruptIndex('header is damaged');
  const storedFields: string[] = [];
  for (let i = 0; i < n; i++) storedFields.push(r.string());
  const crcAt = r.pos;
  const crc = r.u32();
  if (crc32(bytes.subarray(0, crcAt)) !== crc) throw new CorruptIndex('header checksum mismatch');
  return { header: { version, flags, analyzer, storedFields }, length: r.pos };
}

export function encodeFooter(f: Footer): Uint8Array {
  const w = new ByteWriter(256);
  for (const name of SECTION_NAMES) {
    const s = f.sections[name];
    w.varint(s.offset);
    w.varint(s.length);
    w.u32(s.crc);
  }
  const st = f.stats;
  w.varint(st.docCount);
  w.varint(st.totalTokens);
  w.varint(st.termCount);
  w.varint(st.postingCount);
  w.varint(st.termBlockCount);
  w.varint(st.docBlockCount);
  return w.view().slice();
}

export function decodeFooter(body: Uint8Array): Footer {
  const r = new ByteReader(body);
  const sections = {} as Record<SectionName, Section>;
  for (const name of SECTION_NAMES) sections[name] = { offset: r.varint(), length: r.varint(), crc: r.u32() };
  const stats: Stats = {
    docCount: r.varint(),
    totalTokens: r.varint(),
    termCount: r.varint(),
    postingCount: r.varint(),
    termBlockCount: r.varint(),
    docBlockCount: r.varint(),
  };
  return { sections, stats };
}

/** The trailer: footer length, footer CRC, whole-file CRC, end magic. */
export function encodeTrailer(footerLength: number, footerCrc: number, fileCrc: number): Uint8Array {
  const w = new ByteWriter(TRAILER_BYTES);
  w.u32(footerLength);
  w.u32(footerCrc);
  w.u32(fileCrc);
  w.bytes(END_MAGIC);
  return w.view().slice();
}

export function decodeTrailer(bytes: Uint8Array): { footerLength: number; footerCrc: number; fileCrc: number } {
  if (bytes.length !== TRAILER_BYTES || !END_MAGIC.equals(bytes.subarray(12))) throw new CorruptIndex('truncated or damaged (no end marker)');
  const r = new ByteReader(bytes);
  return { footerLength: r.u32(), footerCrc: r.u32(), fileCrc: r.u32() };
}
