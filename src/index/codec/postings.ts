// One term's postings: a skip table (per block of POSTING_BLOCK documents: last doc id, sizes, and
// the block's impacts: the (tf, length) pairs no other document of the block beats on both, so
// that the block's best BM25 score is known exactly without decoding it), the doc blocks (doc id
// deltas with the tf folded into the low bit when it is 1, as Lucene does), then the positions
// kept apart so term and AND queries never read them: one bit stream per term, each document's
// piece coded from its tf and its length (see putPositions), padded to a byte at the term's end.
import { ByteRanges, readVarint, varintEnd } from './bytes.js';
import { CorruptIndex, POSITION_STEP, POSTING_BLOCK } from './layout.js';

/**
 * A term's postings in memory (a build's), in doc id order; positions[posStarts[i]..posStarts[i+1])
 * are doc i's position deltas as varints (the first from 0), coded into bits as they are written.
 */
export interface PostingList {
  count: number;
  docs: ArrayLike<number>;
  tfs: ArrayLike<number>;
  positions: Uint8Array;
  /** count + 1 offsets into positions. */
  posStarts: ArrayLike<number>;
}

/**
 * Finds where positions end: the bit after the pieces of documents first…n-1 (tfs[k], lengths
 * lens[k]), the first of which starts at bit `from` of the term's positions; they must end by bit `to`.
 */
export interface PositionScanner {
  scanPositions(from: number, to: number, tfs: Int32Array, lens: Int32Array, first: number, n: number): number;
}

// Positions, in bits. A document's piece depends on its tf and length L (both known from the doc
// part and the lengths section before the positions are read), so no width or count is stored for
// the common cases:
// - tf <= SMALL_TF (most postings: 86% have tf 1): each position p, after the previous one q (0 for
//   the first), is p - q in truncated binary over the L - q + 1 values 0…L - q (about log2(L - q)
//   bits: 9 for a 400-word page, where a varint takes 2 bytes). The value L - q is an escape for a
//   position at or past L (chunks can place tokens past the page's count): a 5-bit width w, then
//   p - q in w bits.
// - larger tf: a 5-bit width w, then the tf deltas (the first from 0) in w bits each (common words'
//   gaps need 4-6 bits, not a byte).
// Bits are packed least significant first; values are at most 31 bits.
export const SMALL_TF = 3;

/** Bits needed for v (0 for 0). */
export function bitWidth(v: number): number {
  return 32 - Math.clz32(v);
}

/** Appends values of up to 31 bits to a growing byte buffer, least significant bit first. */
export class BitWriter {
  buf = new Uint8Array(1 << 16);
  bytes = 0;
  private acc = 0;
  private n = 0;

  reset(): void {
    this.bytes = 0;
    this.acc = 0;
    this.n = 0;
  }

  get bits(): number {
    return this.bytes * 8 + this.n;
  }

  put(v: number, w: number): void {
    if (w > 24) {
      this.put(v & 0xffff, 16);
      v = v >>> 16;
      w -= 16;
    }
    if (this.bytes + 8 > this.buf.length) this.buf = grown(this.buf, this.bytes + 8);
    let acc = this.acc | (v << this.n);
    let n = this.n + w;
    while (n >= 8) {
      this.buf[this.bytes++] = acc & 0xff;
      acc >>>= 8;
      n -= 8;
    }
    this.acc = acc;
    this.n = n;
  }

  /**
   * Writes one document's positions pos[0…tf) (ascending) for a document of `length` tokens, as
   * putPositions() does; the usual cases (values of at most 24 bits) with the bits kept in locals.
   */
  positions(pos: Int32Array, tf: number, length: number): void {
    if (this.bytes + 4 * tf + 16 > this.buf.length) this.buf = grown(this.buf, this.bytes + 4 * tf + 16);
    const buf = this.buf;
    let acc = this.acc;
    let n = this.n;
    let bytes = this.bytes;
    if (tf <= SMALL_TF) {
      if (pos[tf - 1]! >= length || length >= 1 << 24) return putPositions(this, pos, tf, length);
      let prev = 0;
      for (let k = 0; k < tf; k++) {
        const p = pos[k]!;
        const range = length - prev + 1;
        const w = 31 - Math.clz32(range);
        const u = (2 << w) - range;
        let v = p - prev;
        let bits = w;
        if (v >= u) {
          // the high w bits of v + u, then its low bit: as one (w + 1)-bit value, least significant first
          v += u;
          v = (v >>> 1) | ((v & 1) << w);
          bits = w + 1;
        }
        acc |= v << n;
        n += bits;
        while (n >= 8) {
          buf[bytes++] = acc & 0xff;
          acc >>>= 8;
          n -= 8;
        }
        prev = p;
      }
    } else {
      let or = 0;
      let prev = 0;
      for (let k = 0; k < tf; k++) {
        or |= pos[k]! - prev;
        prev = pos[k]!;
      }
      const b = bitWidth(or);
      if (b > 24) return putPositions(this, pos, tf, length);
      acc |= b << n;
      n += 5;
      prev = 0;
      for (let k = 0; k < tf; k++) {
        if (n >= 8) {
          buf[bytes++] = acc & 0xff;
          acc >>>= 8;
          n -= 8;
        }
        acc |= (pos[k]! - prev) << n;
        n += b;
        while (n >= 8) {
          buf[bytes++] = acc & 0xff;
          acc >>>= 8;
          n -= 8;
        }
        prev = pos[k]!;
      }
    }
    this.acc = acc;
    this.n = n;
    this.bytes = bytes;
  }

