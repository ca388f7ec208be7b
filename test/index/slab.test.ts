// Parts carved from a slab (src/index/codec/slab.ts) must never share bytes, and must be aligned
// for the Uint32Array of the lengths.
import { describe, expect, it } from 'vitest';
import { slabBytes } from '../../src/index/codec/slab.js';

describe('slabBytes', () => {
  it('gives aligned, disjoint pieces of the sizes asked for, and a piece of its own past half a slab', () => {
    const sizes = [1, 4096, 100_000, 3, 1 << 20, 64, 2 << 20, 3 << 20, 2 << 20, 1 << 20];
    const pieces = sizes.map((n) => slabBytes(n));
    pieces.forEach((p, i) => {
      expect(p.length).toBe(sizes[i]);
      expect(p.byteOffset % 64).toBe(0);
      p.fill(i + 1);
    });
    // each piece still holds only its own mark: no two overlap
    pieces.forEach((p, i) => expect(p.every((b) => b === i + 1)).toBe(true));
    const big = slabBytes(5 << 20);
    expect(big.length).toBe(5 << 20);
    expect(big.buffer.byteLength).toBe(big.length);
    // over 8 MB asked for in all: the last 2 MB piece starts a second slab, and the next piece comes from it
    expect(pieces[8]!.buffer).not.toBe(pieces[7]!.buffer);
    expect(pieces[9]!.buffer).toBe(pieces[8]!.buffer);
  });
});
