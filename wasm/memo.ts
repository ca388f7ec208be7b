// The memos of the byte tokenizer (wasm/byte-tokenizer.ts): byte strings to their tokens as JSON
// bytes, and the byte helpers they share with it.

/**
 * An entry in the pool: a 4-byte header (key length | USED, token count, value length as 2 bytes),
 * the key's bytes, the value. The header sits next to the key, so a lookup touches one slot and the
 * entry's own bytes: two cache lines, which matters once the memo outgrows the CPU's caches.
 */
const HEADER: i32 = 4;
/** Set in an entry's key-length byte when it was found since the last eviction. */
const USED: u32 = 0x80;
const MAX_KEY_BYTES: i32 = 127;
const MAX_VALUE_BYTES: i32 = 0xffff;
const MAX_COUNT: i32 = 0xff;
const INITIAL_SLOTS: i32 = 1 << 12;
/** The pool is evicted rather than grown past this. */
const MAX_POOL_BYTES: i32 = 64 << 20;

/**
 * A hash of the bytes [p, p + n), 8 at a time (keys are short: one or two multiplications). It may
 * read up to 7 bytes after the key, which every buffer a key sits in has room for.
 */
export function hashBytes(p: usize, n: i32): u32 {
  let h: u64 = <u64>n * 0x9e3779b97f4a7c15;
  while (n >= 8) {
    h = (h ^ load<u64>(p)) * 0xff51afd7ed558ccd;
    h ^= h >> 29;
    p += 8;
    n -= 8;
  }
  if (n > 0) {
    h = (h ^ (load<u64>(p) & ((<u64>1 << (<u64>n << 3)) - 1))) * 0xc4ceb9fe1a85ec53;
    h ^= h >> 29;
  }
  return <u32>(h ^ (h >> 32));
}

/** Whether the n bytes at a and b are equal. */
@inline function sameBytes(a: usize, b: usize, n: i32): bool {
  while (n >= 8) {
    if (load<u64>(a) != load<u64>(b)) return false;
    a += 8;
    b += 8;
    n -= 8;
  }
  while (n > 0) {
    if (load<u8>(a) != load<u8>(b)) return false;
    a++;
    b++;
    n--;
  }
  return true;
}

/** Bytes every buffer keeps free after its contents, for copyBytes(). */
export const SLACK: i32 = 32;

/**
 * Copies n bytes from `from` to `to` (not overlapping). Up to 32 bytes are moved as two vectors,
 * reading and writing up to 32 bytes whatever n (every buffer keeps SLACK bytes free after its
 * contents): V8 compiles memory.copy to a call, which costs more than a short copy.
 */
@inline export function copyBytes(to: usize, from: usize, n: i32): void {
  if (n <= 32) {
    v128.store(to, v128.load(from));
    v128.store(to, v128.load(from, 16), 16);
  } else memory.copy(to, from, <usize>n);
}

/**
 * Byte strings → their tokens as JSON bytes: an open-addressing table over one byte pool, so that a
 * hit costs a hash, a compare and a copy. Slots are pairs of i32: the key's hash, and where its entry
 * starts in the pool + 1 (0: free). When full, it keeps the entries used since the last eviction
 * (word frequencies are Zipfian: the common words) rather than starting over.
 */
export class Memo {
  slots: usize = 0;
  mask: i32 = 0;
  pool: usize = 0;
  poolCapacity: i32 = 0;
  used: i32 = 0;
  entries: i32 = 0;
  lastHash: u32 = 0;
  evictions: i32 = 0;

  constructor(public maxEntries: i32) {
    const slots = min(INITIAL_SLOTS, slotsFor(maxEntries));
    this.slots = allocZeroed(slots * 8);
    this.mask = slots - 1;
    this.poolCapacity = 1 << 20;
    this.pool = heap.alloc(<usize>this.poolCapacity);
  }

  /** The entry of the key [key, key + length) whose hashBytes() is h, or -1. */
  find(key: usize, length: i32, h: u32): i32 {
    const slots = this.slots;
    const mask = this.mask;
    const pool = this.pool;
    this.lastHash = h;
    for (let slot = <i32>h & mask; ; slot = (slot + 1) & mask) {
      const entry = load<i32>(slots + (<usize>slot << 3) + 4) - 1;
      if (entry < 0) return -1;
      if (load<u32>(slots + (<usize>slot << 3)) != h || (<i32>load<u8>(pool + <usize>entry) & ~USED) != length) continue;
      if (sameBytes(pool + <usize>(entry + HEADER), key, length)) {
        store<u8>(pool + <usize>entry, <u8>(length | USED));
        return entry;
      }
    }
    return -1; // not reached: half the slots are always free
  }

  @inline valueLength(entry: i32): i32 {
    return <i32>load<u16>(this.pool + <usize>entry + 2);
  }

  @inline tokenCount(entry: i32): i32 {
    return <i32>load<u8>(this.pool + <usize>entry + 1);
  }

