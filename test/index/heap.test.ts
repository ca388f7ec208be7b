// The queues search and merge order things with: Heap (objects by a comparator) and IdQueue (ids
// by a priority array, the order of posting blocks), against sorting.
import { describe, expect, it } from 'vitest';
import { Heap, IdQueue } from '../../src/index/heap.js';
import { rng } from './corpus.js';

describe('IdQueue', () => {
  it('gives ids largest priority first, ties by the smaller id, with ids put back at a new priority', () => {
    const rand = rng(3);
    for (const n of [0, 1, 2, 7, 100, 1000]) {
      // few distinct priorities: many ties
      const priority = Float64Array.from({ length: n }, () => Math.floor(rand() * 20) / 4);
      const ids = Array.from({ length: n }, (_, i) => i).filter(() => rand() < 0.8);
      const queue = new IdQueue(priority, ids);
      const expected = [...ids];
      const got: number[] = [];
      while (queue.size > 0) {
        const id = queue.pop();
        // half the ids come back once, lower (search puts a block back with its true bound)
        if (rand() < 0.5 && priority[id]! >= 0) {
          priority[id] = -1 - rand();
          queue.push(id);
          continue;
        }
        got.push(id);
      }
      expected.sort((a, b) => priority[b]! - priority[a]! || a - b);
      expect(got.map((id) => priority[id])).toEqual(expected.map((id) => priority[id]));
      expect([...got].sort((a, b) => a - b)).toEqual([...ids].sort((a, b) => a - b));
      expect(queue.pop()).toBe(-1);
    }
  });
});

describe('Heap', () => {
  it('pops items smallest first by its comparator, whether given up front or pushed', () => {
    const rand = rng(4);
    const items = Array.from({ length: 500 }, () => ({ v: Math.floor(rand() * 50) }));
    const heap = new Heap<{ v: number }>((a, b) => a.v < b.v, items.slice(0, 200));
    for (const x of items.slice(200)) heap.push(x);
    const got: number[] = [];
    while (heap.size > 0) got.push(heap.pop()!.v);
    expect(got).toEqual(items.map((x) => x.v).sort((a, b) => a - b));
    expect(heap.pop()).toBeUndefined();
  });
});
