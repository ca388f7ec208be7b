// `ream tokenize`: records with text in, records with tokens out (see docs/records.md, docs/analyzers.md).
import type { CommandModule } from './command.js';
import { examples, positiveInt } from './command.js';
import { COMMON_STEPS, allAnalyzers, getAnalyzer } from '../text/analyzer.js';
import { TokenListPipeline } from '../text/token-pipeline.js';
import { ChunkPositions, lineAround, prepareRecord, tokenizeRecord, type PreparedRecord } from '../text/tokenize-record.js';
import { LineTokenizer } from '../text/tokenize-line.js';
import { readRecords } from '../stream/ndjson.js';

interface Opts {
  analyzer: string;
  keepText?: boolean;
  offsets?: boolean;
  field: string;
  threads: number;
}

function analyzerHelp(): string {
  const lines = ['', 'Every analyzer:', ...COMMON_STEPS.map((s) => `  - ${s}`), '', 'Analyzers (the id, e.g. en/1, is stored in every record and index; see docs/analyzers.md):'];
  for (const a of allAnalyzers()) {
    lines.push(`  ${a.name} (${a.id})`);
    for (const step of a.steps) lines.push(`      - ${step}`);
  }
  return lines.join('\n') + '\n';
}

export const command: CommandModule<Opts> = {
  configure(cmd) {
    cmd
      .argument('[files...]', 'NDJSON records with a text field (stdin when none or -)')
      .option('-a, --analyzer <name>', 'analyzer (see below)', 'standard')
      .option('--keep-text', 'keep the text field in the output')
      .option('--offsets', 'add offsets: [start, end) of each token in the text, in UTF-16 code units')
      .option('-f, --field <name>', 'the field holding the text', 'text')
      .option(
        '--threads <n>',
        '2: analyze a large input (past 8 M characters) on two threads, through record objects (the one-thread default works on the bytes and is usually faster)',
        positiveInt,
        1,
      )
      .addHelpText('after', analyzerHelp())
      .addHelpText(
        'after',
        examples(
          'ream extract docs/*.pdf | ream tokenize --analyzer en | ream index -o docs.ream',
          'ream extract a.pdf | ream tokenize | ream count --top 20',
          "echo '{\"text\":\"Die ﬁnale Infor-\\nmation\"}' | ream tokenize -a de --offsets --keep-text",
        ),
      );
  },
  async run(ctx, args, opts) {
    const analyzer = getAnalyzer(opts.analyzer);
    const chunks = new ChunkPositions();
    const tokenizeOpts = { field: opts.field, keepText: !!opts.keepText, offsets: !!opts.offsets };
    if (tokenizeOpts.offsets || ctx.out.keyField !== undefined) {
      // Offsets and --key lines go through record objects.
      await readRecords(ctx, args, (record, where) => {
        const result = tokenizeRecord(record, analyzer, chunks, tokenizeOpts);
        if (!result.ok) return ctx.report.fail(`${where.source}:${where.line}`, result.message, result.reason);
        ctx.metrics.count('tokens_total', result.tokens);
        ctx.out.write(result.record);
      });
      return;
    }
    // Records (lines the byte path refuses, every line with --threads 2): token lists encoded straight
    // to JSON bytes, with --threads 2 on two cores for a large input.
    const pipeline = new TokenListPipeline<PreparedRecord>(
      analyzer,
      (prepared, bytes, start, end, tokens) => {
        const { head, tail } = lineAround(prepared, analyzer, chunks, tokens);
        ctx.metrics.count('tokens_total', tokens);
        ctx.out.writeAssembled(head, start === 0 ? bytes : bytes.subarray(start), end - start, tail);
      },
      opts.threads,
      () => ctx.out.flush(),
    );
    // One thread, the usual case: lines are tokenized from their bytes and never become objects or
    // strings (src/text/tokenize-line.ts, docs/analyzers.md "The byte path").
    const lines = opts.threads === 1 ? new LineTokenizer(analyzer, chunks, tokenizeOpts) : undefined;
    const writeLine = (head: Uint8Array, tokens: Uint8Array, tail: Uint8Array): void => ctx.out.writeBytes(head, tokens, tail);
    await readRecords(
      ctx,
      args,
      (record, where) => {
        const prepared = prepareRecord(record, analyzer, tokenizeOpts);
        if (!('text' in prepared)) return ctx.report.fail(`${where.source}:${where.line}`, prepared.message, prepared.reason);
        pipeline.add(prepared, prepared.text);
      },
      {
        rawLine:
          lines &&
          ((buf, start, end) => {
            const tokens = lines.line(buf, start, end, writeLine);
            if (tokens < 0) return false;
            ctx.metrics.count('tokens_total', tokens);
            return true;
          }),
      },
    );
    pipeline.finish();
  },
};
