// AssemblyScript, compiled to WebAssembly at build time (scripts/wasm.mjs): the pages where a
// phrase occurs, and how often, read from its terms' postings. src/index/phrase-matcher.ts drives it;
// the format it reads is src/index/codec/postings.ts's (docs/index-format.md), and every check that
// file makes on the way is made here too, so damaged postings are refused, never answered from.
//
// Why WebAssembly: a phrase of two common words ("a t") decodes tens of millions of positions on a
// large index, and the per-page bookkeeping around them (cursor steps, where a page's positions
// start, the bitmap of phrase starts) cost several times the decoding itself as JavaScript.
//
// The algorithm is the one the JavaScript had: doc-at-a-time intersection led by the rarest word;
// on a page with them all, the word with the fewest positions marks where the phrase would start
// in a bitmap, the others test their positions against it (branch-free, unlike a merge of sorted
// lists), the last only counting. A phrase of one word twice needs no bitmap: it occurs once per
// gap of 1 between the word's positions (countAdjacent).
//
// Memory: JavaScript reads each term's doc part and positions part, the decoded skip table (four
// f64 arrays, as src/index/codec/postings.ts's SkipTable holds them) and the index's document
// lengths (u32 per page) into memory it takes with alloc(), each region followed by PADDING bytes,
// so that a read of 8 bytes at any byte of a region stays in memory whatever its contents.

/** Bytes after every region a read may touch. */
export const PADDING: i32 = 64;
const POSTING_BLOCK: i32 = 128;
const POSITION_STEP: i32 = 32;
const STEPS: i32 = POSTING_BLOCK / POSITION_STEP - 1;
const STEP_SHIFT: i32 = 5;
const SMALL_TF: i32 = 3;
/** Words of a phrase at most (the caller refuses longer ones). */
export const MAX_TERMS: i32 = 4096;
const DONE: i32 = i32.MAX_VALUE;

/** What match() returns for damaged data (as a count of matches it would be negative). */
export const POSTINGS_DAMAGED: i32 = -1;
export const POSITIONS_DAMAGED: i32 = -2;

// A check failed: match() unwinds by returning as soon as it sees this set.
let damaged: i32 = 0;

// ---- memory JavaScript fills -------------------------------------------------------------------

/** `bytes` bytes of memory for JavaScript (the memory may grow): their address. */
export function alloc(bytes: usize): usize {
  return heap.alloc(bytes);
}

export function free(ptr: usize): void {
  heap.free(ptr);
}

/** The index's document lengths (u32 each) and their count. */
let lengths: usize = 0;
let lengthsCount: i32 = 0;

/** Where the document lengths are (memory from alloc(), PADDING bytes longer than count u32s). */
export function setLengths(ptr: usize, count: i32): void {
  lengths = ptr;
  lengthsCount = count;
}

@inline function lengthOf(doc: i32): u32 {
  return load<u32>(lengths + (<usize>doc << 2));
}

// ---- bits -----------------------------------------------------------------------------------------

/** The w (at most 31) bits at bit `bit` of the bytes at base, least significant first. */
@inline function bits(base: usize, bit: u64, w: u32): u32 {
  return <u32>(load<u64>(base + <usize>(bit >> 3)) >> (bit & 7)) & ((<u32>1 << w) - 1);
}

/** Where the value read by the last readTruncated() ended. */
let bitEnd: u64 = 0;

/** A value in truncated binary over n (at least 1) values at bit `bit` (postings.ts's putTruncated). */
@inline function readTruncated(base: usize, bit: u64, n: u64): u64 {
  const k = <u32>(63 - clz(n));
  const u: u64 = (<u64>2 << k) - n;
  if (k < 24) {
    // the k bits and the one that may follow, in one read
    const h = bits(base, bit, k + 1);
    const high = <u64>(h & ((<u32>1 << k) - 1));
    if (high < u) {
      bitEnd = bit + k;
      return high;
    }
    bitEnd = bit + k + 1;
    return high * 2 + <u64>(h >> k) - u;
  }
  const h = <u64>bits(base, bit, k);
  if (h < u) {
    bitEnd = bit + k;
    return h;
  }
  bitEnd = bit + k + 1;
  return h * 2 + <u64>bits(base, bit + k, 1) - u;
}

