// `ream search -i INDEX [QUERY]`: BM25 hits as NDJSON {doc, page, score, rank}; with no QUERY, one
// query per {"query": …} record on stdin (hits tagged with it).
import { Option, type Command } from 'commander';
import { byteSize, collect, examples, nonNegativeInt, positiveInt, type CommandModule } from './command.js';
import { readRecords, type JsonRecord } from '../stream/ndjson.js';
import { UsageError } from '../stream/report.js';
import type { RunContext } from '../stream/context.js';
import { getAnalyzer, type Analyzer } from '../text/analyzer.js';
import { IndexReader, PART_CACHE_BYTES } from '../index/codec/reader.js';
import { expandIndexPaths } from '../index/paths.js';
import { QueryError, parseQuery } from '../index/query.js';
import { Searcher, defaultSearchThreads } from '../index/search.js';
import { Snippets } from '../index/snippet.js';

interface Opts {
  index: string[];
  k: number;
  offset: number;
  groupBy?: string;
  analyzer?: string;
  verify?: boolean;
  snippet: boolean;
  cache: number;
  threads?: number;
}

export const command: CommandModule<Opts> = {
  configure(cmd: Command) {
    cmd
      .argument('[query...]', 'the query (words, OR, -word or NOT word, "a phrase", prefix*, doc:NAME; AND is the default); none: {"query":…} records on stdin')
      .requiredOption('-i, --index <file>', 'an index to search (repeatable; globs such as \'shards/*.ream\' are expanded)', collect)
      .option('-k <n>', 'hits per query', positiveInt, 10)
      .option('--offset <n>', 'skip the first n hits (paging)', nonNegativeInt, 0)
      .option('--group-by <field>', 'one hit per document (the best page); only `doc`')
      .option('--analyzer <name>', 'fail unless the indexes were built with this analyzer')
      .option('--verify', 'check the whole-file checksum of every index first (slower on big indexes)')
      .option('--no-snippet', 'leave out snippets even when the index stores text')
      .addOption(
        new Option('--cache <size>', 'postings and positions kept between queries (batch mode), shared by the indexes')
          .argParser(byteSize)
          .default(PART_CACHE_BYTES, '128M'),
      )
      .option('--threads <n>', 'threads matching a phrase whose rarest word is on many pages, in batch mode (default: 2 on two cores or more, 1 for a query given as arguments); each keeps its own --cache', positiveInt)
      .addHelpText(
        'after',
        examples(
          'ream search -i docs.ream \'index format\' -k 5',
          'ream search -i \'shards/*.ream\' \'"exact phrase" -draft doc:report*\'',
          'printf \'{"query":"merge"}\\n{"query":"bm25 OR tfidf"}\\n\' | ream search -i docs.ream',
        ),
      );
  },

  async run(ctx, args, opts) {
    if (opts.groupBy !== undefined && opts.groupBy !== 'doc') throw new UsageError(`--group-by ${opts.groupBy}: only 'doc' is supported`);
    const paths = expandIndexPaths(opts.index);
    const readers: IndexReader[] = [];
    try {
      for (const p of paths) readers.push(IndexReader.open(p, { cacheBytes: Math.floor(opts.cache / paths.length) }));
      const analyzerId = readers[0]!.analyzer;
      for (const r of readers) {
        if (r.analyzer !== analyzerId) throw new UsageError(`${r.path} was built with analyzer ${r.analyzer}, ${readers[0]!.path} with ${analyzerId}; search indexes of one analyzer together`);
      }
      if (opts.analyzer !== undefined && getAnalyzer(opts.analyzer).id !== analyzerId) {
        throw new UsageError(`${readers[0]!.path} was built with analyzer ${analyzerId}, not ${getAnalyzer(opts.analyzer).id}`);
      }
      let analyzer: Analyzer;
      try {
        analyzer = getAnalyzer(analyzerId);
      } catch {
        throw new UsageError(`${readers[0]!.path} was built with analyzer ${analyzerId}, which this ream does not know`);
      }
      if (opts.verify) for (const r of readers) r.verify();
      // a second thread helps from a process's second large phrase on: never for one query
      const searcher = new Searcher(readers, { threads: opts.threads ?? (args.length > 0 ? 1 : defaultSearchThreads()) });
      const snippets = opts.snippet && readers.every((r) => r.storesText);
      // a filter on a field no index stores would match nothing, silently: refused instead
      const fields = [...new Set(['doc', 'page', ...readers.flatMap((r) => r.header.storedFields)])];
      /** `batch`: the {"query": …} record answered, whose fields the hits carry. */
      const answer = (query: string, batch: JsonRecord | undefined, where: string): void => {
        const started = process.hrtime.bigint();
        let q;
        try {
          q = parseQuery(query, analyzer);
          const unknown = q.filters.find((f) => !fields.includes(f.field));
          if (unknown) throw new QueryError(`${unknown.field}: not a field of this index (its fields: ${fields.join(', ')}; ream index --store adds fields)`);
        } catch (err) {
          if (!(err instanceof QueryError)) throw err;
          if (!batch) throw new UsageError(`query: ${err.message}`);
          ctx.report.fail(where, `query: ${err.message}`, 'bad_query');
          return;
        }
        const hits = searcher.search(q, { k: opts.k, offset: opts.offset, groupByDoc: opts.groupBy === 'doc' });
        ctx.metrics.count('search_queries_total');
        ctx.metrics.count('search_hits_total', hits.length);
        const snip = snippets ? new Snippets(q, analyzer) : undefined;
        hits.forEach((h, i) => {
          const out: Record<string, unknown> = { doc: h.doc.doc };
          if (h.doc.page !== null) out.page = h.doc.page;
          out.score = h.score;
          out.rank = opts.offset + i + 1;
          if (h.pages !== undefined) out.pages = h.pages;
          if (h.doc.fields) Object.assign(out, JSON.parse(h.doc.fields), { doc: out.doc });
          if (paths.length > 1) out.index = paths[h.index];
          // An empty text (a page without any, or an index built with --store text but fed no text) has no snippet.
          if (snip && h.doc.text) out.snippet = snip.make(h.doc.text);
          // The query record's fields (query, an id…) tag each hit; a hit's own fields win.
          if (batch) for (const [key, value] of Object.entries(batch)) if (!(key in out)) out[key] = value;
          ctx.out.write(out);
        });
        ctx.metrics.observe('search_query_seconds', Number(process.hrtime.bigint() - started) / 1e9);
      };
      if (args.length > 0) answer(args.join(' '), undefined, '');
      else await answerBatch(ctx, answer);
    } finally {
      for (const r of readers) r.close();
    }
  },
};

async function answerBatch(ctx: RunContext, answer: (query: string, batch: JsonRecord, where: string) => void): Promise<void> {
  await readRecords(ctx, [], (record, where) => {
    const w = `${where.source}:${where.line}`;
    if (typeof record.query !== 'string') return ctx.report.fail(w, 'record has no "query" string', 'bad_record');
    answer(record.query, record, w);
  });
}
