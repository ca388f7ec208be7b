// `ream extract [FILE…]`: PDF text as page records, parsed in supervised worker threads.
import { readFileSync } from 'node:fs';
import { Option } from 'commander';
import type { CommandModule } from './command.js';
import { byteSize, examples, positiveInt, positiveNumber } from './command.js';
import { checkOutput } from '../stream/atomic.js';
import { UsageError, describeError } from '../stream/report.js';
import { addProgressOptions, startProgress } from '../stream/progress.js';
import { fileSource, stdinSource } from '../stream/sources.js';
import { linesOf } from '../pdf/paths.js';
import { extractAll, type DocumentSink } from '../pdf/pool.js';
import { extractWithPdftotext, pdftotextMissing } from '../pdf/poppler.js';
import type { DocumentMeta, ExtractJob } from '../pdf/protocol.js';
import { pageRecords, writeRecordsAtomically, type ErrorRecord } from '../pdf/records.js';
import { STDIN_DOC, saveStdin, type SavedStdin } from '../pdf/stdin-pdf.js';

interface ExtractOptions {
  filesFrom?: string;
  null?: boolean;
  info?: boolean;
  meta?: boolean;
  annotations: boolean;
  jobs: number;
  timeout?: number;
  maxMemory: number;
  recycle: number;
  errors?: string;
  last?: number;
  password?: string;
  passwordFile?: string;
  progress?: boolean;
  engine: 'pdfjs' | 'pdftotext';
}

/** Default time limit: generous for opening, then proportional to the page count. */
const BASE_SECONDS = 30;
const SECONDS_PER_PAGE = 0.5;
/** pdftotext does not say how many pages there are before it ends: its limit grows with the file size. */
const SECONDS_PER_MB = 10;

