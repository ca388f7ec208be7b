// The metrics index and merge record about the file they wrote.
import type { RunContext } from '../stream/context.js';
import type { Stats } from './codec/layout.js';

export function recordIndexMetrics(ctx: RunContext, s: Stats & { bytes: number }): void {
  ctx.metrics.count('index_documents_total', s.docCount);
  ctx.metrics.count('index_terms_total', s.termCount);
  ctx.metrics.count('index_postings_total', s.postingCount);
  ctx.metrics.count('index_bytes_written_total', s.bytes);
}