  /** Writes the last partial byte (zero-padded); bits stays as it was. */
  finish(): void {
    if (this.n > 0) {
      if (this.bytes + 1 > this.buf.length) this.buf = grown(this.buf, this.bytes + 1);
      this.buf[this.bytes] = this.acc & 0xff;
    }
  }

  /** Bytes holding bits (after finish()). */
  get byteLength(): number {
    return this.bytes + (this.n > 0 ? 1 : 0);
  }
}

/** The w (at most 31) bits at bit `bit` of buf; past the end of buf they read as 0 (callers check bounds). */
export function readBits(buf: Uint8Array, bit: number, w: number, view?: DataView): number {
  // integer shifts while bit offsets fit 31 bits (parts under 256 MB)
  const i = bit < 0x80000000 ? bit >>> 3 : Math.floor(bit / 8);
  const s = bit & 7;
  // with a view of buf (viewOf), one unaligned read instead of four byte reads
  if (view !== undefined && s + w <= 32 && i + 4 <= buf.length) return (view.getUint32(i, true) >>> s) & (0x7fffffff >>> (31 - w));
  let v = (buf[i]! | (buf[i + 1]! << 8) | (buf[i + 2]! << 16) | (buf[i + 3]! << 24)) >>> s;
  if (s + w > 32) v |= buf[i + 4]! << (32 - s);
  return v & (0x7fffffff >>> (31 - w));
}

/** Where the value read by the last bit-level read ended. */
export let bitEnd = 0;

function putTruncated(w: BitWriter, v: number, n: number): void {
  const k = 31 - Math.clz32(n);
  const u = 2 ** (k + 1) - n;
  if (v < u) w.put(v, k);
  else {
    // the high k bits first, so that a reader knows from them whether one more follows
    const x = v + u;
    w.put(Math.floor(x / 2), k);
    w.put(x & 1, 1);
  }
}

function readTruncated(buf: Uint8Array, bit: number, n: number, view?: DataView): number {
  const k = 31 - Math.clz32(n);
  const u = (k < 30 ? 2 << k : 2 ** (k + 1)) - n;
  if (k < 24) {
    // the k bits and the one that may follow, in one read
    const h = readBits(buf, bit, k + 1, view);
    const high = h & ((1 << k) - 1);
    if (high < u) {
      bitEnd = bit + k;
      return high;
    }
    bitEnd = bit + k + 1;
    return high * 2 + (h >>> k) - u;
  }
  const h = readBits(buf, bit, k);
  if (h < u) {
    bitEnd = bit + k;
    return h;
  }
  bitEnd = bit + k + 1;
  return h * 2 + readBits(buf, bit + k, 1) - u;
}

/** Writes one document's positions pos[0…tf) (ascending) for a document of `length` tokens. */
export function putPositions(w: BitWriter, pos: Int32Array, tf: number, length: number): void {
  if (tf <= SMALL_TF) {
    let prev = 0;
    for (let k = 0; k < tf; k++) {
      const p = pos[k]!;
      const n = (length > prev ? length - prev : 0) + 1;
      if (p < length) putTruncated(w, p - prev, n);
      else {
        putTruncated(w, n - 1, n);
        const b = bitWidth(p - prev);
        w.put(b, 5);
        w.put(p - prev, b);
      }
      prev = p;
    }
    return;
  }
  let or = 0;
  let prev = 0;
  for (let k = 0; k < tf; k++) {
    or |= pos[k]! - prev;
    prev = pos[k]!;
  }
  const b = bitWidth(or);
  w.put(b, 5);
  prev = 0;
  for (let k = 0; k < tf; k++) {
    w.put(pos[k]! - prev, b);
    prev = pos[k]!;
  }
}

/**
 * Decodes one document's positions at bit `bit` into out[0…tf); returns the bit after them. The
 * format's reference decoder (the tests'); phrase queries read positions in WebAssembly
 * (wasm/phrase.ts), as merge skips them (skipPositions).
 */
