// pdf.js exactly as installed (unpatched, with @napi-rs/canvas for its rendering classes), in a
// process of its own: prints, as JSON, page 1's text items of every PDF named on the command line.
// Tests compare ream's patched bundle with it (test/pdf/pdfjs-patch.test.ts).
//   node test/pdf/upstream-text-items.mjs a.pdf b.pdf
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const fromPdfParse = createRequire(createRequire(import.meta.url).resolve('pdf-parse'));
const pdfjs = await import(fromPdfParse.resolve('pdfjs-dist/legacy/build/pdf.mjs'));
const out = [];
for (const path of process.argv.slice(2)) {
  const doc = await pdfjs.getDocument({ data: new Uint8Array(readFileSync(path)), isEvalSupported: false, useSystemFonts: false, disableFontFace: true, verbosity: 0 }).promise;
  const content = await (await doc.getPage(1)).getTextContent();
  out.push(content.items.map(({ str, transform, width, height, hasEOL }) => ({ str, transform, width, height, hasEOL })));
  await doc.destroy();
}
process.stdout.write(JSON.stringify(out));