/** Decodes one document's tf (at most SMALL_TF) positions at `bit` into out; returns the bit after them. */
function decodeSmall(base: usize, bit: u64, tf: i32, length: u64, out: usize): u64 {
  let pos: u64 = 0;
  for (let k = 0; k < tf; k++) {
    const n = (length > pos ? length - pos : 0) + 1;
    const v = readTruncated(base, bit, n);
    bit = bitEnd;
    if (v == n - 1) {
      // an escape: a position at or past the length, as a 5-bit width and the gap in that width
      const b = bits(base, bit, 5);
      pos += <u64>bits(base, bit + 5, b);
      bit += 5 + <u64>b;
    } else pos += v;
    // positions are 31-bit values: past them, the piece is damaged
    if (pos > <u64>i32.MAX_VALUE) damaged = POSITIONS_DAMAGED;
    store<i32>(out + (<usize>k << 2), <i32>pos);
  }
  return bit;
}

/** Where skipPositions() decodes the positions it passes. */
const SKIPPED = memory.data(SMALL_TF * 4);

/** The bit after one document's positions at `bit` (reads only what it must). */
function skipPositions(base: usize, bit: u64, tf: i32, length: u64): u64 {
  if (tf > SMALL_TF) return bit + 5 + <u64>tf * <u64>bits(base, bit, 5);
  return decodeSmall(base, bit, tf, length, SKIPPED);
}

/** The bit after a one-position piece at `at` of a document of `length` (below 2^24) tokens. */
@inline function skipOne(base: usize, at: u64, length: u32): u64 {
  const n = length + 1;
  const w = <u32>(31 - clz(n));
  const u = (<u32>2 << w) - n;
  const h = bits(base, at, w + 1);
  const high = h & ((<u32>1 << w) - 1);
  const value = high < u ? high : high * 2 + (h >> w) - u;
  if (value == length) return skipPositions(base, at, 1, length);
  return at + <u64>(high < u ? w : w + 1);
}

// ---- position marks -------------------------------------------------------------------------------

/**
 * A bitmap of places in one document (phrase starts), 32 to a word, reused from document to
 * document; only the words between the first and last mark are ever non-zero.
 */
class Marks {
  words: usize = 0;
  capacity: i32 = 0;
  first: i32 = -1;
  last: i32 = -1;

  /** Room for places up to `top`; call only while empty. */
  reserve(top: i32): usize {
    const need = (top >>> 5) + 1;
    if (need > this.capacity) {
      const capacity = max(need, min(this.capacity * 2, 1 << 20));
      const words = heap.alloc(<usize>capacity << 2);
      memory.fill(words, 0, <usize>capacity << 2);
      if (this.words != 0) heap.free(this.words);
      this.words = words;
      this.capacity = capacity;
    }
    return this.words;
  }

  clear(): void {
    if (this.last < 0) return;
    const end = this.words + (<usize>(this.last >>> 5) << 2);
    for (let w = this.words + (<usize>(this.first >>> 5) << 2); w <= end; w += 4) store<u32>(w, 0);
    this.first = this.last = -1;
  }

  /** Makes these marks (empty) a copy of `from`'s. */
  copyOf(from: Marks): void {
    if (from.last < 0) return;
    const words = this.reserve(from.last);
    const at = <usize>(from.first >>> 5) << 2;
    memory.copy(words + at, from.words + at, (<usize>(from.last >>> 5) << 2) - at + 4);
    this.first = from.first;
    this.last = from.last;
  }
}

/**
 * How many places s marked in `from` have s + d marked in `origin` (d > 0): a word repeated in a
 * phrase, d places after the word that marked the starts, whose positions are the same ones; with
 * `to` (empty), marks those s there too. A bitmap and shifted, 32 places at a time.
 */
