// Term frequencies for `ream count`: an exact table, or Space-Saving (Metwally, Agrawal, El Abbadi
// 2005) when memory is bounded: m counters; a term not in the table replaces the one with the smallest
// count and inherits that count as its possible overestimate. Every count is then >= the true count
// and at most `error` above it, with error <= total / m; every term whose true count exceeds
// total / m is in the table.

export interface TermCount {
  term: string;
  count: number;
  /** Space-Saving only: the count may be this much too high (0 when exact). */
  error?: number;
}

export interface TermCounter {
  add(term: string, weight: number): void;
  /** Whether the counts are exact (no term was ever evicted). */
  readonly exact: boolean;
  /** Sum of all weights added. */
  readonly total: number;
  /** The counts, most frequent first, ties by term in UTF-8 byte order; at most `limit` of them. */
  result(limit?: number): TermCount[];
}

export class ExactCounter implements TermCounter {
  readonly exact = true;
  total = 0;
  private readonly counts = new Map<string, number>();

  add(term: string, weight: number): void {
    this.total += weight;
    this.counts.set(term, (this.counts.get(term) ?? 0) + weight);
  }

  result(limit = Infinity): TermCount[] {
    const all: TermCount[] = [];
    for (const [term, count] of this.counts) all.push({ term, count });
    return sortCounts(all).slice(0, limit);
  }
}

interface Slot {
  term: string;
  count: number;
  error: number;
  /** Position in the min-heap. */
  at: number;
}

/** Space-Saving over a binary min-heap of `capacity` counters: O(log m) per new term. */
export class SpaceSavingCounter implements TermCounter {
  exact = true;
  total = 0;
  private readonly slots = new Map<string, Slot>();
  private readonly heap: Slot[] = [];

  constructor(readonly capacity: number) {}

  add(term: string, weight: number): void {
    this.total += weight;
    let slot = this.slots.get(term);
    if (slot) {
      slot.count += weight;
      this.siftDown(slot.at);
      return;
    }
    if (this.heap.length < this.capacity) {
      slot = { term, count: weight, error: 0, at: this.heap.length };
      this.heap.push(slot);
      this.slots.set(term, slot);
      this.siftUp(slot.at);
      return;
    }
    this.exact = false;
    slot = this.heap[0]!;
    this.slots.delete(slot.term);
    slot.term = term;
    slot.error = slot.count;
    slot.count += weight;
    this.slots.set(term, slot);
    this.siftDown(0);
  }

  result(limit = Infinity): TermCount[] {
    const all = this.heap.map((s) => (this.exact ? { term: s.term, count: s.count } : { term: s.term, count: s.count, error: s.error }));
    return sortCounts(all).slice(0, limit);
  }

  private siftUp(i: number): void {
    const h = this.heap;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (h[parent]!.count <= h[i]!.count) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  private siftDown(i: number): void {
    const h = this.heap;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let least = i;
      if (l < h.length && h[l]!.count < h[least]!.count) least = l;
      if (r < h.length && h[r]!.count < h[least]!.count) least = r;
      if (least === i) return;
      this.swap(i, least);
      i = least;
    }
  }

  private swap(i: number, j: number): void {
    const h = this.heap;
    const a = h[i]!;
    const b = h[j]!;
    h[i] = b;
    h[j] = a;
    a.at = j;
    b.at = i;
  }
}

/** Most frequent first; ties by term in UTF-8 byte order (= code point order, not UTF-16 order). */
export function sortCounts(counts: TermCount[]): TermCount[] {
  return counts.sort((a, b) => b.count - a.count || compareCodePoints(a.term, b.term));
}

/** Compares strings by code point (the order of their UTF-8 bytes, as `LC_ALL=C sort` does). */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointRank(x) - codePointRank(y);
  }
  return a.length - b.length;
}

/** UTF-16 puts surrogates (U+10000 and up) below U+E000–U+FFFF; UTF-8 puts them above. */
function codePointRank(unit: number): number {
  return unit >= 0xe000 ? unit - 0x800 : unit >= 0xd800 ? unit + 0x2000 : unit;
}