export function decodePositions(buf: Uint8Array, bit: number, tf: number, length: number, out: Int32Array, view?: DataView): number {
  let pos = 0;
  if (tf <= SMALL_TF) {
    for (let k = 0; k < tf; k++) {
      const n = (length > pos ? length - pos : 0) + 1;
      const v = readTruncated(buf, bit, n, view);
      bit = bitEnd;
      if (v === n - 1) {
        const b = readBits(buf, bit, 5);
        pos += readBits(buf, bit + 5, b);
        bit += 5 + b;
      } else pos += v;
      out[k] = pos;
    }
    return bit;
  }
  const b = readBits(buf, bit, 5, view);
  bit += 5;
  for (let k = 0; k < tf; k++, bit += b) {
    pos += readBits(buf, bit, b, view);
    out[k] = pos;
  }
  return bit;
}

/** The DataView readBits() reads a positions buffer through. */
export function viewOf(buf: Uint8Array): DataView {
  return new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
}

/** The bit after one document's positions at bit `bit` (reads only what it must). */
export function skipPositions(buf: Uint8Array, bit: number, tf: number, length: number, view?: DataView): number {
  if (tf > SMALL_TF) return bit + 5 + tf * readBits(buf, bit, 5, view);
  let pos = 0;
  for (let k = 0; k < tf; k++) {
    const n = (length > pos ? length - pos : 0) + 1;
    const v = readTruncated(buf, bit, n, view);
    bit = bitEnd;
    if (v === n - 1) {
      const b = readBits(buf, bit, 5);
      pos += readBits(buf, bit + 5, b);
      bit += 5 + b;
    } else pos += v;
  }
  return bit;
}

/** The bit after a one-position piece at `at` of a document of `length` (below 2^24) tokens. */
export function skipOne(buf: Uint8Array, at: number, length: number, view?: DataView): number {
  // truncated binary over length + 1 values (length itself: an escape)
  const n = length + 1;
  const w = 31 - Math.clz32(n);
  const u = (2 << w) - n;
  const h = readBits(buf, at, w + 1, view);
  const high = h & ((1 << w) - 1);
  const value = high < u ? high : high * 2 + (h >>> w) - u;
  if (value === length) return skipPositions(buf, at, 1, length);
  return at + (high < u ? w : w + 1);
}

/** The bit after the pieces of documents first…n-1 (tfs, lens) from bit `at`, which must end by bit `end`. */
export function skipPieces(buf: Uint8Array, at: number, end: number, tfs: Int32Array, lens: Int32Array, first: number, n: number): number {
  for (let k = first; k < n; k++) {
    const length = lens[k]!;
    if (tfs[k] === 1 && length < 1 << 24) at = skipOne(buf, at, length);
    else at = skipPositions(buf, at, tfs[k]!, length);
  }
  if (at > end) throw new CorruptIndex('positions damaged');
  return at;
}

/**
 * Encodes one doc part (skip table + blocks) posting by posting, into buffers reused from term to
 * term: begin(), add() per document in id order, finish(), then pieces() for the writer.
 */
export class DocPartEncoder {
  // The skip table is written after a 5-byte gap that finish() fills, right-aligned, with the block count.
  private skip = new Uint8Array(1024);
  private skipLength = SKIP_GAP;
  private skipStart = SKIP_GAP;
  private data = new Uint8Array(64 * 1024);
  private dataLength = 0;
  private inBlock = 0;
  private blocks = 0;
  private prev = -1;
  private blockPrevLast = -1;
  private blockDataStart = 0;
  private blockPosBits = 0;
  // the docs since the current input block began (addShifted), to find where their positions end
  private inputTfs = new Int32Array(POSTING_BLOCK);
  private inputLens = new Int32Array(POSTING_BLOCK);
  // the block's impacts so far, by tf ascending (and so by length ascending): Lucene's competitive impacts
  private impactTf = new Int32Array(POSTING_BLOCK);
  private impactLen = new Int32Array(POSTING_BLOCK);
  private impacts = 0;
  // where the positions of the block's documents POSITION_STEP, 2·POSITION_STEP, … start (bits from the block's)
  private steps = new Float64Array(POSTING_BLOCK / POSITION_STEP);
  private stepCount = 0;

  begin(): void {
    this.skipLength = SKIP_GAP;
    this.dataLength = 0;
    this.inBlock = 0;
    this.blocks = 0;
    this.prev = -1;
    this.blockPrevLast = -1;
    this.blockDataStart = 0;
    this.blockPosBits = 0;
    this.impacts = 0;
    this.stepCount = 0;
  }

  /** The next document: its id, tf, the bit length of its positions and its token count. */
  add(doc: number, tf: number, posBits: number, length: number): void {
    if (this.inBlock > 0 && (this.inBlock & STEP_MASK) === 0) this.steps[this.stepCount++] = this.blockPosBits;
    this.putDoc(doc, tf);
    this.blockPosBits += posBits;
    this.addImpact(tf, length);
    if (++this.inBlock === POSTING_BLOCK) this.endBlock();
  }