export const command: CommandModule<ExtractOptions> = {
  configure(cmd) {
    cmd
      .argument('[file...]', 'PDF files (- for one PDF on stdin; or use --files-from)')
      .option('-T, --files-from <list>', 'read PDF paths from this file, one per line (- for stdin)')
      .option('-0, --null', 'paths in --files-from are NUL-separated (find -print0)')
      .option('--info', 'one record per document (pages, title, dates, version, sha256…) instead of pages')
      .option('--meta', 'add title, author, subject, keywords, creator, producer and dates to each page record')
      .option('--no-annotations', 'leave out form field values and annotation text (included by default)')
      .addOption(
        new Option('--engine <name>', "pdfjs: pdf.js in worker threads; pdftotext: poppler's pdftotext, 2-3x faster, no annotations, --info or --meta (docs/extract.md)")
          .choices(['pdfjs', 'pdftotext'])
          .default('pdfjs'),
      )
      .option('-j, --jobs <n>', 'documents parsed at once, one worker thread (or pdftotext process) each', positiveInt, 1)
      .option('--timeout <seconds>', `time limit per document (default ${BASE_SECONDS} s + ${SECONDS_PER_PAGE} s per page; pdftotext: + ${SECONDS_PER_MB} s per MB)`, positiveNumber)
      .addOption(new Option('--max-memory <size>', 'heap limit per worker thread').argParser(byteSize).default(byteSize('1G'), '1G'))
      .option('--recycle <n>', 'replace a worker thread after this many documents', positiveInt, 100)
      .option('-l, --last <page>', 'stop after this page of each document (like pdftotext -l)', positiveInt)
      .option('--errors <file>', 'also write failures as NDJSON records {doc, reason, error} to this file')
      .option('--password <password>', 'password for encrypted PDFs (or REAM_PDF_PASSWORD)')
      .option('--password-file <file>', 'read the password from the first line of this file')
      .addHelpText(
        'after',
        examples(
          "find docs -name '*.pdf' -print0 | xargs -0 -P4 -n32 ream extract | ream tokenize | ream index -o docs.idx",
          "find docs -name '*.pdf' | ream extract --files-from - --errors failed.ndjson > pages.ndjson",
          'ream extract --info report.pdf | jq .pages',
          "find docs -name '*.pdf' -print0 | xargs -0 -P4 -n64 ream extract --engine pdftotext > pages.ndjson",
        ),
      );
    addProgressOptions(cmd);
  },

  async run(ctx, args, opts) {
    if (opts.filesFrom !== undefined && args.length > 0) throw new UsageError('give PDF files as arguments or with --files-from, not both');
    if (opts.null && opts.filesFrom === undefined) throw new UsageError('-0 applies to --files-from lists');
    const password = readPassword(opts);
    const paths: AsyncIterable<string> =
      opts.filesFrom !== undefined
        ? linesOf(opts.filesFrom === '-' ? stdinSource() : fileSource(opts.filesFrom), opts.null ? 0 : 10)
        : (async function* () {
            yield* args.length > 0 ? args : [];
          })();
    if (opts.filesFrom === undefined && args.length === 0) throw new UsageError('no PDF files given (arguments, or --files-from -)');
    if (args.filter((a) => a === '-').length > 1) throw new UsageError("'-' (a PDF on stdin) can be given once");

    let nextId = 0;
    let stdin: SavedStdin | undefined;
    const jobs = (async function* (): AsyncGenerator<ExtractJob> {
      for await (const path of paths) {
        ctx.stats.recordsIn++;
        const job = { id: nextId++, path, info: Boolean(opts.info), annotations: opts.annotations, meta: Boolean(opts.meta), password, lastPage: opts.last };
        if (path === '-' && opts.filesFrom === undefined) {
          // A PDF on stdin: saved whole first (parsers need its end), named `stdin` in records.
          try {
            stdin = await saveStdin();
          } catch (err) {
            ctx.report.fail(STDIN_DOC, describeError(err), 'unreadable');
            continue;
          }
          yield { ...job, path: STDIN_DOC, file: stdin.file };
        } else yield job;
      }
    })();
    const progress = startProgress('extract', opts.progress, {
      counters: [{ name: 'files', total: opts.filesFrom === undefined ? args.length : undefined }, { name: 'pages' }],
      rate: 'pages',
    });
    if (opts.engine === 'pdftotext') {
      for (const [flag, given] of [['--info', opts.info], ['--meta', opts.meta], ['--password', opts.password !== undefined || opts.passwordFile !== undefined]] as const) {
        // pdftotext would take the password as an argument, which every local user can read in ps.
        if (given) throw new UsageError(`${flag} needs --engine pdfjs`);
      }
      const missing = pdftotextMissing();
      if (missing) throw new UsageError(missing);
    }
    // a bad --errors target is refused now, not after the whole run
    if (opts.errors !== undefined) checkOutput(opts.errors, '--errors');
    ctx.report.fullList = opts.errors !== undefined ? `all are in ${opts.errors}` : '--errors FILE lists them all';
    const errors: ErrorRecord[] = [];
    const open = new Map<number, { pages: number; meta?: DocumentMeta }>();
    const sink: DocumentSink = {
      open: (job, pages, meta) => void open.set(job.id, { pages, meta }),
      page: (job, result) => {
        const doc = open.get(job.id)!;
        for (const record of pageRecords(job.path, doc.pages, result, doc.meta)) ctx.out.write(record);
        ctx.metrics.count('pages_total');
        progress.add('pages');
        if (result.chars === 0) ctx.metrics.count('empty_pages_total');
        if (result.suspect) ctx.metrics.count('suspect_pages_total');
      },
      info: (_job, record) => ctx.out.write(record),
      done: (job, seconds, warning) => {
        open.delete(job.id);
        progress.add('files');
        ctx.metrics.count('documents_total');
        ctx.metrics.observe('extract_document_seconds', seconds);
        if (warning) ctx.report.warn(`${job.path}: ${warning}`);
      },
      failed: (job, reason, message, seconds) => {
        open.delete(job.id);
        progress.add('files');
        ctx.metrics.observe('extract_document_seconds', seconds);
        ctx.report.fail(job.path, message, reason);
        if (opts.errors !== undefined) errors.push({ doc: job.path, reason, error: message });
      },
    };
    const extracted =
      opts.engine === 'pdftotext'
        ? extractWithPdftotext(jobs, sink, {
            processes: opts.jobs,
            timeLimitMs: (bytes) => 1000 * (opts.timeout ?? BASE_SECONDS + (SECONDS_PER_MB * bytes) / 2 ** 20),
          })
        : extractAll(jobs, sink, {
            workers: opts.jobs,
            timeLimitMs: (pages) => 1000 * (opts.timeout ?? BASE_SECONDS + SECONDS_PER_PAGE * (pages ?? 0)),
            memoryMb: Math.max(32, Math.round(opts.maxMemory / 2 ** 20)),
            recycleAfter: opts.recycle,
          });
    await extracted.finally(() => {
      stdin?.remove();
      progress.end();
      if (opts.errors !== undefined) writeRecordsAtomically(opts.errors, errors);
    });
  },
};

function readPassword(opts: ExtractOptions): string | undefined {
  if (opts.password !== undefined && opts.passwordFile !== undefined) throw new UsageError('give --password or --password-file, not both');
  if (opts.passwordFile !== undefined) {
    let text: string;
    try {
      text = readFileSync(opts.passwordFile, 'utf8');
    } catch (err) {
      throw new UsageError(`--password-file: cannot read ${opts.passwordFile}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
    return text.split(/\r?\n/)[0]!;
  }
  return opts.password ?? process.env.REAM_PDF_PASSWORD ?? undefined;
}

