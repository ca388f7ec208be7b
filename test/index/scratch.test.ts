// A query's match lists come from a Scratch (src/index/scratch.ts): lists taken before a reset must
// never share memory, and after a reset the same memory serves the next query.
import { describe, expect, it } from 'vitest';
import { Scratch } from '../../src/index/scratch.js';

describe('Scratch', () => {
  it('gives disjoint lists of the sizes asked for, and the same memory again after a reset', () => {
    const scratch = new Scratch();
    const sizes = [10, 1 << 19, 3, (1 << 19) + 1, 1 << 20, 2 << 20, 7];
    const query = () => {
      const lists = sizes.map((n) => scratch.take(n));
      lists.forEach((l, i) => {
        expect(l.length).toBe(sizes[i]);
        l.fill(i + 1);
      });
      // each list still holds only its own mark: no two overlap
      lists.forEach((l, i) => expect(l.every((v) => v === i + 1)).toBe(true));
      return lists;
    };
    const first = query();
    const held = scratch.heldInts;
    scratch.reset();
    const second = query();
    // nothing new was taken from the system: the second query's lists are the first's memory
    expect(scratch.heldInts).toBe(held);
    second.forEach((l, i) => {
      expect(l.buffer).toBe(first[i]!.buffer);
      expect(l.byteOffset).toBe(first[i]!.byteOffset);
    });
  });

  it('lets go of what is past its limit at a reset', () => {
    const scratch = new Scratch();
    for (let i = 0; i < 20; i++) scratch.take(4 << 20);
    expect(scratch.heldInts).toBe(80 << 20);
    scratch.reset();
    expect(scratch.heldInts).toBeLessThanOrEqual(16 << 20);
    expect(scratch.heldInts).toBeGreaterThan(0);
  });
});