  /** Writes a document's delta from the previous one (with its tf) to the block data. */
  private putDoc(doc: number, tf: number): void {
    if (this.dataLength + 20 > this.data.length) this.data = grown(this.data, this.dataLength + 20);
    const delta = doc - this.prev;
    const code = tf === 1 ? delta * 2 + 1 : delta * 2;
    const data = this.data;
    let at = this.dataLength;
    if (code < 0x80) data[at++] = code;
    else if (code < 0x4000) {
      data[at++] = (code & 0x7f) | 0x80;
      data[at++] = code >>> 7;
    } else at = putVarint(data, at, code);
    if (tf !== 1) {
      if (tf < 0x80) data[at++] = tf;
      else at = putVarint(data, at, tf);
    }
    this.dataLength = at;
    this.prev = doc;
  }

  /** Keeps (tf, length) if no document of the block so far has a tf as high and a length as short. */
  private addImpact(tf: number, length: number): void {
    const tfs = this.impactTf;
    const lens = this.impactLen;
    const n = this.impacts;
    // the first pair with a tf as high: the shortest of those (lengths rise with tfs)
    let i = 0;
    while (i < n && tfs[i]! < tf) i++;
    if (i < n && lens[i]! <= length) return;
    // pairs the new one beats: lower tfs that are no shorter (a run just before i), and an equal tf
    let j = i;
    while (j > 0 && lens[j - 1]! >= length) j--;
    const end = i < n && tfs[i] === tf ? i + 1 : i;
    const removed = end - j;
    if (removed !== 1) {
      tfs.copyWithin(j + 1, end, n);
      lens.copyWithin(j + 1, end, n);
    }
    tfs[j] = tf;
    lens[j] = length;
    this.impacts = n + 1 - removed;
  }

  private endBlock(): void {
    const n = this.impacts;
    if (this.skipLength + 40 + 10 * n > this.skip.length) this.skip = grown(this.skip, this.skipLength + 40 + 10 * n);
    const s = this.skip;
    let at = this.skipLength;
    at = putVarint(s, at, this.prev - this.blockPrevLast);
    at = putVarint(s, at, this.dataLength - this.blockDataStart);
    at = putVarint(s, at, this.blockPosBits);
    // the step starts, each from the one before
    at = putVarint(s, at, this.stepCount);
    for (let k = 0, prev = 0; k < this.stepCount; k++) {
      at = putVarint(s, at, this.steps[k]! - prev);
      prev = this.steps[k]!;
    }
    at = putVarint(s, at, n);
    // tfs and lengths both rise: each pair as deltas from the one before
    let tf = 0;
    let len = 0;
    for (let k = 0; k < n; k++) {
      at = putVarint(s, at, this.impactTf[k]! - tf);
      at = putVarint(s, at, this.impactLen[k]! - len);
      tf = this.impactTf[k]!;
      len = this.impactLen[k]!;
    }
    this.skipLength = at;
    this.blocks++;
    this.inBlock = 0;
    this.blockPrevLast = this.prev;
    this.blockDataStart = this.dataLength;
    this.blockPosBits = 0;
    this.impacts = 0;
    this.stepCount = 0;
  }

  /**
   * Adds every document of an encoded doc part with its ids moved by `shift` (merge: an input none
   * of whose documents is dropped, placed as one run). Doc deltas inside the run do not change, so
   * their bytes are copied a block at a time; only the first is encoded anew. `part[dataAt…dataEnd)`
   * are the blocks, `posBits` the bit length of the positions; ids must stay below `docLimit`.
   * `blockPositions[b]` is the bit where the input's block b starts in its positions (from its skip
   * table, see blocksStart): `positions` scans them only from there to where an output block ends.
   * Returns the number of documents; their tfs' sum is left in `runCf`.
   */
  addShifted(part: Uint8Array, dataAt: number, dataEnd: number, posBits: number, positions: PositionScanner, blockPositions: ArrayLike<number>, stepPositions: ArrayLike<number>, shift: number, docLimit: number, lengths: ArrayLike<number>): number {
    let at = dataAt;
    // positions bits of this run already counted in output blocks, and docs since the input block began
    let counted = 0;
    let inInputBlock = 0;
    const inputTfs = this.inputTfs;
    const inputLens = this.inputLens;
    this.scanBlock = -1;
    let prevIn = -1;
    let count = 0;
    let cf = 0;
    let copyFrom = -1;
    let { inBlock, blockPosBits } = this;
    let doc = this.prev;
    while (at < dataEnd) {
      let code = part[at]!;
      let delta: number;
      if (code < 0x80) {
        at++;
        delta = code >> 1;
      } else {
        code = readVarint(part, at);
        at = varintEnd;
        // ids stay below 2^31, so code below 2^32: an integer shift
        delta = code >>> 1;
      }
      let tf = 1;
      if ((code & 1) === 0) {
        tf = part[at]!;
        if (tf < 0x80) at++;
        else {
          tf = readVarint(part, at);
          at = varintEnd;
        }
      }
      prevIn += delta;
      if (prevIn >= docLimit) throw new CorruptIndex('postings damaged');
      doc = prevIn + shift;
      if (copyFrom < 0) {
        // the run's first document: its delta is from the output's previous document
        this.putDoc(doc, tf);
        copyFrom = at;
      }
      if (inBlock > 0 && (inBlock & STEP_MASK) === 0) {
        // a step of the output block: where this document's positions start
        const start = this.inputDocStart(positions, blockPositions, stepPositions, count >>> BLOCK_SHIFT, inInputBlock);
        this.steps[this.stepCount++] = blockPosBits + start - counted;
      }
      const length = lengths[doc]!;
      inputTfs[inInputBlock] = tf;
      inputLens[inInputBlock++] = length;
      this.addImpact(tf, length);
      cf += tf;
      count++;
      const inputBlockEnds = (count & BLOCK_MASK) === 0;
      if (++inBlock === POSTING_BLOCK) {
        // where this document's positions end: the input block's end, or where the next one starts
        const inputBlock = (count - 1) >>> BLOCK_SHIFT;
        const after = inputBlockEnds ? blockPositions[inputBlock + 1]! : this.inputDocStart(positions, blockPositions, stepPositions, inputBlock, inInputBlock);
        blockPosBits += after - counted;
        counted = after;
        this.copyData(part, copyFrom, at);
        copyFrom = at;
        this.prev = doc;
        this.blockPosBits = blockPosBits;
        this.inBlock = inBlock;
        this.endBlock(); // resets the block's figures
        inBlock = 0;
        blockPosBits = 0;
      }
      if (inputBlockEnds) inInputBlock = 0;
    }
    this.prev = doc;
    if (at !== dataEnd || blockPositions[(count + POSTING_BLOCK - 1 - ((count + POSTING_BLOCK - 1) % POSTING_BLOCK)) / POSTING_BLOCK] !== posBits) {
      throw new CorruptIndex('postings damaged');
    }
    if (copyFrom >= 0) this.copyData(part, copyFrom, at);
    blockPosBits += posBits - counted;
    this.blockPosBits = blockPosBits;
    this.inBlock = inBlock;
    this.runCf = cf;
    return count;
  }

