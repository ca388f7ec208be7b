// Binary heaps: Heap, with a comparator (the k-way merges of documents and terms, search's top k),
// and IdQueue, ids by a priority array (the order in which search takes posting blocks).
export class Heap<T> {
  private readonly items: T[];

  /** `items` (taken over, not copied) are arranged in O(n), for when only a few will be popped. */
  constructor(
    private readonly less: (a: T, b: T) => boolean,
    items: T[] = [],
  ) {
    this.items = items;
    for (let i = (items.length >> 1) - 1; i >= 0; i--) this.siftDown(i);
  }

  get size(): number {
    return this.items.length;
  }

  peek(): T | undefined {
    return this.items[0];
  }

  push(item: T): void {
    const a = this.items;
    a.push(item);
    let i = a.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(a[i]!, a[parent]!)) break;
      const t = a[i]!;
      a[i] = a[parent]!;
      a[parent] = t;
      i = parent;
    }
  }

  pop(): T | undefined {
    const a = this.items;
    if (a.length === 0) return undefined;
    const top = a[0]!;
    const last = a.pop()!;
    if (a.length > 0) {
      a[0] = last;
      this.siftDown(0);
    }
    return top;
  }

  private siftDown(i: number): void {
    const a = this.items;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < a.length && this.less(a[l]!, a[m]!)) m = l;
      if (r < a.length && this.less(a[r]!, a[m]!)) m = r;
      if (m === i) return;
      const t = a[i]!;
      a[i] = a[m]!;
      a[m] = t;
      i = m;
    }
  }
}

/**
 * Ids 0…n−1 by a priority kept outside, largest first (ties: the smaller id): the order in which
 * search takes posting blocks. Typed arrays, unlike Heap<number>, hold no boxed numbers in the cold
 * code of a fresh process, and Heap's code stays optimized for the objects of the top k. An id's
 * priority may change only while it is out of the queue.
 */
export class IdQueue {
  private readonly ids: Int32Array;
  private n = 0;

  constructor(
    private readonly priority: Float64Array,
    ids: ArrayLike<number>,
  ) {
    this.ids = new Int32Array(Math.max(1, ids.length));
    for (let i = 0; i < ids.length; i++) this.ids[i] = ids[i]!;
    this.n = ids.length;
    for (let i = (this.n >> 1) - 1; i >= 0; i--) this.siftDown(i);
  }

  get size(): number {
    return this.n;
  }

  /** The id first in line, taken out (-1 when empty). */
  pop(): number {
    if (this.n === 0) return -1;
    const top = this.ids[0]!;
    this.ids[0] = this.ids[--this.n]!;
    this.siftDown(0);
    return top;
  }

  /** Puts back an id popped before: the queue never holds more ids than it was made with. */
  push(id: number): void {
    const ids = this.ids;
    let i = this.n++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(id, ids[parent]!)) break;
      ids[i] = ids[parent]!;
      i = parent;
    }
    ids[i] = id;
  }

  private before(a: number, b: number): boolean {
    const p = this.priority;
    return p[a]! > p[b]! || (p[a] === p[b] && a < b);
  }

  private siftDown(i: number): void {
    const ids = this.ids;
    const n = this.n;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < n && this.before(ids[l]!, ids[m]!)) m = l;
      if (r < n && this.before(ids[r]!, ids[m]!)) m = r;
      if (m === i) return;
      const t = ids[i]!;
      ids[i] = ids[m]!;
      ids[m] = t;
      i = m;
    }
  }
}
