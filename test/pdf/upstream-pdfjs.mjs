// pdf.js exactly as installed (unpatched, with @napi-rs/canvas for its rendering classes), in a
// process of its own: prints, as JSON, what page 1 of every PDF named on the command line gives
// (page-output.mjs). test/pdf/pdfjs-patch.test.ts compares ream's patched bundle with it.
//   node test/pdf/upstream-pdfjs.mjs text|ops a.pdf b.pdf
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pageOutput } from './page-output.mjs';

const [kind, ...files] = process.argv.slice(2);
const fromPdfParse = createRequire(createRequire(import.meta.url).resolve('pdf-parse'));
const pdfjs = await import(fromPdfParse.resolve('pdfjs-dist/legacy/build/pdf.mjs'));
const out = [];
for (const path of files) out.push(await pageOutput(pdfjs, readFileSync(path), {}, kind));
process.stdout.write(JSON.stringify(out));
