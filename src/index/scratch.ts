// Memory for one query's match lists (a phrase's or a prefix's pages and counts), used again by the
// next query: memory a process touches for the first time costs page faults, about 3 ms per MB on
// the machines measured (a phrase on a million pages lists 8 MB), many times the cost of writing
// it again. A Searcher starts its scratch over at each search; lists taken from it are valid until then.

/** Ints in one chunk (4 MB): a million-page list each. */
const CHUNK_INTS = 1 << 20;
/** Ints kept between queries at most (64 MB); past it, the chunks after are let go. */
const KEEP_INTS = 16 << 20;

export type Take = (count: number) => Int32Array;

/** Takes fresh memory each time (a list that outlives the query). */
export const fresh: Take = (count) => new Int32Array(count);

export class Scratch {
  private readonly chunks: Int32Array[] = [];
  /** The chunk being filled and the ints taken from it. */
  private chunk = 0;
  private used = 0;

  /** `count` ints (not zeroed), valid until reset(). */
  readonly take: Take = (count) => {
    for (; this.chunk < this.chunks.length; this.chunk++, this.used = 0) {
      const c = this.chunks[this.chunk]!;
      if (c.length - this.used >= count) return c.subarray(this.used, (this.used += count));
    }
    const c = new Int32Array(Math.max(count, CHUNK_INTS));
    this.chunks.push(c);
    this.used = count;
    return c.subarray(0, count);
  };

  /** Every list taken so far is given back. */
  reset(): void {
    this.chunk = 0;
    this.used = 0;
    let kept = 0;
    let k = 0;
    while (k < this.chunks.length && kept + this.chunks[k]!.length <= KEEP_INTS) kept += this.chunks[k++]!.length;
    this.chunks.length = k;
  }

  /** Ints held (for tests). */
  get heldInts(): number {
    return this.chunks.reduce((n, c) => n + c.length, 0);
  }
}
