// A build-time edit of pdf.js's parser (pdf.worker.mjs), applied by build.mjs as it bundles pdf.js
// into dist/pdfjs.cjs, which reader.ts loads instead of the installed files. Why: placing each glyph,
// pdf.js multiplies two 6-element matrices through Util.transform, allocating three arrays, twice per
// glyph; on the shared corpus that was 12% of extract's CPU, plus the garbage collection it caused.
// The replacement does the same floating-point operations in the same order (multiplications by the
// zero entries included, so NaN, Infinity and -0 come out the same) and allocates one array. Records
// of the whole good/ corpus are byte-identical with and without it (docs/extract.md, "Speed").
//
// The edit is an exact-text replacement: if pdf-parse brings a pdf.js whose text differs, the build
// fails here. Then check whether upstream fixed it, and update or drop the patch.
// Plain JavaScript so that build.mjs can run it without a TypeScript step.
import { createRequire } from 'node:module';

export const PATCHES = [
  {
    name: 'getCurrentTextTransform without temporary matrices',
    from: `    function getCurrentTextTransform() {
      const font = textState.font;
      const tsm = [textState.fontSize * textState.textHScale, 0, 0, textState.fontSize, 0, textState.textRise];
      if (font.isType3Font && (textState.fontSize <= 1 || font.isCharBBox) && !isArrayEqual(textState.fontMatrix, FONT_IDENTITY_MATRIX)) {
        const glyphHeight = font.bbox[3] - font.bbox[1];
        if (glyphHeight > 0) {
          tsm[3] *= glyphHeight * textState.fontMatrix[3];
        }
      }
      return Util.transform(textState.ctm, Util.transform(textState.textMatrix, tsm));
    }`,
    to: `    function getCurrentTextTransform() {
      const font = textState.font;
      const t0 = textState.fontSize * textState.textHScale, t1 = 0, t2 = 0, t4 = 0, t5 = textState.textRise;
      let t3 = textState.fontSize;
      if (font.isType3Font && (textState.fontSize <= 1 || font.isCharBBox) && !isArrayEqual(textState.fontMatrix, FONT_IDENTITY_MATRIX)) {
        const glyphHeight = font.bbox[3] - font.bbox[1];
        if (glyphHeight > 0) {
          t3 *= glyphHeight * textState.fontMatrix[3];
        }
      }
      const m = textState.textMatrix, c = textState.ctm;
      const m0 = m[0] * t0 + m[2] * t1, m1 = m[1] * t0 + m[3] * t1, m2 = m[0] * t2 + m[2] * t3, m3 = m[1] * t2 + m[3] * t3, m4 = m[0] * t4 + m[2] * t5 + m[4], m5 = m[1] * t4 + m[3] * t5 + m[5];
      return [c[0] * m0 + c[2] * m1, c[1] * m0 + c[3] * m1, c[0] * m2 + c[2] * m3, c[1] * m2 + c[3] * m3, c[0] * m4 + c[2] * m5 + c[4], c[1] * m4 + c[3] * m5 + c[5]];
    }`,
  },
];

/** Applies PATCHES to the text of pdf.worker.mjs; throws unless each one's `from` occurs exactly once. */
export function patchPdfjsWorker(source) {
  let out = source;
  for (const { name, from, to } of PATCHES) {
    const count = out.split(from).length - 1;
    if (count !== 1) {
      throw new Error(`pdf.js patch "${name}": expected its upstream text once in pdf.worker.mjs, found it ${count} times (pdfjs-dist changed?). Update or drop it in src/pdf/pdfjs-patch.mjs.`);
    }
    out = out.replace(from, () => to);
  }
  return out;
}

/** The installed pdf.js worker file: the copy pdf-parse depends on. */
export function installedPdfjsWorker() {
  const fromPdfParse = createRequire(createRequire(import.meta.url).resolve('pdf-parse'));
  return fromPdfParse.resolve('pdfjs-dist/legacy/build/pdf.worker.mjs');
}
