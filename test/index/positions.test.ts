// The positions bit code (fast-check): any document's positions, before or past its length, round
// trip, read byte by byte or through a DataView; the inline writer writes the same bits as the general one; skipping finds each piece's end;
// bit ranges joined at any bit offsets equal the bits written in one go.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { BitWriter, decodePositions, putPositions, readBits, skipOne, skipPositions, viewOf } from '../../src/index/codec/postings.js';

// a document: its length, and positions mostly inside it (chunks can place some past it)
const doc = fc
  .record({ length: fc.oneof(fc.integer({ min: 1, max: 600 }), fc.integer({ min: 1, max: 1 << 26 })), picks: fc.array(fc.double({ min: 0, max: 1.3, noNaN: true }), { minLength: 1, maxLength: 40 }) })
  .map(({ length, picks }) => ({ length, pos: Int32Array.from(picks.map((x) => Math.floor(x * length)).sort((a, b) => a - b)) }));

describe('positions bit code', () => {
  it('round-trips documents written one after the other, inline and general writers alike', () => {
    fc.assert(
      fc.property(fc.array(doc, { minLength: 1, maxLength: 30 }), fc.integer({ min: 0, max: 7 }), (docs, lead) => {
        const fast = new BitWriter();
        const slow = new BitWriter();
        // a few bits first, so pieces start at every offset within a byte
        fast.put(0, lead);
        slow.put(0, lead);
        const ends: number[] = [];
        for (const d of docs) {
          fast.positions(d.pos, d.pos.length, d.length);
          putPositions(slow, d.pos, d.pos.length, d.length);
          ends.push(fast.bits);
        }
        expect(fast.bits).toBe(slow.bits);
        fast.finish();
        slow.finish();
        expect(Buffer.from(fast.buf.subarray(0, fast.byteLength))).toEqual(Buffer.from(slow.buf.subarray(0, slow.byteLength)));
        const bytes = fast.buf.slice(0, fast.byteLength);
        // read byte by byte, and through a DataView (32-bit reads where 4 bytes are left: the last pieces take the byte path)
        for (const view of [undefined, viewOf(bytes)]) {
          let at = lead;
          docs.forEach((d, i) => {
            const out = new Int32Array(d.pos.length);
            expect(skipPositions(bytes, at, d.pos.length, d.length, view)).toBe(ends[i]);
            if (d.pos.length === 1 && d.length < 1 << 24) expect(skipOne(bytes, at, d.length, view)).toBe(ends[i]);
            at = decodePositions(bytes, at, d.pos.length, d.length, out, view);
            expect(at).toBe(ends[i]);
            expect(out).toEqual(d.pos);
          });
        }
      }),
      { numRuns: 300 },
    );
  });

  it('reads values of up to 31 bits at any bit offset', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 31 }), fc.integer({ min: 0, max: 0x7fffffff })), { maxLength: 50 }), (values) => {
        const w = new BitWriter();
        for (const [b, v] of values) w.put(v & (0x7fffffff >>> (31 - b)), b);
        w.finish();
        const bytes = w.buf.slice(0, w.byteLength);
        let at = 0;
        for (const [b, v] of values) {
          expect(readBits(bytes, at, b)).toBe(v & (0x7fffffff >>> (31 - b)));
          expect(readBits(bytes, at, b, viewOf(bytes))).toBe(v & (0x7fffffff >>> (31 - b)));
          at += b;
        }
      }),
    );
  });
});
