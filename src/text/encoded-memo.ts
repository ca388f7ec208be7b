// Byte strings → their tokens as JSON bytes, for the byte path (byte-tokenizer.ts): an open-addressing
// table over one byte pool, so that a hit costs a hash, a compare and a copy and makes no string.
// A lookup touches one slot and the entry's bytes in the pool, and the table grows with its entries,
// so a small input's memo stays in the CPU's caches. When full, it
// keeps the entries used since the last eviction (word frequencies are Zipfian: the common words)
// rather than starting over.

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** Numbers per slot: the key's hash, and where its entry starts in the pool + 1 (0: a free slot). */
const FIELDS = 2;
/**
 * An entry in the pool: a 4-byte header (key length | USED, token count, value length as 2 bytes),
 * the key's folded bytes, the value. The header sits next to the key, so a lookup touches one slot
 * and the entry's own bytes: two cache lines, which matters once the memo outgrows the CPU's caches.
 */
const HEADER = 4;
/** Set in an entry's key-length byte when it was found since the last eviction. */
const USED = 0x80;
/** Keys are at most this long (7 bits of the header). */
export const MAX_KEY_BYTES = 127;
/** Values longer than this, or of more than MAX_COUNT tokens, are not kept (add() returns -1). */
const MAX_VALUE_BYTES = 0xffff;
const MAX_COUNT = 0xff;

const INITIAL_SLOTS = 1 << 12;
/** Entries held at most by default: the slots then grow to 2^18 (2 MB), half of them free. */
const DEFAULT_MAX_ENTRIES = 1 << 17;
/** The pool is evicted rather than grown past this. */
const MAX_POOL_BYTES = 64 << 20;

/** FNV-1a of buf[s, e) through `fold`: the hash the byte path takes as it scans a key. */
export function hashKey(fold: Uint8Array, buf: Uint8Array, s: number, e: number): number {
  let h = FNV_OFFSET;
  for (let k = s; k < e; k++) h = Math.imul(h ^ fold[buf[k]!]!, FNV_PRIME);
  return h;
}

export { FNV_OFFSET, FNV_PRIME };

/**
 * Keys are compared through `fold` (A–Z as a–z for words, unchanged for spans). An entry is its
 * offset in `pool`: its value is pool[valueStart(e), valueStart(e) + valueLength(e)).
 */
export class EncodedMemo {
  private slots: Int32Array;
  pool: Uint8Array;
  private mask: number;
  private entries = 0;
  private used = 0;
  private lastHash = 0;
  private readonly maxEntries: number;
  private readonly maxPoolBytes: number;
  /** Evictions so far (for tests and benchmarks). */
  evictions = 0;

  constructor(
    private readonly fold: Uint8Array,
    opts: { maxEntries?: number; maxPoolBytes?: number } = {},
  ) {
    this.maxEntries = opts.maxEntries ?? DEFAULT_MAX_ENTRIES;
    this.maxPoolBytes = opts.maxPoolBytes ?? MAX_POOL_BYTES;
    const slots = Math.min(INITIAL_SLOTS, slotsFor(this.maxEntries));
    this.slots = new Int32Array(FIELDS * slots);
    this.mask = slots - 1;
    this.pool = new Uint8Array(Math.min(1 << 16, Math.max(256, this.maxPoolBytes)));
  }

  get size(): number {
    return this.entries;
  }

  /** The entry of the key buf[s, e), or -1. */
  find(buf: Uint8Array, s: number, e: number): number {
    return this.findHashed(buf, s, e, hashKey(this.fold, buf, s, e));
  }

