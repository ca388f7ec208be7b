// `ream index -o OUT`: tokenized (or text) page records in, one index file out (written atomically),
// one NDJSON summary record on stdout.
import type { Command } from 'commander';
import { byteSize, examples, type CommandModule } from './command.js';
import { forEachLine } from '../stream/lines.js';
import { addProgressOptions, regularInputBytes, startProgress } from '../stream/progress.js';
import type { JsonRecord } from '../stream/ndjson.js';
import { sourcesFromArgs } from '../stream/sources.js';
import type { RunContext } from '../stream/context.js';
import { UsageError, describeError } from '../stream/report.js';
import { scanTokens } from '../index/token-scan.js';
import type { TokenRanges } from '../index/inverter.js';
import { getAnalyzer } from '../text/analyzer.js';
import { IndexBuilder } from '../index/build.js';
import { BadRecord, PageAssembler } from '../index/pages.js';
import { recordIndexMetrics } from '../index/summary.js';

interface Opts {
  output: string;
  analyzer?: string;
  store?: string;
  memory: number;
  progress?: boolean;
}

export const command: CommandModule<Opts> = {
  configure(cmd: Command) {
    cmd
      .argument('[files...]', 'tokenized or text page records (default: stdin)')
      .requiredOption('-o, --output <file>', 'the index file to write (replaced atomically)')
      .option('--analyzer <name>', 'analyzer for text records and the one token records must come from (default: the first record\'s, else standard)')
      .option('--store <fields>', 'comma-separated record fields to keep in the document table; `text` keeps page text for snippets')
      .option('--memory <size>', 'memory budget; past it sorted runs go to temp files next to the output', byteSize, byteSize('256M'))
      .addHelpText(
        'after',
        examples(
          'ream extract a.pdf b.pdf | ream tokenize | ream index -o docs.ream',
          'ls *.pdf | xargs -P2 -I{} sh -c \'ream extract {} | ream tokenize | ream index -o shards/$(basename {}).ream\'',
          'ream extract --keep-text *.pdf | ream tokenize --keep-text | ream index --store text,title -o docs.ream',
        ),
      );
    addProgressOptions(cmd);
  },

  async run(ctx, args, opts) {
    const store = (opts.store ?? '').split(',').map((s) => s.trim()).filter(Boolean);
    const storeText = store.includes('text');
    const storedFields = [...new Set(store.filter((f) => f !== 'text'))].sort();
    for (const f of storedFields) if (['doc', 'page', 'tokens'].includes(f)) throw new UsageError(`--store ${f}: doc and page are always kept, tokens never`);
    const analyzer = opts.analyzer === undefined ? undefined : getAnalyzer(opts.analyzer).id;
    const pages = new PageAssembler({ analyzer, storedFields, storeText });
    let builder: IndexBuilder | undefined;
    const started = process.hrtime.bigint();
    const progress = startProgress('index', opts.progress, { counters: [{ name: 'pages' }, { name: 'bytes', total: regularInputBytes(args), hidden: true }], rate: 'pages' });
    try {
      await readPageRecords(ctx, args, (record, tokens, where) => {
        try {
          const page = pages.accept(record);
          if (!page) return;
          builder ??= new IndexBuilder(opts.output, { analyzer: pages.analyzer!, storedFields, storeText, memoryBytes: opts.memory });
          if (tokens) builder.addRanges(page, tokens);
          else builder.add(page);
          progress.set('bytes', ctx.stats.bytesIn);
          progress.add('pages');
        } catch (err) {
          if (!(err instanceof BadRecord)) throw err;
          ctx.report.fail(where, err.message, err.reason);
        }
      });
      for (const p of pages.incomplete()) {
        ctx.report.fail(`${p.doc}${p.page === null ? '' : ` page ${p.page}`}`, `only ${p.have} of ${p.chunks} chunks arrived; page not indexed`, 'incomplete_page');
      }
      builder ??= new IndexBuilder(opts.output, { analyzer: pages.analyzer ?? getAnalyzer('standard').id, storedFields, storeText, memoryBytes: opts.memory });
      const result = builder.finish();
      recordIndexMetrics(ctx, result);
      ctx.out.write({
        index: opts.output,
        analyzer: pages.analyzer ?? getAnalyzer('standard').id,
        documents: result.docCount,
        terms: result.termCount,
        postings: result.postingCount,
        tokens: result.totalTokens,
        bytes: result.bytes,
        runs: result.runs,
        seconds: Number(process.hrtime.bigint() - started) / 1e9,
      });
    } catch (err) {
      builder?.abort();
      throw err;
    } finally {
      progress.end();
    }
  },
};

/**
 * readRecords with a fast path: a tokenized record's tokens are left in the line (see
 * token-scan.ts) instead of becoming one string each; other lines are parsed as readRecords does,
 * with the same messages for bad lines.
 */
async function readPageRecords(ctx: RunContext, args: string[], handle: (record: JsonRecord, tokens: TokenRanges | undefined, where: string) => void): Promise<void> {
  for (const source of sourcesFromArgs(args)) {
    const bad = (line: number, message: string, reason: string): void => ctx.report.fail(`${source.name}:${line}`, message, reason);
    try {
      await forEachLine(
        source,
        (line, lineNo) => {
          if (line.length === 0 || (line.charCodeAt(0) <= 32 && line.trim() === '')) return;
          const fast = scanTokens(line);
          if (fast && (fast.record.chunks === undefined || fast.record.chunks === 1)) {
            ctx.stats.recordsIn++;
            return handle(fast.record, fast.tokens, `${source.name}:${lineNo}`);
          }
          let value: unknown;
          try {
            value = JSON.parse(line);
          } catch (err) {
            return bad(lineNo, `invalid JSON: ${(err as Error).message}`, 'bad_json');
          }
          if (value === null || typeof value !== 'object' || Array.isArray(value)) return bad(lineNo, 'expected a JSON object', 'not_object');
          ctx.stats.recordsIn++;
          handle(value as JsonRecord, undefined, `${source.name}:${lineNo}`);
        },
        {
          onBytes: (n) => (ctx.stats.bytesIn += n),
          onInvalidUtf8: (lineNo) => bad(lineNo, 'invalid UTF-8, replaced with U+FFFD', 'bad_utf8'),
          onTooLong: (lineNo, bytes) => bad(lineNo, `line of ${bytes} bytes is longer than the largest string Node can hold, skipped`, 'too_long'),
        },
      );
    } catch (err) {
      const code = (err as NodeJS.ErrnoException)?.code;
      if (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR' || code === 'Z_DATA_ERROR' || code === 'Z_BUF_ERROR') {
        ctx.report.fail('', describeError(err), 'unreadable');
        continue;
      }
      throw err;
    }
  }
}
