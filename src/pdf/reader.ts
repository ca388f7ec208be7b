// Extracts one PDF with pdf.js, page by page, reporting each page as soon as it is done. Runs inside
// an extract worker thread (extract.worker.ts) but has no thread code, so it is tested in-process.
// pdf.js is the one pdf-parse 2.x depends on and pins; ream drives its page API directly because
// pdf-parse's getText() keeps every page in memory until the end and leaves out form fields and
// annotations. Secure options are fixed here (see docs/extract.md, "Threat model").
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { requireWithCodeCache } from '../runtime/code-cache.js';
import type { DocumentMeta, ExtractJob, FailureReason, PageResult } from './protocol.js';
import { describeReadError, looksLikePdf, sniff } from './file-kind.js';
import { defineRenderingStandIns } from './rendering-stand-ins.js';
import { cleanPageText, countNonSpace, joinRuns, usableCharRatio, type TextRun } from './text.js';

// Loose shapes of the pdf.js objects used here (pdfjs-dist's own types pull in DOM types).
interface PdfjsModule {
  getDocument(params: Record<string, unknown>): { promise: Promise<PdfDocument>; destroy(): Promise<void> };
  PDFWorker: new (params: { port: DirectPort }) => unknown;
  VerbosityLevel: { ERRORS: number; WARNINGS: number };
  AnnotationType: Record<string, number>;
  AnnotationMode: { ENABLE: number };
  OPS: Record<string, number>;
  PDFDateString: { toDateObject(s: string): Date | null };
}
interface PdfDocument {
  numPages: number;
  getPage(n: number): Promise<PdfPage>;
  getAnnotationsByType(types: Set<number>, pageIndexesToSkip?: Set<number>): Promise<PdfAnnotation[] | null>;
  getMetadata(): Promise<{ info: Record<string, unknown> }>;
  destroy(): Promise<void>;
}
interface PdfPage {
  getTextContent(opts?: Record<string, unknown>): Promise<{ items: Array<TextRun | { type: string }>; styles: Record<string, unknown> }>;
  getOperatorList(opts?: Record<string, unknown>): Promise<{ fnArray: number[]; argsArray: unknown[][] }>;
  cleanup(): void;
}
interface PdfAnnotation {
  id?: string;
  subtype?: string;
  hasAppearance?: boolean;
  annotationType?: number;
  pageIndex?: number;
  fieldType?: string;
  fieldName?: string;
  fieldValue?: unknown;
  alternativeText?: string;
  contentsObj?: { str?: string };
  richText?: { str?: string };
  textContent?: string[];
  checkBox?: boolean;
  radioButton?: boolean;
  exportValue?: string;
  buttonValue?: string;
}

export class ExtractFailure extends Error {
  constructor(readonly reason: FailureReason, message: string) {
    super(message);
  }
}

type Listener = (event: { data: unknown }) => void;

/**
 * The channel between pdf.js's API and its parser ("worker"), both in this thread. pdf.js's own
 * in-thread channel (LoopbackPort) structured-clones every message, which for text extraction means
 * every text chunk of every page: ~9% of extract's CPU. This one does what LoopbackPort does
 * (clone, deliver after a microtask) except for text-content chunks, which are handed over with only
 * the chunk object copied: pdf.js replaces a sent chunk's `items` and `styles` (it never mutates
 * them) and builds every item afresh, so nothing the API side receives changes afterwards (the
 * records of the whole corpus are byte-identical either way). pdf.js takes it through its public
 * `PDFWorker({ port })` and `WorkerMessageHandler.initializeFromPort(port)`.
 */
class DirectPort {
  readonly #listeners = new Map<Listener, (() => void) | undefined>();
  readonly #deferred = Promise.resolve();
  postMessage(message: { chunk?: { items?: unknown; styles?: unknown } }, transfer?: Transferable[]): void {
    const chunk = message.chunk;
    let data: unknown;
    if (chunk && Array.isArray(chunk.items) && typeof chunk.styles === 'object') data = { ...message, chunk: { ...chunk } };
    else if (isFlat(message)) data = { ...message };
    else data = structuredClone(message, transfer ? { transfer } : undefined);
    const event = { data };
    void this.#deferred.then(() => {
      for (const listener of this.#listeners.keys()) listener.call(this, event);
    });
  }
  addEventListener(_name: string, listener: Listener, options?: { signal?: AbortSignal }): void {
    const signal = options?.signal;
    if (signal?.aborted) return;
    let unhook: (() => void) | undefined;
    if (signal) {
      const onAbort = (): void => this.removeEventListener('message', listener);
      signal.addEventListener('abort', onAbort);
      unhook = () => signal.removeEventListener('abort', onAbort);
    }
    this.#listeners.set(listener, unhook);
  }
  removeEventListener(_name: string, listener: Listener): void {
    this.#listeners.get(listener)?.();
    this.#listeners.delete(listener);
  }
  terminate(): void {
    for (const unhook of this.#listeners.values()) unhook?.();
    this.#listeners.clear();
  }
}

