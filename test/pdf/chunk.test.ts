import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { cutText, splitPageRecord } from '../../src/pdf/chunk.js';
import { MAX_ATOMIC_RECORD_BYTES } from '../../src/stream/output.js';

const lineBytes = (r: unknown): number => Buffer.byteLength(JSON.stringify(r));

describe('splitPageRecord', () => {
  it('keeps a page that fits as one record without chunk fields', () => {
    const r = { doc: 'a.pdf', page: 1, pages: 1, text: 'short text', chars: 10 };
    expect(splitPageRecord(r)).toEqual([r]);
  });

  it('splits a long page into records that each fit and reassemble exactly', () => {
    const text = Array.from({ length: 3000 }, (_, i) => `wörd${i} 中文 "quoted"\t\\back`).join(' ');
    const r = { doc: 'dir/ä.pdf', page: 3, pages: 9, text, chars: text.length };
    const parts = splitPageRecord(r);
    expect(parts.length).toBeGreaterThan(10);
    parts.forEach((p, i) => {
      expect(lineBytes(p)).toBeLessThanOrEqual(MAX_ATOMIC_RECORD_BYTES);
      expect(p).toMatchObject({ doc: 'dir/ä.pdf', page: 3, pages: 9, chars: text.length, chunk: i, chunks: parts.length });
      expect(text.slice((p as { offset: number }).offset).startsWith(p.text)).toBe(true);
    });
    expect(parts.map((p) => p.text).join('')).toBe(text);
  });

  it('never cuts a word or a hyphenated line end', () => {
    const words = Array.from({ length: 2000 }, (_, i) => (i % 5 === 0 ? `infor-\nmation${i}` : `word${i}`));
    const text = words.join(' ');
    const parts = splitPageRecord({ doc: 'x', page: 1, pages: 1, text, chars: text.length });
    for (let i = 1; i < parts.length; i++) {
      const before = parts[i - 1]!.text;
      expect(before).toMatch(/\s$/);
      expect(before).not.toMatch(/-\s*$/);
      expect(parts[i]!.text).toMatch(/^\S/);
    }
  });

  it('cuts inside an overlong run without whitespace rather than exceed the limit', () => {
    const text = 'x'.repeat(10_000);
    const parts = splitPageRecord({ doc: 'x', page: 1, pages: 1, text, chars: text.length });
    expect(parts.map((p) => p.text).join('')).toBe(text);
    for (const p of parts) expect(lineBytes(p)).toBeLessThanOrEqual(MAX_ATOMIC_RECORD_BYTES);
  });

  it('holds for any text (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.string({ unit: 'grapheme', maxLength: 30 }), fc.constantFrom(' ', '\n', '-\n', '\t')), { maxLength: 600 }), (bits) => {
        const text = bits.join('');
        const parts = splitPageRecord({ doc: 'p.pdf', page: 1, pages: 1, text, chars: text.length }, 600);
        expect(parts.map((p) => p.text).join('')).toBe(text);
        for (const p of parts) expect(lineBytes(p)).toBeLessThanOrEqual(600);
      }),
      { numRuns: 200 },
    );
  });
});

describe('cutText', () => {
  it('measures JSON-escaped UTF-8 bytes', () => {
    const pieces = cutText('é'.repeat(50) + ' ' + '"'.repeat(50), 100);
    for (const p of pieces) expect(Buffer.byteLength(JSON.stringify(p)) - 2).toBeLessThanOrEqual(100);
  });
});