function countShifted(from: Marks, origin: Marks, d: i32, to: Marks | null): i32 {
  if (from.last < 0 || origin.last < 0) return 0;
  const q = d >>> 5;
  const r = <u32>(d & 31);
  const top = origin.last >>> 5;
  const into = to !== null ? to.reserve(from.last) : 0;
  let n = 0;
  let first = -1;
  let last = -1;
  for (let w = from.first >>> 5, end = from.last >>> 5; w <= end; w++) {
    const a = w + q;
    let shifted: u32 = a <= top ? load<u32>(origin.words + (<usize>a << 2)) >>> r : 0;
    if (r != 0 && a + 1 <= top) shifted |= load<u32>(origin.words + (<usize>(a + 1) << 2)) << (32 - r);
    const bits = load<u32>(from.words + (<usize>w << 2)) & shifted;
    if (bits == 0) continue;
    n += <i32>popcnt(bits);
    if (into != 0) {
      store<u32>(into + (<usize>w << 2), bits);
      if (first < 0) first = (w << 5) + <i32>ctz(bits);
      last = (w << 5) + 31 - <i32>clz(bits);
    }
  }
  if (first >= 0) {
    to!.first = first;
    to!.last = last;
  }
  return n;
}

@inline function isMarked(words: usize, x: i32): u32 {
  return (load<u32>(words + (<usize>(x >>> 5) << 2)) >>> x) & 1;
}

/** The value of at most 25 bits (mask) at bit `at` of the bytes at base: one 32-bit read. */
@inline function narrowValue(base: usize, at: u32, mask: u32): u32 {
  return (load<u32>(base + <usize>(at >>> 3)) >>> (at & 7)) & mask;
}

/**
 * Value k of a piece of fixed-width values of b bits whose first bit is bit `first` (0…7) of the
 * byte at base: one 32-bit read while the value fits in it (b up to 25), else a 64-bit one.
 */
@inline function fixedValue(base: usize, first: u32, k: u32, b: u32, mask: u32): u32 {
  const at = first + k * b;
  if (b <= 25) return narrowValue(base, at, mask);
  return <u32>(load<u64>(base + <usize>(at >>> 3)) >> <u64>(at & 7)) & mask;
}

// ---- cursors ---------------------------------------------------------------------------------------

/** Reads the varint at `at` (bytes), leaving the address after it in varintEnd. */
let varintEnd: usize = 0;
@inline function readVarint(at: usize): u64 {
  let value: u64 = 0;
  for (let shift: u64 = 0; shift < 64; shift += 7) {
    const byte = <u64>load<u8>(at++);
    value |= (byte & 0x7f) << shift;
    if (byte < 0x80) break;
  }
  varintEnd = at;
  return value;
}

/** One word of the phrase: its postings, doc by doc (postings.ts's PostingsCursor). */
class Cursor {
  // the doc part and the positions part (bit count), and the skip table's f64 arrays
  part: usize = 0;
  positions: usize = 0;
  positionBits: u64 = 0;
  blocks: i32 = 0;
  lastDoc: usize = 0;
  dataStart: usize = 0;
  posStart: usize = 0;
  stepStart: usize = 0;

  // the block decoded (docs and tfs: i32 each), and the document at i
  docs: usize = heap.alloc(<usize>POSTING_BLOCK << 2);
  tfs: usize = heap.alloc(<usize>POSTING_BLOCK << 2);
  block: i32 = -1;
  n: i32 = 0;
  i: i32 = 0;
  doc: i32 = -1;
  tf: i32 = 0;

  // where the positions of document posDoc of the block start (moved forward only)
  posDoc: i32 = 0;
  posAt: u64 = 0;
  // the current document's piece after openPiece(): fixed-width deltas of pieceWidth bits from
  // pieceAt, or (pieceWidth -1) positions decoded into scratch
  pieceAt: u64 = 0;
  pieceWidth: i32 = -1;
  scratch: usize = heap.alloc(<usize>SMALL_TF << 2);

  reset(part: usize, positions: usize, positionBits: u64, table: usize, blocks: i32): void {
    this.part = part;
    this.positions = positions;
    this.positionBits = positionBits;
    this.blocks = blocks;
    this.lastDoc = table;
    this.dataStart = table + (<usize>blocks << 3);
    this.posStart = this.dataStart + (<usize>(blocks + 1) << 3);
    this.stepStart = this.posStart + (<usize>(blocks + 1) << 3);
    this.block = -1;
    this.n = 0;
    this.i = 0;
    this.doc = -1;
    this.tf = 0;
  }

  @inline lastOf(b: i32): f64 {
    return load<f64>(this.lastDoc + (<usize>b << 3));
  }