  /** Appends the value of `entry` at `to` (room made by the caller); returns the address after it. */
  @inline copyValue(entry: i32, to: usize): usize {
    const length = this.valueLength(entry);
    copyBytes(to, this.pool + <usize>(entry + HEADER + (<i32>load<u8>(this.pool + <usize>entry) & ~USED)), length);
    return to + <usize>length;
  }

  /**
   * Adds the key [key, key + length) with its value value[0, valueLength) of `count` tokens; call
   * right after find() of the same key missed. Returns its entry, or -1 when the key or value is too
   * long to keep.
   */
  add(key: usize, length: i32, value: usize, valueLength: i32, count: i32): i32 {
    if (length > MAX_KEY_BYTES || valueLength > MAX_VALUE_BYTES || count > MAX_COUNT) return -1;
    const bytes = HEADER + length + valueLength;
    if (this.entries >= this.maxEntries || (this.used + bytes > this.poolCapacity && this.used + bytes > MAX_POOL_BYTES)) this.evict();
    if (2 * (this.entries + 1) > this.mask + 1) this.rehash(2 * (this.mask + 1));
    if (this.used + bytes + SLACK > this.poolCapacity) this.growPool(this.used + bytes + SLACK);
    const entry = this.used;
    const at = this.pool + <usize>entry;
    store<u8>(at, <u8>length);
    store<u8>(at + 1, <u8>count);
    store<u16>(at + 2, <u16>valueLength);
    copyBytes(at + <usize>HEADER, key, length);
    copyBytes(at + <usize>(HEADER + length), value, valueLength);
    this.used = entry + bytes;
    this.entries++;
    this.place(this.slots, this.mask, this.lastHash, entry);
    return entry;
  }

  private place(slots: usize, mask: i32, h: u32, entry: i32): void {
    let slot = <i32>h & mask;
    while (load<i32>(slots + (<usize>slot << 3) + 4) != 0) slot = (slot + 1) & mask;
    store<u32>(slots + (<usize>slot << 3), h);
    store<i32>(slots + (<usize>slot << 3) + 4, entry + 1);
  }

  private rehash(count: i32): void {
    const old = this.slots;
    const oldCount = this.mask + 1;
    this.slots = allocZeroed(count * 8);
    this.mask = count - 1;
    for (let f = 0; f < oldCount; f++) {
      const entry = load<i32>(old + (<usize>f << 3) + 4);
      if (entry != 0) this.place(this.slots, this.mask, load<u32>(old + (<usize>f << 3)), entry - 1);
    }
    heap.free(old);
  }

  private growPool(needed: i32): void {
    this.poolCapacity = max(needed, min(this.poolCapacity * 2, MAX_POOL_BYTES));
    this.pool = heap.realloc(this.pool, <usize>this.poolCapacity);
  }

  /**
   * Full: keeps the entries found since the last eviction (at most half the capacity, and no more
   * than half the pool), their bytes moved to a fresh pool, and drops the rest.
   */
  private evict(): void {
    this.evictions++;
    const old = this.slots;
    const oldCount = this.mask + 1;
    const oldPool = this.pool;
    const keepEntries = this.maxEntries >> 1;
    const keepBytes = MAX_POOL_BYTES >> 1;
    this.slots = allocZeroed(oldCount * 8);
    this.poolCapacity = min(this.poolCapacity, max(1 << 16, 2 * min(this.used, keepBytes)));
    this.pool = heap.alloc(<usize>this.poolCapacity);
    this.entries = 0;
    this.used = 0;
    for (let f = 0; f < oldCount && this.entries < keepEntries; f++) {
      const start = load<i32>(old + (<usize>f << 3) + 4) - 1;
      if (start < 0 || (<u32>load<u8>(oldPool + <usize>start) & USED) == 0) continue;
      const bytes = HEADER + (<i32>load<u8>(oldPool + <usize>start) & ~USED) + <i32>load<u16>(oldPool + <usize>start + 2);
      if (this.used + bytes > keepBytes) break;
      if (this.used + bytes + SLACK > this.poolCapacity) this.growPool(this.used + bytes + SLACK);
      memory.copy(this.pool + <usize>this.used, oldPool + <usize>start, <usize>bytes);
      store<u8>(this.pool + <usize>this.used, <u8>(<u32>load<u8>(this.pool + <usize>this.used) & ~USED));
      this.place(this.slots, this.mask, load<u32>(old + (<usize>f << 3)), this.used);
      this.used += bytes;
      this.entries++;
    }
    heap.free(old);
    heap.free(oldPool);
  }
}

function slotsFor(entries: i32): i32 {
  let n = 1;
  while (n < 2 * entries) n *= 2;
  return n;
}

function allocZeroed(bytes: i32): usize {
  const p = heap.alloc(<usize>bytes);
  memory.fill(p, 0, <usize>bytes);
  return p;
}

