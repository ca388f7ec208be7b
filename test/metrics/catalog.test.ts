import { describe, expect, it } from 'vitest';
import { CATALOG } from '../../src/metrics/catalog.js';
import { render } from '../../src/metrics/exposition.js';
import { snapshot, useCatalogBuckets } from '../../src/metrics/snapshot.js';
import { commands } from '../../src/cli/registry.js';
import { createContext } from '../../src/stream/context.js';
import { NdjsonWriter } from '../../src/stream/output.js';
import { promtoolFindings } from './promtool.js';

// The names other commands record (the list the lead handed out), by type.
const REQUIRED: Record<string, 'counter' | 'gauge' | 'histogram'> = {
  records_in_total: 'counter',
  records_out_total: 'counter',
  bytes_in_total: 'counter',
  bytes_out_total: 'counter',
  failures_total: 'counter',
  run_duration_seconds: 'gauge',
  last_success_timestamp_seconds: 'gauge',
  documents_total: 'counter',
  pages_total: 'counter',
  empty_pages_total: 'counter',
  extract_document_seconds: 'histogram',
  tokens_total: 'counter',
  index_documents_total: 'counter',
  index_terms_total: 'counter',
  index_postings_total: 'counter',
  index_bytes_written_total: 'counter',
  search_queries_total: 'counter',
  search_hits_total: 'counter',
  search_query_seconds: 'histogram',
};

describe('the catalog', () => {
  it('describes every name the commands record, with the agreed type', () => {
    for (const [name, type] of Object.entries(REQUIRED)) expect([name, CATALOG[name]?.type]).toEqual([name, type]);
  });

  it('follows Prometheus naming: counters end in _total, nothing else does, help is one sentence', () => {
    for (const [name, info] of Object.entries(CATALOG)) {
      expect(/^[a-z][a-z0-9_]*$/.test(name), name).toBe(true);
      expect(name.endsWith('_total'), name).toBe(info.type === 'counter');
      expect(info.help, name).toMatch(/^[A-Z].*\.$/);
      if (info.type === 'histogram') expect(info.buckets ?? [], name).toEqual([...(info.buckets ?? [])].sort((a, b) => a - b));
    }
  });

  it('gives every command a snapshot that promtool accepts with no findings, labelled with the command', () => {
    for (const { name } of commands) {
      const ctx = createContext(name, new NdjsonWriter(1));
      useCatalogBuckets(ctx);
      ctx.stats.recordsIn = 3;
      ctx.report.failuresByReason.set('bad_json', 1);
      ctx.metrics.count('pages_total', 2);
      ctx.metrics.observe('search_query_seconds', 0.003);
      ctx.metrics.observe('search_query_seconds', 7);
      const text = render(snapshot(ctx, { status: 1, previousSuccess: 1700000000 }));
      expect(promtoolFindings(text), name).toEqual({ status: 0, findings: '' });
      expect(text).toContain(`ream_records_in_total{command="${name}"} 3\n`);
      expect(text).toContain(`ream_last_success_timestamp_seconds{command="${name}"} 1700000000\n`);
      expect(text).toContain(`ream_search_query_seconds_bucket{command="${name}",le="0.005"} 1\n`);
      expect(text).toContain(`ream_search_query_seconds_bucket{command="${name}",le="+Inf"} 2\n`);
    }
  });

  it('writes a command\'s own metrics as 0 before anything is counted, and the success time only on success', () => {
    const ctx = createContext('extract', new NdjsonWriter(1));
    const text = render(snapshot(ctx, { status: 0, now: 1_700_000_000_500 }));
    expect(text).toContain('ream_documents_total{command="extract"} 0\n');
    expect(text).toContain('ream_extract_document_seconds_count{command="extract"} 0\n');
    expect(text).toContain('ream_last_success_timestamp_seconds{command="extract"} 1700000000.5\n');
    expect(render(snapshot(ctx, { status: 1 }))).not.toContain('last_success');
    expect(promtoolFindings(text).findings).toBe('');
  });
});
