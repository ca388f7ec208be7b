// ream's stand-in for the DOM's DOMMatrix (src/pdf/rendering-stand-ins.ts) against the real one that
// pdf.js would otherwise load from @napi-rs/canvas: same six numbers, -0 included, after any chain
// of the calls pdf.js's parser makes.
import { createRequire } from 'node:module';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DOMMatrix2D } from '../../src/pdf/rendering-stand-ins.js';

// @napi-rs/canvas is installed with pdf-parse (pdf.js's optional dependency for rendering)
const fromPdfParse = createRequire(createRequire(import.meta.url).resolve('pdf-parse'));
const { DOMMatrix } = fromPdfParse('@napi-rs/canvas') as { DOMMatrix: new (init?: number[]) => Record<string, any> };

const FIELDS = ['a', 'b', 'c', 'd', 'e', 'f'] as const;
// pdf.js scales by 1/width and -1/height of a bitmap and moves by its height (at most 1000 pixels);
// the range is wide around that, but not where products overflow (Skia's order of operations then
// makes NaN of Infinity * 0 where a 2-D product makes 0).
const number = fc.oneof(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.tuple(fc.integer({ min: 1, max: 1000 }), fc.boolean()).map(([n, negative]) => (negative ? -1 : 1) / n), fc.constantFrom(0, -0, 1, -1, 0.5, 1 / 3));
const step = fc.oneof(
  fc.tuple(fc.constant('scaleSelf' as const), number, fc.option(number, { nil: undefined })),
  fc.tuple(fc.constant('translateSelf' as const), number, number),
);

describe('DOMMatrix stand-in', () => {
  it('matches the DOM DOMMatrix of @napi-rs/canvas through any chain of scaleSelf and translateSelf', () => {
    fc.assert(
      fc.property(fc.option(fc.array(number, { minLength: 6, maxLength: 6 }), { nil: undefined }), fc.array(step, { maxLength: 6 }), (init, steps) => {
        const ours = new DOMMatrix2D(init) as unknown as Record<string, any>;
        const theirs = new DOMMatrix(init);
        for (const [method, x, y] of steps) {
          if (y === undefined) {
            ours[method](x);
            theirs[method](x);
          } else {
            ours[method](x, y);
            theirs[method](x, y);
          }
        }
        for (const f of FIELDS) expect(Object.is(ours[f], theirs[f]) || (Number.isNaN(ours[f]) && Number.isNaN(theirs[f])), `${f}: ${ours[f]} vs ${theirs[f]}`).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('gives what compileType3Glyph reads for a bitmap of w x h', () => {
    for (const [w, h] of [[8, 16], [7, 3], [1, 1], [300, 97]]) {
      const ours = new DOMMatrix2D().scaleSelf(1 / w, -1 / h).translateSelf(0, -h);
      const theirs = new DOMMatrix().scaleSelf(1 / w, -1 / h).translateSelf(0, -h);
      for (const f of FIELDS) expect(Object.is(ours[f], theirs[f])).toBe(true);
    }
  });
});