/** A message of primitives only (a stream's pull or acknowledgement, most of the traffic): a copy is a clone. */
function isFlat(message: object): boolean {
  for (const key in message) {
    const v = (message as Record<string, unknown>)[key];
    if (typeof v === 'object' && v !== null) return false;
  }
  return true;
}

/**
 * pdf.js as build.mjs bundled it (dist/pdfjs.cjs): its API and its parser, with ream's patch
 * (src/pdf/pdfjs-patch.mjs), in one CommonJS file that loads through V8's code cache.
 */
function pdfjsBundle(): string {
  // dist/pdf-extract.worker.js or dist/chunks/*.js when bundled; src/pdf/ under vitest (uses the built file).
  const candidates = ['./pdfjs.cjs', '../pdfjs.cjs', '../../dist/pdfjs.cjs'].map((p) => fileURLToPath(new URL(p, import.meta.url)));
  const found = candidates.find((f) => existsSync(f));
  if (!found) throw new Error('dist/pdfjs.cjs not found: run `node build.mjs`');
  return found;
}

let pdfjsPromise: Promise<{ pdfjs: PdfjsModule; dataDir: string; worker: unknown }> | undefined;
let saveCodeCache = (): void => {};

/** Writes pdf.js's code cache if this thread compiled it afresh: call once a document has been read,
 *  so that the cache holds the parser's functions too (src/runtime/code-cache.ts). */
export function savePdfjsCodeCache(): void {
  saveCodeCache();
}

/** Loads pdf.js (the copy pdf-parse depends on) once per thread, with its CMap and font data dirs. */
export function loadPdfjs(): Promise<{ pdfjs: PdfjsModule; dataDir: string; worker: unknown }> {
  pdfjsPromise ??= (async () => {
    // pdfjs-dist's legacy build (the one for Node) bundles core-js, which, when loaded on a main
    // thread of Node 20, swaps Array.prototype.push and JSON.parse for JavaScript versions (for edge
    // cases pdf.js never meets), making pdf.js ~30% slower there (bench/extract/in-process.ts). The
    // extract workers are not affected; in-process users are. Put the native ones back.
    const nativePush = Object.getOwnPropertyDescriptor(Array.prototype, 'push')!;
    const nativeParse = Object.getOwnPropertyDescriptor(JSON, 'parse')!;
    // the installed pdf.js, for its CMaps and standard fonts (its code comes from the bundle below)
    const fromPdfParse = createRequire(createRequire(import.meta.url).resolve('pdf-parse'));
    const dataDir = join(dirname(fromPdfParse.resolve('pdfjs-dist/legacy/build/pdf.mjs')), '..', '..');
    defineRenderingStandIns();
    const loaded = requireWithCodeCache(pdfjsBundle());
    saveCodeCache = loaded.saveCache;
    const pdfjs = loaded.exports.pdfjs as PdfjsModule;
    // pdf.js's parser runs in this thread too (pdf.js in Node has no worker of its own), behind a
    // DirectPort; every document of this thread goes through the one PDFWorker.
    const { WorkerMessageHandler } = loaded.exports.worker as { WorkerMessageHandler: { initializeFromPort(port: DirectPort): void } };
    Object.defineProperty(Array.prototype, 'push', nativePush);
    Object.defineProperty(JSON, 'parse', nativeParse);
    const port = new DirectPort();
    WorkerMessageHandler.initializeFromPort(port);
    const worker = new pdfjs.PDFWorker({ port });
    return { pdfjs, dataDir, worker };
  })();
  return pdfjsPromise;
}

// pdf.js reports repairs it made with console.warn; these mean the file's structure is broken.
const DAMAGE = /Indexing all PDF objects|invalid \/Pages tree|Skipping invalid (first )?page|circular reference|Invalid "(Root|Pages)" reference|XRefEntryException|XRefParseException|Unknown compression method/;
/**
 * A repaired file is accepted (with a warning) when the repair gave at least this many characters per
 * page on average; below that, what came out is most likely fragments of a broken file, and the
 * document is reported as failed (its pages are still written).
 */