  private load(b: i32): void {
    this.block = b;
    let at = this.part + <usize>load<f64>(this.dataStart + (<usize>b << 3));
    const end = this.part + <usize>load<f64>(this.dataStart + (<usize>(b + 1) << 3));
    let prev: i64 = b == 0 ? -1 : <i64>this.lastOf(b - 1);
    let n = 0;
    const docs = this.docs;
    const tfs = this.tfs;
    while (at < end) {
      if (n == POSTING_BLOCK) {
        damaged = POSTINGS_DAMAGED;
        return;
      }
      // doc delta·2 + (tf = 1), then tf unless 1
      let code = <u64>load<u8>(at);
      if (code < 0x80) at++;
      else {
        code = readVarint(at);
        at = varintEnd;
      }
      prev += <i64>(code >> 1);
      let tf: u64 = 1;
      if ((code & 1) == 0) {
        tf = <u64>load<u8>(at);
        if (tf < 0x80) at++;
        else {
          tf = readVarint(at);
          at = varintEnd;
        }
      }
      if (prev > <i64>i32.MAX_VALUE - 1 || tf > <u64>i32.MAX_VALUE) {
        damaged = POSTINGS_DAMAGED;
        return;
      }
      store<i32>(docs + (<usize>n << 2), <i32>prev);
      store<i32>(tfs + (<usize>n << 2), <i32>tf);
      n++;
    }
    if (at != end || <f64>prev != this.lastOf(b) || n == 0) {
      damaged = POSTINGS_DAMAGED;
      return;
    }
    // every document must have its length
    if (<i64>load<i32>(docs + (<usize>(n - 1) << 2)) >= <i64>lengthsCount) {
      damaged = POSTINGS_DAMAGED;
      return;
    }
    this.n = n;
    this.i = 0;
    this.posDoc = 0;
    this.posAt = <u64>load<f64>(this.posStart + (<usize>b << 3));
  }

  @inline private settle(): i32 {
    this.doc = load<i32>(this.docs + (<usize>this.i << 2));
    this.tf = load<i32>(this.tfs + (<usize>this.i << 2));
    return this.doc;
  }

  /** Moves to the next document; returns its id (DONE at the end). */
  @inline next(): i32 {
    if (this.block >= 0 && this.i + 1 < this.n) this.i++;
    else {
      if (this.block + 1 >= this.blocks) return (this.doc = DONE);
      this.load(this.block + 1);
      if (damaged != 0) return (this.doc = DONE);
    }
    return this.settle();
  }

  /** The block that would hold `target`, or -1 past the end. */
  private blockFor(target: i32): i32 {
    const blocks = this.blocks;
    const t = <f64>target;
    let b = this.block < 0 ? 0 : this.block;
    // the next few blocks in turn (the usual short step), then a binary search of the rest
    for (const stop = min(blocks, b + 4); b < stop; b++) if (this.lastOf(b) >= t) return b;
    let hi = blocks;
    while (b < hi) {
      const mid = (b + hi) >> 1;
      if (this.lastOf(mid) < t) b = mid + 1;
      else hi = mid;
    }
    return b < blocks ? b : -1;
  }

  /** Moves to the first document >= target; returns it (DONE at the end). */
  advance(target: i32): i32 {
    if (this.doc >= target) return this.doc;
    if (this.block < 0 || this.lastOf(this.block) < <f64>target) {
      const b = this.blockFor(target);
      if (b < 0) {
        this.block = this.blocks;
        return (this.doc = DONE);
      }
      this.load(b);
      if (damaged != 0) return (this.doc = DONE);
    }
    while (load<i32>(this.docs + (<usize>this.i << 2)) < target) this.i++;
    return this.settle();
  }