  // addShifted()'s scan of an input block's positions: document `scanned` of block `scanBlock` starts at bit `scanAt`
  private scanBlock = -1;
  private scanned = 0;
  private scanAt = 0;

  /**
   * The bit where document k of input block b starts, for addShifted(): scanned from the input's
   * step before it (or from the scan so far, or the block's start), so at most POSITION_STEP - 1
   * pieces; an output block aligned with the input's needs no scan at all.
   */
  private inputDocStart(positions: PositionScanner, blockPositions: ArrayLike<number>, stepPositions: ArrayLike<number>, b: number, k: number): number {
    if (this.scanBlock !== b || this.scanned > k) {
      this.scanBlock = b;
      this.scanned = 0;
      this.scanAt = blockPositions[b]!;
    }
    const step = k >>> STEP_SHIFT;
    if (step > 0 && step << STEP_SHIFT > this.scanned && stepPositions[b * STEPS + step - 1]! >= 0) {
      this.scanned = step << STEP_SHIFT;
      this.scanAt = stepPositions[b * STEPS + step - 1]!;
    }
    if (k > this.scanned) {
      this.scanAt = positions.scanPositions(this.scanAt, blockPositions[b + 1]!, this.inputTfs, this.inputLens, this.scanned, k);
      this.scanned = k;
    }
    return this.scanAt;
  }

  /** The sum of tfs of the last addShifted() run. */
  runCf = 0;

  private copyData(part: Uint8Array, from: number, to: number): void {
    if (this.dataLength + (to - from) > this.data.length) this.data = grown(this.data, this.dataLength + (to - from));
    copyBytes(part, this.data, this.dataLength, from, to);
    this.dataLength += to - from;
  }

  finish(): void {
    if (this.inBlock > 0) this.endBlock();
    let n = 1;
    for (let v = this.blocks; v >= 0x80; v = Math.floor(v / 128)) n++;
    if (n > SKIP_GAP) throw new RangeError('too many posting blocks');
    this.skipStart = SKIP_GAP - n;
    putVarint(this.skip, this.skipStart, this.blocks);
  }

  /** The encoded doc part, as two ranges (skip table, blocks). */
  pieces(out: ByteRanges): void {
    out.push(this.skip, this.skipStart, this.skipLength);
    out.push(this.data, 0, this.dataLength);
  }
}

const SKIP_GAP = 5;

/**
 * Copies from[start…end) to to[at…]. Buffer's copy takes any Uint8Array and makes no subarray object
 * per call; short runs (most terms are rare) are cheaper still as a loop than as a native call.
 */
export function copyBytes(from: Uint8Array, to: Uint8Array, at: number, start: number, end: number): void {
  if (end - start <= 32) {
    for (let i = start; i < end; i++) to[at++] = from[i]!;
  } else Buffer.prototype.copy.call(from, to, at, start, end);
}

