// A memo of the language steps' result for ASCII words, looked up by a slice of the page's text
// (text[start, end), compared lower-cased) without making a string of it: an open-addressing table over a byte pool.
// Word frequencies are Zipfian, so nearly every word of a page was seen before; the common case then
// costs one hash over the word's chars and one compare, and allocates nothing.

import { asciiLowerCode } from './json-tokens.js';

const SLOTS = 1 << 19;
/** Entries kept before the memo starts over (bounds memory on any input; half the slots stay free). */
const MAX_ENTRIES = SLOTS >> 1;

export class AsciiWordMemo {
  /** entry index + 1 per slot, 0 when free. */
  private readonly slots = new Int32Array(SLOTS);
  private readonly keyStart = new Int32Array(MAX_ENTRIES);
  private readonly keyLength = new Int32Array(MAX_ENTRIES);
  private readonly values: string[] = [];
  private pool = new Uint8Array(1 << 20);
  private poolUsed = 0;
  /** Hash of the last get(), reused by the set() that follows a miss. */
  private lastHash = 0;

  /** The memoized value for the ASCII text[start, end) (A-Z taken as a-z), or undefined. */
  get(text: string, start: number, end: number): string | undefined {
    let h = 0x811c9dc5;
    for (let i = start; i < end; i++) h = Math.imul(h ^ asciiLowerCode(text.charCodeAt(i)), 0x01000193);
    this.lastHash = h;
    const length = end - start;
    const pool = this.pool;
    for (let slot = h & (SLOTS - 1); ; slot = (slot + 1) & (SLOTS - 1)) {
      const entry = this.slots[slot]! - 1;
      if (entry < 0) return undefined;
      if (this.keyLength[entry] !== length) continue;
      let at = this.keyStart[entry]!;
      let i = start;
      while (i < end && pool[at] === asciiLowerCode(text.charCodeAt(i))) {
        at++;
        i++;
      }
      if (i === end) return this.values[entry];
    }
  }

  /** Memoizes `value` for text[start, end); call right after a get() of the same slice missed. */
  set(text: string, start: number, end: number, value: string): void {
    const length = end - start;
    if (this.values.length >= MAX_ENTRIES) this.clear();
    if (this.poolUsed + length > this.pool.length) {
      const grown = new Uint8Array(Math.max(this.pool.length * 2, this.poolUsed + length));
      grown.set(this.pool.subarray(0, this.poolUsed));
      this.pool = grown;
    }
    const entry = this.values.length;
    this.values.push(value);
    this.keyStart[entry] = this.poolUsed;
    this.keyLength[entry] = length;
    for (let i = start; i < end; i++) this.pool[this.poolUsed++] = asciiLowerCode(text.charCodeAt(i));
    let slot = this.lastHash & (SLOTS - 1);
    while (this.slots[slot] !== 0) slot = (slot + 1) & (SLOTS - 1);
    this.slots[slot] = entry + 1;
  }

  private clear(): void {
    this.slots.fill(0);
    this.values.length = 0;
    this.poolUsed = 0;
  }
}