const REPAIRED_MIN_CHARS_PER_PAGE = 300;

export interface ReaderEvents {
  open(pages: number, meta: DocumentMeta | undefined): void | Promise<void>;
  page(result: PageResult): void | Promise<void>;
  info(record: Record<string, unknown>): void;
}

/** Extracts `job.path`; returns a warning to show (e.g. a repaired file) or throws ExtractFailure. */
export async function extractDocument(job: ExtractJob, events: ReaderEvents): Promise<string | undefined> {
  let data: Buffer;
  try {
    data = await readFile(job.file ?? job.path);
  } catch (err) {
    throw new ExtractFailure('unreadable', describeReadError(err));
  }
  if (data.length === 0) throw new ExtractFailure('not_pdf', 'empty file, not a PDF');
  const { pdfjs, dataDir, worker } = await loadPdfjs();
  const repairs: string[] = [];
  const originalWarn = console.warn;
  console.warn = (...args: unknown[]) => {
    const text = args.map(String).join(' ').replace(/^Warning: /, '');
    if (repairs.length < 20 && DAMAGE.test(text)) repairs.push(text);
  };
  // pdf.js takes over (detaches) the buffer: look at it first.
  const header = { isPdf: looksLikePdf(data), kind: sniff(data) };
  const sha256 = job.info ? createHash('sha256').update(data).digest('hex') : undefined;
  const bytes = data.length;
  const task = pdfjs.getDocument({
    data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
    worker,
    password: job.password,
    cMapUrl: join(dataDir, 'cmaps') + '/',
    cMapPacked: true,
    standardFontDataUrl: join(dataDir, 'standard_fonts') + '/',
    wasmUrl: join(dataDir, 'wasm') + '/',
    iccUrl: join(dataDir, 'iccs') + '/',
    // Untrusted input: no eval'd font code, no system fonts, no XFA, no fetching, nothing rendered.
    isEvalSupported: false,
    useSystemFonts: false,
    disableFontFace: true,
    enableXfa: false,
    useWorkerFetch: false,
    isOffscreenCanvasSupported: false,
    isImageDecoderSupported: false,
    disableAutoFetch: true,
    disableStream: true,
    stopAtErrors: false,
    verbosity: pdfjs.VerbosityLevel.WARNINGS,
  });
  let doc: PdfDocument;
  try {
    doc = await task.promise;
  } catch (err) {
    console.warn = originalWarn;
    await task.destroy().catch(() => {});
    throw classify(err, job, header);
  }
  try {
    const { info } = await doc.getMetadata().catch(() => ({ info: {} as Record<string, unknown> }));
    const meta = documentMeta(info, pdfjs);
    if (job.info) {
      events.info({
        doc: job.path,
        pages: doc.numPages,
        ...meta,
        version: str(info.PDFFormatVersion),
        encrypted: Boolean(info.EncryptFilterName),
        forms: info.IsXFAPresent ? 'xfa' : info.IsAcroFormPresent ? 'acroform' : false,
        bytes,
        sha256,
        ...(repairs.length > 0 ? { damaged: repairs[0] } : {}),
      });
      if (repairs.length > 0) throw new ExtractFailure('damaged', `damaged PDF (${repairs[0]})`);
      return undefined;
    }
    await events.open(doc.numPages, job.meta ? meta : undefined);
    let usable = 0;
    let pageErrors = 0;
    let firstPageError = '';
    const last = Math.min(doc.numPages, job.lastPage ?? Infinity);
    const annotations = job.annotations ? await annotationsByPage(doc, pdfjs, last) : undefined;
    for (let n = 1; n <= last; n++) {
      let result: PageResult;
      try {
        result = await extractPage(await doc.getPage(n), n, annotations?.get(n - 1), pdfjs);
      } catch (err) {
        pageErrors++;
        firstPageError ||= (err as Error).message;
        result = { page: n, text: '', chars: 0, suspect: 'page could not be read' };
      }
      usable += result.chars;
      await events.page(result);
    }
    if (last > 0 && pageErrors === last) throw new ExtractFailure('damaged', `damaged PDF: no page could be read (${firstPageError})`);
    if (repairs.length > 0) {
      const plural = last === 1 ? '' : 's';
      if (usable < REPAIRED_MIN_CHARS_PER_PAGE * last) {
        const got = usable > 0 ? `only ${usable} characters from ${last} page${plural}` : 'no text recovered';
        throw new ExtractFailure('damaged', `damaged PDF (${repairs[0]}): ${got}`);
      }
      return `repaired damaged PDF (${repairs[0]}); text may be incomplete`;
    }
    if (pageErrors > 0) return `${pageErrors} of ${last} pages could not be read (${firstPageError})`;
    return undefined;
  } finally {
    console.warn = originalWarn;
    await doc.destroy().catch(() => {});
  }
}