/** Writes v as a LEB128 varint at buf[at…]; returns the position after it (buf must have room). */
export function putVarint(buf: Uint8Array, at: number, v: number): number {
  while (v >= 0x80) {
    buf[at++] = (v & 0x7f) | 0x80;
    v = Math.floor(v / 128);
  }
  buf[at++] = v;
  return at;
}

function grown(buf: Uint8Array, need: number): Uint8Array<ArrayBuffer> {
  const next = new Uint8Array(Math.max(need, buf.length * 2));
  next.set(buf);
  return next;
}

/** The position after `count` varints of a doc part's skip table from buf[at] (which must end before `end`). */
export function skipPastVarints(buf: Uint8Array, at: number, end: number, count: number): number {
  for (; count > 0; at++) {
    if (at >= end) throw new CorruptIndex('postings damaged');
    if (buf[at]! < 0x80) count--;
  }
  return at;
}

/**
 * Where the blocks of the doc part at part[at…end) start (after its skip table). With `positions`,
 * also the bit where each block's positions start (blocks + 1 entries, the last the positions' bits),
 * and with `steps` where its step documents' start (SkipTable.stepStart's layout).
 */
export function blocksStart(part: Uint8Array, at: number, end: number, positions?: Float64Array, steps?: Float64Array): number {
  const blocks = readVarint(part, at);
  at = varintEnd;
  if (blocks > end - at || (positions && positions.length <= blocks)) throw new CorruptIndex('postings damaged');
  let dataBytes = 0;
  let posBits = 0;
  for (let k = 0; k < blocks && at < end; k++) {
    if (positions) positions[k] = posBits;
    // last doc delta, data bytes, positions bits, steps, impact count, then two varints per impact
    readVarint(part, at);
    dataBytes += readVarint(part, varintEnd);
    const bits = readVarint(part, varintEnd);
    const stepCount = readVarint(part, varintEnd);
    if (stepCount > STEPS) throw new CorruptIndex('postings damaged');
    let after = varintEnd;
    if (steps) {
      for (let j = 0, step = 0; j < STEPS; j++) {
        if (j < stepCount) {
          step += readVarint(part, varintEnd);
          if (step > bits) throw new CorruptIndex('postings damaged');
        }
        steps[k * STEPS + j] = j < stepCount ? posBits + step : -1;
      }
      after = varintEnd;
    } else after = skipPastVarints(part, after, end, stepCount);
    posBits += bits;
    const impacts = readVarint(part, after);
    at = varintEnd;
    if (impacts > POSTING_BLOCK) throw new CorruptIndex('postings damaged');
    at = skipPastVarints(part, at, end, 2 * impacts);
  }
  if (positions) positions[blocks] = posBits;
  if (at + dataBytes !== end) throw new CorruptIndex('postings damaged');
  return at;
}

/** The skip table of a doc part as a cursor needs it (impacts are left encoded until a search asks: blockImpacts). */
export interface SkipTable {
  blocks: number;
  lastDoc: Float64Array;
  /** Byte offset of each block's data in the doc part (blocks + 1 entries). */
  dataStart: Float64Array;
  /** Byte offset of each block's impact count in the doc part. */
  impactsAt: Float64Array;
}

/** A skip table with where each block's positions start, for phrase matching. */
export interface PositionedSkipTable extends SkipTable {
  /** Bit offset of each block's positions in the positions part (blocks + 1 entries). */
  posStart: Float64Array;
  /**
   * Bit offset in the positions part of the pieces of documents POSITION_STEP·s of each block b, at
   * [b·STEPS + s - 1] (-1 where a block has fewer documents).
   */
  stepStart: Float64Array;
}

/** Step offsets per skip entry at most. */
export const POSITION_STEPS = POSTING_BLOCK / POSITION_STEP - 1;
const STEPS = POSITION_STEPS;
const STEP_SHIFT = 31 - Math.clz32(POSITION_STEP);
// both powers of two: per-document arithmetic by masks and shifts
const STEP_MASK = POSITION_STEP - 1;
const BLOCK_MASK = POSTING_BLOCK - 1;
const BLOCK_SHIFT = 31 - Math.clz32(POSTING_BLOCK);

// Decoded skip tables of the doc parts an index reader keeps: a common word's has thousands of
// entries, decoded again by every query otherwise. Weak: a part dropped from the cache takes its table.
const skipTables = new WeakMap<Uint8Array, SkipTable>();

/** Makes bytes [start, end) of a doc part readable, for a part read as needed (codec/doc-part.ts). */
export interface PartLoader {
  ensure(start: number, end: number): void;
}

// A skip entry takes at most 7 + 3 + 2·POSTING_BLOCK varints of up to 5 bytes; a part read as
// needed is asked for its skip table SKIP_READ bytes at a time.
const SKIP_ENTRY_MAX = 5 * (10 + 2 * POSTING_BLOCK);
const SKIP_READ = 16 << 10;

