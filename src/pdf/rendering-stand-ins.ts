// DOMMatrix, ImageData and Path2D, browser classes that pdf.js uses to render (ream never does). With
// them defined, pdf.js does not load @napi-rs/canvas, a native Skia build (src/pdf/pdfjs-patch.mjs,
// API_PATCHES). The parser uses one of them while extracting text: it traces Type3 bitmap glyphs
// with a DOMMatrix (compileType3Glyph), so that one is a real 2-D matrix; the others say why they
// cannot be used.

/**
 * The 2-D part of the DOM's DOMMatrix (a, b, c, d, e, f), with the methods pdf.js's parser calls.
 * `scaleSelf` and `translateSelf` post-multiply as the DOM's do (test/pdf/rendering-stand-ins.test.ts
 * compares them with @napi-rs/canvas's).
 */
export class DOMMatrix2D {
  a = 1;
  b = 0;
  c = 0;
  d = 1;
  e = 0;
  f = 0;

  constructor(init?: readonly number[]) {
    if (init === undefined) return;
    if (init.length !== 6) throw new TypeError('DOMMatrix: ream supports 2-D matrices of 6 numbers only');
    [this.a, this.b, this.c, this.d, this.e, this.f] = init as [number, number, number, number, number, number];
  }

  /** this = this × [a b c d e f]: the sums run as the DOM's 4x4 product does (its zero terms make -0 into 0). */
  multiplySelf(o: { a: number; b: number; c: number; d: number; e: number; f: number }): this {
    const { a, b, c, d, e, f } = this;
    this.a = a * o.a + c * o.b + 0;
    this.b = b * o.a + d * o.b + 0;
    this.c = a * o.c + c * o.d + 0;
    this.d = b * o.c + d * o.d + 0;
    this.e = a * o.e + c * o.f + 0 + e;
    this.f = b * o.e + d * o.f + 0 + f;
    return this;
  }

  scaleSelf(scaleX = 1, scaleY = scaleX): this {
    return this.multiplySelf({ a: scaleX, b: 0, c: 0, d: scaleY, e: 0, f: 0 });
  }

  translateSelf(tx = 0, ty = 0): this {
    return this.multiplySelf({ a: 1, b: 0, c: 0, d: 1, e: tx, f: ty });
  }
}

/** Defines the three classes where they are missing (Node has none of them). */
export function defineRenderingStandIns(): void {
  const g = globalThis as Record<string, unknown>;
  const unsupported = (name: string) =>
    class {
      constructor() {
        throw new Error(`${name}: ream extracts text and does not render`);
      }
    };
  g.DOMMatrix ??= DOMMatrix2D;
  g.ImageData ??= unsupported('ImageData');
  g.Path2D ??= unsupported('Path2D');
}