/**
 * The annotations that can carry text, for pages 1..last, by page index: one request for the whole
 * document. Links (often thousands: 56,295 in a 685-page manual) and popups are filtered out by
 * pdf.js before it builds them; page.getAnnotations() would build every one, and would also run a
 * second text extraction of any page with a highlight annotation. Costly enough to matter: it took as
 * much CPU as the page text itself on link-heavy files.
 */
async function annotationsByPage(doc: PdfDocument, pdfjs: PdfjsModule, last: number): Promise<Map<number, PdfAnnotation[]>> {
  const skipTypes = new Set(['LINK', 'POPUP']);
  const types = new Set(Object.entries(pdfjs.AnnotationType).filter(([name]) => !skipTypes.has(name)).map(([, v]) => v));
  const skipPages = new Set<number>();
  for (let i = last; i < doc.numPages; i++) skipPages.add(i);
  const byPage = new Map<number, PdfAnnotation[]>();
  const all = await doc.getAnnotationsByType(types, skipPages).catch(() => null);
  for (const a of all ?? []) {
    if (a.pageIndex === undefined) continue;
    const list = byPage.get(a.pageIndex) ?? [];
    list.push(a);
    byPage.set(a.pageIndex, list);
  }
  return byPage;
}

async function extractPage(page: PdfPage, n: number, annotations: readonly PdfAnnotation[] | undefined, pdfjs: PdfjsModule): Promise<PageResult> {
  const content = await page.getTextContent();
  const runs = content.items.filter((i): i is TextRun => 'str' in i);
  let text = cleanPageText(joinRuns(runs));
  if (annotations) {
    const drawn = annotations.filter(drawnTextOnly);
    const appearances = drawn.length > 0 ? await appearanceText(page, new Set(drawn.map((a) => a.id!)), pdfjs).catch(() => new Map<string, string>()) : undefined;
    const extra = annotationText(annotations, appearances);
    if (extra) text = text ? `${text}\n\n${extra}` : extra;
  }
  page.cleanup();
  const result: PageResult = { page: n, text, chars: text.length };
  // Glyphs were drawn with fonts, yet (almost) nothing usable came out: a font without a Unicode
  // mapping, or a damaged file. Flag it rather than pass it off as a good page.
  const drawn = runs.length;
  if (drawn >= 5 && countNonSpace(text, 5) < 5) result.suspect = 'fonts but almost no text';
  else if (glyphCount(runs, 20) >= 20 && usableCharRatio(text) < 0.5) result.suspect = 'mostly unmapped glyphs';
  return result;
}

/** Non-whitespace characters drawn by `runs`, counted up to `limit`. */
function glyphCount(runs: readonly TextRun[], limit: number): number {
  let n = 0;
  for (let i = 0; i < runs.length && n < limit; i++) n += countNonSpace(runs[i]!.str, limit - n);
  return n;
}

/**
 * Signatures and stamps whose only text is drawn in their appearance stream ("Digitally signed by …",
 * "APPROVED"): pdf.js has no text API for these (pdftotext prints them, as it draws them).
 */
function drawnTextOnly(a: PdfAnnotation): boolean {
  if (!a.hasAppearance || !a.id || a.contentsObj?.str?.trim()) return false;
  return (a.subtype === 'Widget' && a.fieldType === 'Sig') || a.subtype === 'Stamp';
}

/**
 * The text drawn by the appearance streams of the annotations `ids`, read from the page's operator
 * list (each shown glyph carries its Unicode value): a line per text object or line move, a space
 * for a wide TJ gap. Costs a full operator-list pass of the page, so it is only done for pages with
 * such annotations.
 */