/** The skip table of a doc part, decoded once per part buffer. */
export function skipTableOf(part: Uint8Array, loader?: PartLoader): SkipTable {
  let t = skipTables.get(part);
  if (!t) skipTables.set(part, (t = decodeSkipTable(part, loader)));
  return t;
}

/**
 * Decodes a skip table for a cursor (reading it in through `loader` when the part is read as
 * needed); the positions' offsets are passed over: a common word's thousands of entries are decoded
 * by every fresh process that searches it.
 */
export function decodeSkipTable(part: Uint8Array, loader?: PartLoader): SkipTable {
  return decodeEntries(part, loader, false);
}

/** Decodes a skip table with where each block's positions start (phrase matching). */
export function decodePositionedSkipTable(part: Uint8Array): PositionedSkipTable {
  return decodeEntries(part, undefined, true) as PositionedSkipTable;
}

function decodeEntries(part: Uint8Array, loader: PartLoader | undefined, positioned: boolean): SkipTable | PositionedSkipTable {
  let ready = part.length;
  if (loader) loader.ensure(0, (ready = Math.min(part.length, SKIP_READ)));
  const blocks = readVarint(part, 0);
  let at = varintEnd;
  if (blocks > part.length) throw new CorruptIndex('postings damaged');
  const lastDoc = new Float64Array(blocks);
  const dataStart = new Float64Array(blocks + 1);
  const impactsAt = new Float64Array(blocks);
  const posStart = positioned ? new Float64Array(blocks + 1) : undefined;
  const stepStart = positioned ? new Float64Array(blocks * STEPS).fill(-1) : undefined;
  let last = -1;
  let dataLen = 0;
  let posLen = 0;
  for (let b = 0; b < blocks; b++) {
    if (at + SKIP_ENTRY_MAX > ready && ready < part.length) loader!.ensure(at, (ready = Math.min(part.length, at + SKIP_READ)));
    last += readVarint(part, at);
    lastDoc[b] = last;
    dataStart[b] = dataLen;
    dataLen += readVarint(part, varintEnd);
    const bits = readVarint(part, varintEnd);
    const steps = readVarint(part, varintEnd);
    if (steps > STEPS) throw new CorruptIndex('postings damaged');
    let after: number;
    if (posStart && stepStart) {
      posStart[b] = posLen;
      for (let k = 0, step = 0; k < steps; k++) {
        step += readVarint(part, varintEnd);
        if (step > bits) throw new CorruptIndex('postings damaged');
        stepStart[b * STEPS + k] = posLen + step;
      }
      after = varintEnd;
    } else after = skipPastVarints(part, varintEnd, part.length, steps);
    posLen += bits;
    impactsAt[b] = after;
    const n = readVarint(part, after);
    if (n > POSTING_BLOCK) throw new CorruptIndex('postings damaged');
    at = skipPastVarints(part, varintEnd, part.length, 2 * n);
  }
  for (let b = 0; b <= blocks; b++) dataStart[b]! += at;
  dataStart[blocks] = at + dataLen;
  if (at + dataLen !== part.length || last !== last) throw new CorruptIndex('postings damaged');
  if (!posStart || !stepStart) return { blocks, lastDoc, dataStart, impactsAt };
  posStart[blocks] = posLen;
  return { blocks, lastDoc, dataStart, impactsAt, posStart, stepStart };
}

/**
 * Calls fn(tf, length) for each impact of block b: the block's (tf, document length) pairs that no
 * other document of the block beats on both (higher tf, shorter), by tf ascending.
 */
export function blockImpacts(part: Uint8Array, t: SkipTable, b: number, fn: (tf: number, length: number) => void): void {
  const n = readVarint(part, t.impactsAt[b]!);
  let tf = 0;
  let len = 0;
  for (let k = 0; k < n; k++) {
    tf += readVarint(part, varintEnd);
    len += readVarint(part, varintEnd);
    fn(tf, len);
  }
}

/** Decodes block b of a doc part into docs/tfs (returns the number of documents). */
export function decodeBlock(part: Uint8Array, t: SkipTable, b: number, docs: Int32Array | Float64Array, tfs: Int32Array | Float64Array): number {
  let at = t.dataStart[b]!;
  const end = t.dataStart[b + 1]!;
  // `| 0`: an integer V8 keeps unboxed; a double from the Float64Array made every `prev +=` below
  // allocate in a fresh process's cold code (ids are below 2^31)
  let prev = (b === 0 ? -1 : t.lastDoc[b - 1]!) | 0;
  let n = 0;
  while (at < end) {
    if (n === POSTING_BLOCK) throw new CorruptIndex('postings damaged');
    // doc delta·2 + (tf = 1), then tf unless 1: one byte each almost always
    let code = part[at]!;
    if (code < 0x80) at++;
    else {
      code = readVarint(part, at);
      at = varintEnd;
    }
    prev += (code - (code & 1)) / 2;
    docs[n] = prev;
    if (code & 1) tfs[n] = 1;
    else if (part[at]! < 0x80) tfs[n] = part[at++]!;
    else {
      tfs[n] = readVarint(part, at);
      at = varintEnd;
    }
    n++;
  }
  if (at !== end || prev !== t.lastDoc[b]) throw new CorruptIndex('postings damaged');
  return n;
}

