// crc32Combine: the CRC of A then B from the CRCs alone, as the index writer folds its sections into
// the file's CRC (src/index/codec/crc.ts).
import { describe, expect, it, vi } from 'vitest';
import { crc32 as zlibCrc32 } from 'node:zlib';
import fc from 'fast-check';
import { crc32, crc32Combine } from '../../src/index/codec/crc.js';

const bytes = fc.uint8Array({ maxLength: 3000 }).map((a) => Buffer.from(a));

describe('crc32Combine', () => {
  it('equals the CRC of the concatenation', () => {
    fc.assert(
      fc.property(bytes, bytes, (a, b) => {
        expect(crc32Combine(crc32(a), crc32(b), b.length)).toBe(crc32(Buffer.concat([a, b])));
      }),
      { numRuns: 500 },
    );
    const big = Buffer.alloc(1 << 20, 0xa5);
    expect(crc32Combine(crc32(Buffer.from('x')), crc32(big), big.length)).toBe(crc32(Buffer.concat([Buffer.from('x'), big])));
  });

  it('is associative for lengths past 2^32 (no 32-bit overflow in the length)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 1, max: 2 ** 40 }), fc.integer({ min: 1, max: 2 ** 40 }), (a, b, c, lb, lc) => {
        expect(crc32Combine(crc32Combine(a, b, lb), c, lc)).toBe(crc32Combine(a, crc32Combine(b, c, lc), lb + lc));
      }),
      { numRuns: 200 },
    );
  });

  it('leaves the first CRC as it is for an empty second part', () => {
    expect(crc32Combine(crc32(Buffer.from('abc')), 0, 0)).toBe(crc32(Buffer.from('abc')));
  });
});

describe('crc32', () => {
  const check = (crc: (data: Uint8Array, previous?: number) => number) => {
    fc.assert(
      fc.property(bytes, fc.integer({ min: 0, max: 0xffffffff }), (a, previous) => {
        expect(crc(a, previous)).toBe(zlibCrc32(a, previous) >>> 0);
      }),
      { numRuns: 300 },
    );
  };

  it("is zlib's, from Node's zlib binding", () => check(crc32));

  it('is zlib\'s from node:zlib where process.binding is gone', async () => {
    const proc = process as unknown as { binding?: unknown };
    const binding = proc.binding;
    vi.resetModules();
    proc.binding = undefined;
    try {
      const fresh = await import('../../src/index/codec/crc.js');
      check(fresh.crc32);
    } finally {
      proc.binding = binding;
      vi.resetModules();
    }
  });
});