  /** Bit offset of the current document's positions within the term's positions part. */
  @inline private positionsOffset(): u64 {
    // the usual case: the last read ended at this document's positions
    if (this.posDoc == this.i) return this.posAt;
    // from the nearest step of the block when that is closer than where the last read ended
    const step = this.i >>> STEP_SHIFT;
    if (this.posDoc > this.i || (step > 0 && this.posDoc < step << STEP_SHIFT)) {
      const stepAt = step > 0 ? load<f64>(this.stepStart + (<usize>(this.block * STEPS + step - 1) << 3)) : -1;
      if (stepAt >= 0) {
        this.posDoc = step << STEP_SHIFT;
        this.posAt = <u64>stepAt;
      } else if (this.posDoc > this.i) {
        this.posDoc = 0;
        this.posAt = <u64>load<f64>(this.posStart + (<usize>this.block << 3));
      }
    }
    // skip the earlier documents' pieces: each one's size follows from its tf and length
    const p = this.positions;
    let at = this.posAt;
    for (let k = this.posDoc; k < this.i; k++) {
      const tf = load<i32>(this.tfs + (<usize>k << 2));
      const length = lengthOf(load<i32>(this.docs + (<usize>k << 2)));
      at = tf == 1 && length < 1 << 24 ? skipOne(p, at, length) : skipPositions(p, at, tf, length);
      // stop before a damaged piece sends reads past the part
      if (at > this.positionBits) {
        damaged = POSITIONS_DAMAGED;
        return 0;
      }
    }
    this.posAt = at;
    this.posDoc = this.i;
    return at;
  }

  /** Reads past the current document's positions, leaving them as pieceAt/pieceWidth or in scratch. */
  @inline private openPiece(): void {
    const p = this.positions;
    let at = this.positionsOffset();
    if (damaged != 0) return;
    const tf = this.tf;
    let end: u64;
    if (tf <= SMALL_TF) {
      this.pieceWidth = -1;
      end = decodeSmall(p, at, tf, lengthOf(this.doc), this.scratch);
    } else {
      // fixed-width deltas: the piece's end is known before decoding it
      const b = bits(p, at, 5);
      at += 5;
      end = at + <u64>tf * <u64>b;
      this.pieceAt = at;
      this.pieceWidth = b;
    }
    if (end > this.positionBits) damaged = POSITIONS_DAMAGED;
    // the next document's positions start here: no need to skip these again
    this.posDoc = this.i + 1;
    this.posAt = end;
  }

  /** The last position of the current fixed-width piece (tf times the widest gap bounds it; the exact value only when that bound is large). */
  private pieceTop(): i32 {
    const b = <u32>this.pieceWidth;
    const tf = this.tf;
    const bound = <u64>tf * <u64>((<u32>1 << b) - 1);
    if (bound < 1 << 24) return <i32>bound;
    let pos: u64 = 0;
    for (let k = 0, at = this.pieceAt; k < tf; k++, at += <u64>b) pos += <u64>bits(this.positions, at, b);
    // positions are 31-bit values: past them, the piece is damaged
    if (pos > <u64>i32.MAX_VALUE) damaged = POSITIONS_DAMAGED;
    return <i32>pos;
  }

  /**
   * How many of the current document's positions p have p + 1 among them too: the count of a
   * phrase of this word twice, read from the gaps (every gap of 1 is one).
   */
  countAdjacent(): i32 {
    this.openPiece();
    if (damaged != 0) return 0;
    const tf = this.tf;
    let n = 0;
    if (this.pieceWidth < 0) {
      const scratch = this.scratch;
      for (let k = 1; k < tf; k++) n += <i32>(load<i32>(scratch + (<usize>k << 2)) - load<i32>(scratch + (<usize>(k - 1) << 2)) == 1);
      return n;
    }
    // the checks markPositions makes on the way (positions past 31 bits)
    this.pieceTop();
    if (damaged != 0) return 0;
    const b = <u32>this.pieceWidth;
    const mask = (<u32>1 << b) - 1;
    const base = this.positions + <usize>(this.pieceAt >> 3);
    const bit = <u32>(this.pieceAt & 7);
    // the first value is the first position, not a gap
    for (let k: u32 = 1; k < <u32>tf; k++) n += <i32>(fixedValue(base, bit, k, b, mask) == 1);
    return n;
  }

