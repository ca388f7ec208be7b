// Where extract's CPU goes, in one thread: a bare getTextContent() loop on pdf.js as shipped (its own
// in-thread worker and channel) against ream's reader (extractDocument: pdf.js's parser as patched at
// build time behind ream's DirectPort, text assembly, cleanup, annotations, suspect checks) on the
// same files. Needs `node build.mjs` first (dist/pdfjs.cjs).
//   node_modules/.bin/esbuild bench/extract/in-process.ts --bundle --platform=node --format=esm \
//     --external:pdf-parse --external:pdfjs-dist --outfile=bench/data/extract-in-process.mjs
//   node bench/data/extract-in-process.mjs MODE FILE…   (MODE: bare | ream | ream-noannot)
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { extractDocument, loadPdfjs } from '../../src/pdf/reader.js';

const [mode = 'ream', ...files] = process.argv.slice(2);
const cpu0 = process.cpuUsage();
const t0 = performance.now();
let pages = 0;
const { pdfjs: reamPdfjs, dataDir } = (await loadPdfjs()) as any;
// bare: pdf.js as installed (unpatched, its own in-thread worker and channel), with the native
// Array.prototype.push and JSON.parse that its core-js swaps out on a main thread put back
const pdfjs = mode === 'bare' ? await shippedPdfjs() : reamPdfjs;
const loaded = process.cpuUsage(cpu0);
for (const path of files) {
  if (mode === 'bare') {
    const data = readFileSync(path);
    const doc = await pdfjs.getDocument({
      data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
      cMapUrl: `${dataDir}/cmaps/`,
      cMapPacked: true,
      standardFontDataUrl: `${dataDir}/standard_fonts/`,
      isEvalSupported: false,
      useSystemFonts: false,
      disableFontFace: true,
      verbosity: 0,
    }).promise;
    for (let n = 1; n <= doc.numPages; n++) {
      const page = await doc.getPage(n);
      await page.getTextContent();
      page.cleanup();
      pages++;
    }
    await doc.destroy();
  } else {
    await extractDocument(
      { id: 0, path, info: false, annotations: mode !== 'ream-noannot', meta: false },
      { open: () => {}, page: () => void pages++, info: () => {} },
    ).catch((err) => process.stderr.write(`${path}: ${(err as Error).message}\n`));
  }
}
const cpu = process.cpuUsage(cpu0);
const s = (c: NodeJS.CpuUsage) => (c.user + c.system) / 1e6;
console.log(JSON.stringify({ mode, files: files.length, pages, load_cpu_s: +s(loaded).toFixed(2), cpu_s: +s(cpu).toFixed(2), wall_s: +((performance.now() - t0) / 1000).toFixed(2), pages_per_cpu_s: +(pages / s(cpu)).toFixed(1), rss_mb: Math.round(process.resourceUsage().maxRSS / 1024) }));

async function shippedPdfjs(): Promise<any> {
  const push = Object.getOwnPropertyDescriptor(Array.prototype, 'push')!;
  const parse = Object.getOwnPropertyDescriptor(JSON, 'parse')!;
  const fromPdfParse = createRequire(createRequire(import.meta.url).resolve('pdf-parse'));
  const api = await import(fromPdfParse.resolve('pdfjs-dist/legacy/build/pdf.mjs'));
  (globalThis as { pdfjsWorker?: unknown }).pdfjsWorker = await import(fromPdfParse.resolve('pdfjs-dist/legacy/build/pdf.worker.mjs'));
  Object.defineProperty(Array.prototype, 'push', push);
  Object.defineProperty(JSON, 'parse', parse);
  return api;
}