/** The first index in [lo, hi) whose value is >= target (hi if none): a's values ascend. */
export function lowerBound(a: ArrayLike<number>, target: number, lo: number, hi: number): number {
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid]! < target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * A cursor's document before its first: below every id, and not a small integer, so that V8 gives
 * the field a double representation from the start. From -1 (a small integer) it changed when a
 * cursor reached Infinity, mid-query, and V8 threw away the code it was optimizing for the
 * query's loops ("maps became deprecated"; 25 ms of compiling lost in a fresh process).
 */
export const BEFORE_FIRST = -(2 ** 52);

/** Iterates a posting list doc by doc, skipping whole blocks on advance(). */
export class PostingsCursor {
  readonly table: SkipTable;
  block = -1;
  private docsBuf = new Float64Array(POSTING_BLOCK);
  private tfsBuf = new Int32Array(POSTING_BLOCK);
  private n = 0;
  private i = 0;
  /** Current doc id, or Infinity when exhausted. */
  doc = BEFORE_FIRST;
  tf = 0;

  constructor(
    readonly part: Uint8Array,
    /** For a part read as needed: each block is read in before it is decoded. */
    private readonly loader?: PartLoader,
  ) {
    this.table = skipTableOf(part, loader);
  }

  get count(): number {
    return this.table.blocks;
  }

  private load(b: number): void {
    this.loader?.ensure(this.table.dataStart[b]!, this.table.dataStart[b + 1]!);
    this.block = b;
    this.n = decodeBlock(this.part, this.table, b, this.docsBuf, this.tfsBuf);
    this.i = 0;
  }

  /**
   * Decodes block b and stands on its first document; its documents and tfs are then blockDocs and
   * blockTfs [0, returned count). For a caller that walks a whole block in one loop: a document at
   * a time through next() costs several calls each, slow in the cold code of a fresh process.
   */
  loadBlock(b: number): number {
    this.load(b);
    this.doc = this.docsBuf[0]!;
    this.tf = this.tfsBuf[0]!;
    return this.n;
  }

  get blockDocs(): Float64Array {
    return this.docsBuf;
  }

  get blockTfs(): Int32Array {
    return this.tfsBuf;
  }

  /** Moves to the next document; returns its id (Infinity at the end). */
  next(): number {
    if (this.block >= 0 && this.i + 1 < this.n) {
      this.i++;
    } else {
      if (this.block + 1 >= this.table.blocks) return (this.doc = Infinity);
      this.load(this.block + 1);
    }
    this.doc = this.docsBuf[this.i]!;
    this.tf = this.tfsBuf[this.i]!;
    return this.doc;
  }

  /** The block that would hold `target` (without decoding it), or -1 past the end. */
  blockFor(target: number): number {
    const last = this.table.lastDoc;
    const blocks = this.table.blocks;
    let b = this.block < 0 ? 0 : this.block;
    // the next few blocks in turn (the usual short step), then a binary search of the rest
    for (const stop = Math.min(blocks, b + 4); b < stop; b++) if (last[b]! >= target) return b;
    b = lowerBound(last, target, b, blocks);
    return b < blocks ? b : -1;
  }

  /** Moves to the first document >= target; returns it (Infinity at the end). */
  advance(target: number): number {
    if (this.doc >= target) return this.doc;
    if (this.block < 0 || this.table.lastDoc[this.block]! < target) {
      const b = this.blockFor(target);
      if (b < 0) {
        this.block = this.table.blocks;
        return (this.doc = Infinity);
      }
      this.load(b);
    }
    while (this.docsBuf[this.i]! < target) this.i++;
    this.doc = this.docsBuf[this.i]!;
    this.tf = this.tfsBuf[this.i]!;
    return this.doc;
  }

  /** Moves to the first document >= target in the whole list, backward too; returns it (Infinity at the end). */
  seek(target: number): number {
    const t = this.table;
    if (this.block >= 0) {
      // the document before the current one: when it is below target, moving forward finds the answer
      const before =
        this.doc === Infinity ? (t.blocks === 0 ? -1 : t.lastDoc[t.blocks - 1]!) : this.i > 0 ? this.docsBuf[this.i - 1]! : this.block === 0 ? -1 : t.lastDoc[this.block - 1]!;
      if (before < target) return this.advance(target);
    }
    const lo = lowerBound(t.lastDoc, target, 0, t.blocks);
    if (lo >= t.blocks) {
      this.block = t.blocks;
      return (this.doc = Infinity);
    }
    this.load(lo);
    while (this.docsBuf[this.i]! < target) this.i++;
    this.doc = this.docsBuf[this.i]!;
    this.tf = this.tfsBuf[this.i]!;
    return this.doc;
  }
}