  /**
   * Marks p - offset in `marks` (empty) for each position p >= offset of the current document: the
   * places a phrase would start if this term is its word number `offset`.
   */
  markPositions(marks: Marks, offset: i32): void {
    this.openPiece();
    if (damaged != 0) return;
    const tf = this.tf;
    // the places ascend: the bits of the current word gather in a register and the word is stored
    // whole each time (an or into memory per place would wait for the store of the place before);
    // the piece is fixed-width deltas, or up to SMALL_TF positions decoded into scratch
    const fixed = this.pieceWidth >= 0;
    const b = <u32>this.pieceWidth;
    const mask = (<u32>1 << b) - 1;
    const base = this.positions + <usize>(this.pieceAt >> 3);
    const bit = <u32>(this.pieceAt & 7);
    const scratch = this.scratch;
    const top = fixed ? this.pieceTop() : load<i32>(scratch + (<usize>(tf - 1) << 2));
    if (damaged != 0) return;
    const words = marks.reserve(max(0, top - offset));
    let first = -1;
    let x = 0;
    if (fixed && b <= 25) {
      // the usual piece, in one loop without the branches on its kind: the places before the
      // phrase could start (x < 0) first, then each place's bit
      let k = 0;
      let pos = 0;
      let at = bit;
      for (; k < tf; k++, at += b) {
        pos += <i32>narrowValue(base, at, mask);
        if (pos >= offset) break;
      }
      if (k == tf) return;
      x = pos - offset;
      first = x;
      let word = x >>> 5;
      let bitsOfWord: u32 = <u32>1 << x;
      store<u32>(words + (<usize>word << 2), bitsOfWord);
      for (k++, at += b; k < tf; k++, at += b) {
        pos += <i32>narrowValue(base, at, mask);
        x = pos - offset;
        const w = x >>> 5;
        bitsOfWord = (w == word ? bitsOfWord : 0) | (<u32>1 << x);
        store<u32>(words + (<usize>w << 2), bitsOfWord);
        word = w;
      }
      marks.first = first;
      marks.last = x;
      return;
    }
    let word = -1;
    let bitsOfWord: u32 = 0;
    for (let k = 0, pos = 0; k < tf; k++) {
      if (fixed) pos += <i32>fixedValue(base, bit, k, b, mask);
      else pos = load<i32>(scratch + (<usize>k << 2));
      x = pos - offset;
      if (x < 0) continue;
      if (first < 0) first = x;
      const w = x >>> 5;
      bitsOfWord = (w == word ? bitsOfWord : 0) | (<u32>1 << x);
      store<u32>(words + (<usize>w << 2), bitsOfWord);
      word = w;
    }
    if (first >= 0) {
      marks.first = first;
      marks.last = x;
    }
  }

  /**
   * How many of the current document's positions p have p - offset marked in `from` (this term
   * continues those phrase starts as its word number `offset`); with `to` (empty), marks them there
   * too. Decodes only until the last mark is passed.
   */
  countMarked(from: Marks, offset: i32, to: Marks | null): i32 {
    this.openPiece();
    if (damaged != 0) return 0;
    const top = from.last;
    if (top < 0) return 0;
    const words = from.words;
    const tf = this.tf;
    const fixed = this.pieceWidth >= 0;
    const b = <u32>this.pieceWidth;
    const mask = (<u32>1 << b) - 1;
    const base = this.positions + <usize>(this.pieceAt >> 3);
    const bit = <u32>(this.pieceAt & 7);
    const scratch = this.scratch;
    if (to === null) {
      // only counting: no branch on whether a place is marked
      let n: u32 = 0;
      if (fixed && b <= 25) {
        // the usual piece: one 32-bit read per place, none of fixedValue's branches
        let pos = 0;
        for (let k = 0, at = bit; k < tf; k++, at += b) {
          pos += <i32>narrowValue(base, at, mask);
          const x = pos - offset;
          if (x > top) break;
          if (x >= 0) n += isMarked(words, x);
        }
      } else if (fixed) {
        let pos = 0;
        for (let k = 0; k < tf; k++) {
          pos += <i32>fixedValue(base, bit, k, b, mask);
          const x = pos - offset;
          if (x > top) break;
          if (x >= 0) n += isMarked(words, x);
        }
      } else {
        for (let k = 0; k < tf; k++) {
          const x = load<i32>(scratch + (<usize>k << 2)) - offset;
          if (x > top) break;
          if (x >= 0) n += isMarked(words, x);
        }
      }
      return <i32>n;
    }
    const into = to.reserve(top);
    let first = -1;
    let last = -1;
    let n = 0;
    for (let k = 0, pos = 0; k < tf; k++) {
      if (fixed) pos += <i32>fixedValue(base, bit, k, b, mask);
      else pos = load<i32>(scratch + (<usize>k << 2));
      const x = pos - offset;
      if (x > top) break;
      if (x >= 0 && isMarked(words, x) != 0) {
        n++;
        if (first < 0) first = x;
        last = x;
        const at = into + (<usize>(x >>> 5) << 2);
        store<u32>(at, load<u32>(at) | (<u32>1 << x));
      }
    }
    if (first >= 0) {
      to.first = first;
      to.last = last;
    }
    return n;
  }
}