  /** find() given the key's FNV-1a hash over its folded bytes (hashKey). */
  findHashed(buf: Uint8Array, s: number, e: number, h: number): number {
    const fold = this.fold;
    const slots = this.slots;
    const mask = this.mask;
    const pool = this.pool;
    const length = e - s;
    this.lastHash = h;
    for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      const entry = slots[FIELDS * slot + 1]! - 1;
      if (entry < 0) return -1;
      if (slots[FIELDS * slot] !== h || (pool[entry]! & ~USED) !== length) continue;
      let at = entry + HEADER;
      let k = s;
      while (k < e && pool[at] === fold[buf[k]!]) {
        at++;
        k++;
      }
      if (k === e) {
        pool[entry] = length | USED;
        return entry;
      }
    }
  }

  valueStart(entry: number): number {
    return entry + HEADER + (this.pool[entry]! & ~USED);
  }

  valueLength(entry: number): number {
    return this.pool[entry + 2]! | (this.pool[entry + 3]! << 8);
  }

  tokenCount(entry: number): number {
    return this.pool[entry + 1]!;
  }

  /**
   * Adds the key buf[s, e) (at least 1 byte) with its value value[0, valueLength) of `count` tokens;
   * call right after findHashed() of the same key missed. Returns its entry, or -1 when the key or
   * the value is too long to keep.
   */
  add(buf: Uint8Array, s: number, e: number, value: Uint8Array, valueLength: number, count: number): number {
    const length = e - s;
    if (length > MAX_KEY_BYTES || valueLength > MAX_VALUE_BYTES || count > MAX_COUNT) return -1;
    const bytes = HEADER + length + valueLength;
    if (this.entries >= this.maxEntries || (this.used + bytes > this.pool.length && this.used + bytes > this.maxPoolBytes)) this.evict();
    if (2 * (this.entries + 1) > this.mask + 1) this.rehash(2 * (this.mask + 1));
    if (this.used + bytes > this.pool.length) this.growPool(this.used + bytes);
    const entry = this.used;
    const pool = this.pool;
    const fold = this.fold;
    pool[entry] = length;
    pool[entry + 1] = count;
    pool[entry + 2] = valueLength & 0xff;
    pool[entry + 3] = valueLength >> 8;
    let at = entry + HEADER;
    for (let k = s; k < e; k++) pool[at++] = fold[buf[k]!]!;
    pool.set(valueLength === value.length ? value : value.subarray(0, valueLength), at);
    this.used = at + valueLength;
    this.entries++;
    this.place(this.lastHash, entry);
    return entry;
  }

  /** Appends the value of `entry` to out[at...] (room made by the caller); returns the index after it. */
  copyValue(entry: number, out: Uint8Array, at: number): number {
    const pool = this.pool;
    for (let k = this.valueStart(entry), stop = k + this.valueLength(entry); k < stop; k++) out[at++] = pool[k]!;
    return at;
  }

  private place(h: number, entry: number): void {
    const slots = this.slots;
    const mask = this.mask;
    let slot = h & mask;
    while (slots[FIELDS * slot + 1] !== 0) slot = (slot + 1) & mask;
    slots[FIELDS * slot] = h;
    slots[FIELDS * slot + 1] = entry + 1;
  }

  private rehash(count: number): void {
    const old = this.slots;
    this.slots = new Int32Array(FIELDS * count);
    this.mask = count - 1;
    for (let f = 0; f < old.length; f += FIELDS) if (old[f + 1] !== 0) this.place(old[f]!, old[f + 1]! - 1);
  }

  private growPool(needed: number): void {
    const grown = new Uint8Array(Math.max(needed, Math.min(this.pool.length * 2, this.maxPoolBytes)));
    grown.set(this.pool.subarray(0, this.used));
    this.pool = grown;
  }

  /**
   * Full: keeps the entries found since the last eviction (at most half the capacity, and no more
   * than half the pool), their bytes moved to a fresh pool, and drops the rest.
   */
  private evict(): void {
    this.evictions++;
    const old = this.slots;
    const oldPool = this.pool;
    const keepEntries = this.maxEntries >> 1;
    const keepBytes = this.maxPoolBytes >> 1;
    this.slots = new Int32Array(old.length);
    this.pool = new Uint8Array(Math.min(oldPool.length, Math.max(1 << 16, 2 * Math.min(this.used, keepBytes))));
    this.entries = 0;
    this.used = 0;
    for (let f = 0; f < old.length && this.entries < keepEntries; f += FIELDS) {
      const start = old[f + 1]! - 1;
      if (start < 0 || (oldPool[start]! & USED) === 0) continue;
      const bytes = HEADER + (oldPool[start]! & ~USED) + (oldPool[start + 2]! | (oldPool[start + 3]! << 8));
      if (this.used + bytes > keepBytes) break;
      if (this.used + bytes > this.pool.length) this.growPool(this.used + bytes);
      this.pool.set(oldPool.subarray(start, start + bytes), this.used);
      this.pool[this.used] &= ~USED;
      this.place(old[f]!, this.used);
      this.used += bytes;
      this.entries++;
    }
  }
}

function slotsFor(entries: number): number {
  let n = 1;
  while (n < 2 * entries) n *= 2;
  return n;
}
