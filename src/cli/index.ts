// `ream index -o OUT`: tokenized (or text) page records in, one index file out (written atomically),
// one NDJSON summary record on stdout.
import { Option, type Command } from 'commander';
import { byteSize, examples, prepareIndexOutput, type CommandModule } from './command.js';
import { readRecords, type JsonRecord } from '../stream/ndjson.js';
import { addProgressOptions, regularInputBytes, startProgress } from '../stream/progress.js';
import { UsageError } from '../stream/report.js';
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
      .addOption(new Option('--memory <size>', 'memory budget; past it sorted runs go to temp files next to the output').argParser(byteSize).default(byteSize('256M'), '256M'))
      .addHelpText(
        'after',
        examples(
          'ream extract a.pdf b.pdf | ream tokenize | ream index -o docs.ream',
          'ls *.pdf | xargs -P2 -I{} sh -c \'ream extract {} | ream tokenize | ream index -o shards/$(basename {}).ream\'',
          'ream extract --meta *.pdf | ream tokenize --keep-text | ream index --store text,title -o docs.ream',
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
    const output = prepareIndexOutput(ctx, opts.output);
    const pages = new PageAssembler({ analyzer, storedFields, storeText });
    let builder: IndexBuilder | undefined;
    /** Pages indexed, and those with text to store (--store text). */
    let indexed = 0;
    let withText = 0;
    const started = process.hrtime.bigint();
    const progress = startProgress('index', opts.progress, { counters: [{ name: 'pages' }, { name: 'bytes', total: regularInputBytes(args), hidden: true }], rate: 'pages' });
    try {
      // The fast path: a tokenized record's tokens stay in its line (see token-scan.ts) instead of
      // becoming one string each; readRecords parses every other line as usual.
      let scanned: TokenRanges | undefined;
      const parse = (line: string): JsonRecord | undefined => {
        const fast = scanTokens(line);
        scanned = fast && (fast.record.chunks === undefined || fast.record.chunks === 1) ? fast.tokens : undefined;
        return scanned && fast!.record;
      };
      await readRecords(ctx, args, (record, where) => {
        const tokens = scanned;
        scanned = undefined;
        try {
          const page = pages.accept(record);
          if (!page) return;
          builder ??= new IndexBuilder(output, { analyzer: pages.analyzer!, storedFields, storeText, memoryBytes: opts.memory });
          if (tokens) builder.addRanges(page, tokens);
          else builder.add(page);
          indexed++;
          if (page.text !== undefined) withText++;
          progress.set('bytes', ctx.stats.bytesIn);
          progress.add('pages');
        } catch (err) {
          if (!(err instanceof BadRecord)) throw err;
          ctx.report.fail(`${where.source}:${where.line}`, err.message, err.reason);
        }
      }, { parse });
      for (const p of pages.incomplete()) {
        ctx.report.fail(`${p.doc}${p.page === null ? '' : ` page ${p.page}`}`, `only ${p.have} of ${p.chunks} chunks arrived; page not indexed`, 'incomplete_page');
      }
      // Snippets need the page text: tokenize drops it unless told to keep it.
      if (storeText && indexed > 0 && withText === 0) {
        ctx.report.warn('--store text: no record carried "text" (tokenize with --keep-text), so the index keeps no page text and search shows no snippets');
      }
      builder ??= new IndexBuilder(output, { analyzer: pages.analyzer ?? getAnalyzer('standard').id, storedFields, storeText, memoryBytes: opts.memory });
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