// ---- the phrase -------------------------------------------------------------------------------------

/** The cursor of each place of the phrase (made on first use, kept). */
const cursors = new StaticArray<Cursor | null>(MAX_TERMS);
@inline function cursor(place: i32): Cursor {
  return changetype<Cursor>(unchecked(cursors[place]));
}
/** Places of the phrase, rarest word first. */
const order = new StaticArray<i32>(MAX_TERMS);
let marks = new Marks();
let spare = new Marks();
/** The starts the fewest word marked, kept when the phrase repeats that word. */
const origin = new Marks();

/**
 * Word number `place` of the phrase: its doc part, positions part (`positionBits` bits) and skip
 * table (`blocks` entries) in memory reserved here; `rank`: its place in order of document frequency.
 */
export function setTerm(place: i32, rank: i32, part: usize, positions: usize, positionBits: f64, table: usize, blocks: i32): void {
  if (cursors[place] === null) cursors[place] = new Cursor();
  cursor(place).reset(part, positions, <u64>positionBits, table, blocks);
  unchecked((order[rank] = place));
}

/** How often the phrase of the `count` words set occurs in the page all their cursors are on. */
function countPhrase(count: i32): i32 {
  let fewest = 0;
  for (let k = 1; k < count; k++) if (cursor(k).tf < cursor(fewest).tf) fewest = k;
  // the phrase starts `fewest` places before this term
  const fewestPart = cursor(fewest).part;
  cursor(fewest).markPositions(marks, fewest);
  let n = marks.last >= 0 ? 1 : 0;
  // the same word later in the phrase ("the the"): its positions are those marked, not decoded
  // again (never earlier: the first of equal tfs is the fewest)
  for (let k = fewest + 1; k < count; k++) {
    if (cursor(k).part == fewestPart) {
      origin.copyOf(marks);
      break;
    }
  }
  let left = count - 1;
  for (let k = 0; k < count && n > 0; k++) {
    if (k == fewest) continue;
    // the last term only counts; the others carry the starts still possible to the next
    const into: Marks | null = --left == 0 ? null : spare;
    if (cursor(k).part == fewestPart) n = countShifted(marks, origin, k - fewest, into);
    else n = cursor(k).countMarked(marks, k, into);
    if (into !== null) {
      marks.clear();
      const swap = marks;
      marks = spare;
      spare = swap;
    }
  }
  marks.clear();
  origin.clear();
  return n;
}

/**
 * Finds the pages first…end-1 holding the phrase of the `count` words set: their ids into docs and
 * the times the phrase occurs into tfs (i32 each, room for `capacity`); returns how many, or
 * POSTINGS_DAMAGED / POSITIONS_DAMAGED.
 */
export function match(count: i32, docs: usize, tfs: usize, capacity: i32, first: i32, end: i32): i32 {
  damaged = 0;
  marks.clear();
  spare.clear();
  origin.clear();
  const lead = cursor(unchecked(order[0]));
  let found = 0;
  let target = lead.advance(first);
  while (target < end) {
    // every word on the page, or the lead moved to the next candidate
    let r = 0;
    for (; r < count; r++) {
      const c = cursor(unchecked(order[r]));
      // the lead is on the page already
      const d = c.doc == target ? target : c.advance(target);
      if (d != target) {
        target = d == DONE ? DONE : lead.advance(d);
        break;
      }
    }
    if (r < count) continue;
    // one word twice ("the the"): counted from its gaps, with no marks
    const n = count == 2 && cursor(0).part == cursor(1).part ? cursor(0).countAdjacent() : countPhrase(count);
    if (damaged != 0) return damaged;
    if (n > 0) {
      if (found == capacity) return POSTINGS_DAMAGED;
      store<i32>(docs + (<usize>found << 2), target);
      store<i32>(tfs + (<usize>found << 2), n);
      found++;
    }
    target = lead.next();
  }
  return damaged != 0 ? damaged : found;
}
