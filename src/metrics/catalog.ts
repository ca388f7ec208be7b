// Every metric name ream writes, described once. HELP and TYPE must be identical in every file and
// every process: node_exporter's textfile collector silently drops series whose name appears in two
// files with different HELP/TYPE, and `ream metrics --sum` refuses such files. Names here have no
// `ream_` prefix (added on output, with a `command` label); docs/metrics.md lists the same table.

export type MetricType = 'counter' | 'gauge' | 'histogram';

export interface MetricInfo {
  readonly type: MetricType;
  readonly help: string;
  /** Histogram upper bounds (base units). */
  readonly buckets?: readonly number[];
  /** Commands that always write this metric (as 0 when nothing was counted), so it exists from the first scrape. */
  readonly commands?: readonly string[];
  /** How `--sum` combines gauges from several files: add them (default) or keep the largest. */
  readonly combine?: 'sum' | 'max';
}

export const PREFIX = 'ream_';

const DOCUMENT_SECONDS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
const QUERY_SECONDS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

export const CATALOG: Readonly<Record<string, MetricInfo>> = {
  // every command (recorded by the dispatcher from ctx.stats, ctx.out and ctx.report)
  records_in_total: { type: 'counter', help: 'Records (or input items: files, paths, queries) read.' },
  records_out_total: { type: 'counter', help: 'Records written to standard output.' },
  bytes_in_total: { type: 'counter', help: 'Bytes read from the inputs, after decompression.' },
  bytes_out_total: { type: 'counter', help: 'Bytes written to standard output.' },
  failures_total: { type: 'counter', help: 'Inputs that failed and were skipped, by reason.' },
  run_duration_seconds: { type: 'gauge', help: 'Wall-clock duration of the run (so far, while it runs).' },
  last_success_timestamp_seconds: { type: 'gauge', help: 'Unix time at which the command last finished with exit status 0.', combine: 'max' },

  // extract
  documents_total: { type: 'counter', help: 'PDF documents opened by extract.', commands: ['extract'] },
  pages_total: { type: 'counter', help: 'Pages extracted.', commands: ['extract'] },
  empty_pages_total: { type: 'counter', help: 'Pages extracted with no text (scanned images, blank pages).', commands: ['extract'] },
  suspect_pages_total: { type: 'counter', help: 'Pages that drew glyphs but gave almost no usable text (flagged suspect).', commands: ['extract'] },
  extract_document_seconds: { type: 'histogram', help: 'Time to extract one document.', buckets: DOCUMENT_SECONDS, commands: ['extract'] },

  // tokenize
  tokens_total: { type: 'counter', help: 'Tokens produced.', commands: ['tokenize'] },

  // index / merge
  index_documents_total: { type: 'counter', help: 'Documents written into index files.', commands: ['index', 'merge'] },
  index_terms_total: { type: 'counter', help: 'Distinct terms written into index files.', commands: ['index', 'merge'] },
  index_postings_total: { type: 'counter', help: 'Postings (term, page) written into index files.', commands: ['index', 'merge'] },
  index_bytes_written_total: { type: 'counter', help: 'Bytes of index files written.', commands: ['index', 'merge'] },

  // search
  search_queries_total: { type: 'counter', help: 'Queries answered.', commands: ['search'] },
  search_hits_total: { type: 'counter', help: 'Hits returned.', commands: ['search'] },
  search_query_seconds: { type: 'histogram', help: 'Time to answer one query.', buckets: QUERY_SECONDS, commands: ['search'] },

  // metrics (the filter over any NDJSON stream; labels: the --by fields, and `field` for sums and histograms)
  stream_records_total: { type: 'counter', help: 'Records seen by ream metrics, by the --by fields.' },
  stream_field_sum_total: { type: 'counter', help: 'Sum of a numeric field (--sum FIELD, values >= 0) over the records seen.' },
  stream_field_value: { type: 'histogram', help: 'Distribution of a numeric field (--histogram FIELD) over the records seen.' },
};

/** The description of a name, or one inferred from its suffix for names nobody catalogued yet. */
export function describeMetric(name: string, histogram = false): MetricInfo {
  const known = CATALOG[name];
  if (known) return known;
  const type: MetricType = histogram ? 'histogram' : name.endsWith('_total') ? 'counter' : 'gauge';
  return { type, help: `${name.replace(/_/g, ' ')} (not yet in ream's catalog).` };
}

/** Bucket bounds for the histograms in the catalog, to hand to CommandMetrics.buckets. */
export function catalogBuckets(): [string, readonly number[]][] {
  return Object.entries(CATALOG).flatMap(([name, info]) => (info.buckets ? [[name, info.buckets] as [string, readonly number[]]] : []));
}
