// `ream extract --engine pdftotext`: poppler's pdftotext, one child process per document, for users who
// want its speed (2-3x pdf.js per core, see docs/benchmarks.md) and accept what it leaves out: no form
// field or annotation text, no --info or --meta, no flag on pages with unmapped glyphs. The records and
// the one-line failures are the same as with pdf.js. A child process is as well supervised as a worker
// thread: a time limit kills it, and a crash costs its own document.
import { spawn, spawnSync } from 'node:child_process';
import { open, stat } from 'node:fs/promises';
import type { DocumentSink } from './pool.js';
import { timeoutMessage, type ExtractJob, type FailureReason } from './protocol.js';
import { describeReadError, looksLikePdf, sniff } from './file-kind.js';
import { cleanPageText } from './text.js';

export interface PdftotextOptions {
  /** Documents extracted at once, one pdftotext process each. */
  processes: number;
  /** Time limit in ms for a document of this many bytes. */
  timeLimitMs(bytes: number): number;
}

/** Where the poppler tools are missing, the reason why in one line (or undefined when they are here). */
export function pdftotextMissing(): string | undefined {
  const r = spawnSync('pdftotext', ['-v'], { stdio: 'ignore' });
  return r.error ? "--engine pdftotext needs poppler's pdftotext on PATH (Debian/Ubuntu: apt-get install poppler-utils)" : undefined;
}

class Failure extends Error {
  constructor(readonly reason: FailureReason, message: string) {
    super(message);
  }
}

export async function extractWithPdftotext(jobs: AsyncIterable<ExtractJob>, sink: DocumentSink, opts: PdftotextOptions): Promise<void> {
  const it = jobs[Symbol.asyncIterator]();
  const running = new Set<ReturnType<typeof spawn>>();
  let stopped = false;
  try {
    await Promise.all(
      Array.from({ length: opts.processes }, async () => {
        for (let next = await it.next(); !next.done && !stopped; next = await it.next()) {
          const job = next.value;
          const started = performance.now();
          const seconds = () => (performance.now() - started) / 1000;
          let result: { pages: number; texts: string[]; warning?: string };
          try {
            result = await extractOne(job, opts, running);
          } catch (err) {
            if (!(err instanceof Failure)) throw err;
            sink.failed(job, err.reason, err.message, seconds());
            continue;
          }
          // The sink throws when our output is gone (`| head`): stop the other processes too.
          sink.open(job, result.pages, undefined);
          result.texts.forEach((raw, i) => {
            const text = cleanPageText(raw);
            sink.page(job, { page: i + 1, text, chars: text.length });
          });
          sink.done(job, seconds(), result.warning);
        }
      }),
    );
  } catch (err) {
    stopped = true;
    for (const child of running) child.kill('SIGKILL');
    throw err;
  }
}

async function extractOne(job: ExtractJob, opts: PdftotextOptions, running: Set<ReturnType<typeof spawn>>): Promise<{ pages: number; texts: string[]; warning?: string }> {
  const head = Buffer.alloc(1024);
  let bytes: number;
  try {
    bytes = (await stat(job.file ?? job.path)).size;
    const fh = await open(job.file ?? job.path, 'r');
    try {
      await fh.read(head, 0, head.length, 0);
    } finally {
      await fh.close();
    }
  } catch (err) {
    throw new Failure('unreadable', describeReadError(err));
  }
  if (bytes === 0) throw new Failure('not_pdf', 'empty file, not a PDF');
  // A path starting with '-' would be taken for an option.
  const file = job.file ?? job.path;
  const path = file.startsWith('-') ? `./${file}` : file;
  const last = job.lastPage !== undefined ? ['-l', String(job.lastPage)] : [];
  const limitMs = opts.timeLimitMs(bytes);
  const out = await run('pdftotext', ['-enc', 'UTF-8', ...last, path, '-'], limitMs, running);
  if (out.timedOut) throw new Failure('timeout', timeoutMessage(limitMs));
  if (out.signal) throw new Failure('crashed', `pdftotext crashed (${out.signal})`);
  if (out.code !== 0) {
    if (/Incorrect password/.test(out.stderr)) throw new Failure('encrypted', 'encrypted, needs a password (--engine pdfjs --password)');
    if (!looksLikePdf(head)) throw new Failure('not_pdf', `not a PDF (${sniff(head)})`);
    throw new Failure('damaged', `damaged PDF: ${firstComplaint(out.stderr) ?? `pdftotext exit ${out.code}`}`);
  }
  // One form feed ends every page, empty ones included.
  const texts = out.stdout.toString('utf8').split('\f');
  texts.pop();
  let pages = texts.length;
  if (job.lastPage !== undefined && pages === job.lastPage) pages = (await pageCount(path, limitMs, running)) ?? pages;
  const complaint = firstComplaint(out.stderr);
  return { pages, texts, warning: complaint ? `repaired by pdftotext (${complaint})` : undefined };
}

/** The page count from pdfinfo (with -l, pdftotext does not say how many pages there are). */
async function pageCount(path: string, limitMs: number, running: Set<ReturnType<typeof spawn>>): Promise<number | undefined> {
  const out = await run('pdfinfo', [path], limitMs, running);
  const m = /^Pages:\s+(\d+)/m.exec(out.stdout.toString('utf8'));
  return m ? Number(m[1]) : undefined;
}

/** poppler's first "Syntax Error: …" line, without its prefix. */
function firstComplaint(stderr: string): string | undefined {
  const line = stderr.split('\n').find((l) => /Error/.test(l));
  return line?.replace(/^[A-Za-z ]*Error( \(\d+\))?: /, '').replace(/<0a>/g, ' ').trim() || undefined;
}

interface Ran {
  stdout: Buffer;
  stderr: string;
  code: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
}

function run(cmd: string, args: string[], limitMs: number, running: Set<ReturnType<typeof spawn>>): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    running.add(child);
    const chunks: Buffer[] = [];
    let stderr = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, limitMs);
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    // Keep the start of stderr only: a broken file can make poppler complain endlessly.
    child.stderr.on('data', (c: Buffer) => {
      if (stderr.length < 4096) stderr += c.toString('utf8');
    });
    child.on('error', (err) => {
      clearTimeout(timer);
      running.delete(child);
      reject(err);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      running.delete(child);
      resolve({ stdout: Buffer.concat(chunks), stderr, code, signal, timedOut });
    });
  });
}