async function appearanceText(page: PdfPage, ids: ReadonlySet<string>, pdfjs: PdfjsModule): Promise<Map<string, string>> {
  const { OPS } = pdfjs;
  const lineOps = new Set([OPS.beginText, OPS.setTextMatrix, OPS.moveText, OPS.setLeadingMoveText, OPS.nextLine, OPS.nextLineShowText, OPS.nextLineSetSpacingShowText]);
  const showOps = new Set([OPS.showText, OPS.showSpacedText, OPS.nextLineShowText, OPS.nextLineSetSpacingShowText]);
  const ops = await page.getOperatorList({ intent: 'display', annotationMode: pdfjs.AnnotationMode.ENABLE });
  const texts = new Map<string, string>();
  let current: string | undefined;
  let text = '';
  for (let i = 0; i < ops.fnArray.length; i++) {
    const fn = ops.fnArray[i]!;
    const args = ops.argsArray[i];
    if (fn === OPS.beginAnnotation) {
      const id = String(args?.[0]);
      current = ids.has(id) ? id : undefined;
      text = '';
      continue;
    }
    if (current === undefined) continue;
    if (fn === OPS.endAnnotation) {
      texts.set(current, cleanPageText(text));
      current = undefined;
      continue;
    }
    if (lineOps.has(fn) && text && !text.endsWith('\n')) text += '\n';
    if (showOps.has(fn)) {
      for (const g of (args?.[0] as Array<number | { unicode?: string } | null>) ?? []) {
        if (typeof g === 'number') {
          if (g < -200 && !text.endsWith(' ')) text += ' ';
        } else if (g?.unicode) text += g.unicode;
      }
    }
  }
  return texts;
}

/** Text of form fields (their values) and of annotations (their contents or drawn text), one per line. */
export function annotationText(annots: readonly PdfAnnotation[], appearances?: ReadonlyMap<string, string>): string {
  const lines: string[] = [];
  for (const a of annots) {
    if (a.subtype === 'Link' || a.subtype === 'Popup') continue;
    const drawn = a.id ? appearances?.get(a.id) : undefined;
    if (drawn) {
      lines.push(drawn);
      continue;
    }
    if (a.subtype === 'Widget') {
      if (a.checkBox || a.radioButton) {
        if (a.fieldValue && a.fieldValue !== 'Off' && a.fieldValue === (a.exportValue ?? a.buttonValue)) lines.push(`${a.fieldName ?? ''}: ${String(a.fieldValue)}`.trim());
        continue;
      }
      const v = a.fieldValue;
      const value = Array.isArray(v) ? v.filter((x) => typeof x === 'string').join(', ') : typeof v === 'string' ? v : '';
      if (value.trim()) lines.push(value.trim());
      continue;
    }
    const contents = a.contentsObj?.str || a.richText?.str || '';
    if (contents.trim()) lines.push(contents.trim());
    else if (a.textContent?.length) lines.push(a.textContent.join(' ').trim());
  }
  return cleanPageText(lines.join('\n'));
}

function str(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  const s = v.replace(/\u0000/g, '').trim();
  return s.length > 0 ? s : undefined;
}

function isoDate(v: unknown, pdfjs: PdfjsModule): string | undefined {
  if (typeof v !== 'string' || !v) return undefined;
  try {
    const d = pdfjs.PDFDateString.toDateObject(v);
    return d && !Number.isNaN(d.getTime()) ? d.toISOString() : undefined;
  } catch {
    return undefined;
  }
}

function documentMeta(info: Record<string, unknown>, pdfjs: PdfjsModule): DocumentMeta {
  const meta: DocumentMeta = {
    title: str(info.Title),
    author: str(info.Author),
    subject: str(info.Subject),
    keywords: str(info.Keywords),
    creator: str(info.Creator),
    producer: str(info.Producer),
    created: isoDate(info.CreationDate, pdfjs),
    modified: isoDate(info.ModDate, pdfjs),
  };
  for (const k of Object.keys(meta) as Array<keyof DocumentMeta>) if (meta[k] === undefined) delete meta[k];
  return meta;
}

function classify(err: unknown, job: ExtractJob, header: { isPdf: boolean; kind: string }): ExtractFailure {
  const e = err as { name?: string; message?: string; code?: number };
  if (e?.name === 'PasswordException') {
    // pdf.js: code 1 = a password is needed, 2 = the one given is wrong.
    return new ExtractFailure('encrypted', job.password === undefined || e.code === 1 ? 'encrypted, needs a password (--password)' : 'encrypted, wrong password');
  }
  if (!header.isPdf) return new ExtractFailure('not_pdf', `not a PDF (${header.kind})`);
  if (e?.name === 'InvalidPDFException' || e?.name === 'FormatError' || e?.name === 'UnknownErrorException') {
    return new ExtractFailure('damaged', `damaged PDF: ${e.message ?? 'invalid structure'}`);
  }
  return new ExtractFailure('damaged', `damaged PDF: ${e?.message ?? String(err)}`);
}
