// A run's metrics as Prometheus families: the counters every command has (from ctx.stats, ctx.out
// and ctx.report), then the command's own (ctx.metrics), each named `ream_<name>`, described by the
// catalog, and labelled with the command.
import type { HistogramSeries, Labels, RunContext } from '../stream/context.js';
import { CATALOG, PREFIX, catalogBuckets, describeMetric } from './catalog.js';
import { formatValue, type Family, type LabelPairs, type Sample } from './exposition.js';

export interface SnapshotOptions {
  /** The exit status once the run is over; undefined while it runs. */
  status?: number;
  /** Unix seconds of an earlier success (from the file being replaced), kept when this run failed. */
  previousSuccess?: number;
  /** Clock, ms since the epoch (tests). */
  now?: number;
}

/** Makes the command's histograms use the catalog's buckets; call before the run observes anything. */
export function useCatalogBuckets(ctx: RunContext): void {
  for (const [name, bounds] of catalogBuckets()) if (!ctx.metrics.buckets.has(name)) ctx.metrics.buckets.set(name, bounds);
}

export function snapshot(ctx: RunContext, opts: SnapshotOptions = {}): Family[] {
  const now = opts.now ?? Date.now();
  const command: [string, string] = ['command', ctx.command];
  const families: Family[] = [];
  const family = (name: string, histogram = false): Family => {
    const info = describeMetric(name, histogram);
    const f: Family = { name: PREFIX + name, help: info.help, type: info.type, samples: [] };
    families.push(f);
    return f;
  };
  const single = (name: string, value: number): void => {
    family(name).samples.push({ name: PREFIX + name, labels: [command], value });
  };

  single('records_in_total', ctx.stats.recordsIn);
  single('records_out_total', ctx.out.recordsOut);
  single('bytes_in_total', ctx.stats.bytesIn);
  single('bytes_out_total', ctx.out.bytesOut);
  if (ctx.report.failuresByReason.size > 0) {
    const f = family('failures_total');
    for (const [reason, n] of [...ctx.report.failuresByReason].sort(([a], [b]) => (a < b ? -1 : 1))) {
      f.samples.push({ name: f.name, labels: [command, ['reason', reason]], value: n });
    }
  }
  single('run_duration_seconds', Math.max(0, (now - ctx.stats.startedAt) / 1000));
  const lastSuccess = opts.status === 0 ? now / 1000 : opts.previousSuccess;
  if (lastSuccess !== undefined) single('last_success_timestamp_seconds', lastSuccess);

  const counted = new Set<string>();
  for (const [name, series] of ctx.metrics.counters) {
    counted.add(name);
    const f = family(name);
    for (const [key, value] of series) f.samples.push({ name: f.name, labels: [command, ...pairs(key)], value });
  }
  for (const [name, series] of ctx.metrics.histograms) {
    counted.add(name);
    const f = family(name, true);
    for (const h of series.values()) f.samples.push(...histogramSamples(f.name, [command, ...sortedPairs(h.labels)], h));
  }
  // The command's own metrics exist from the first write, as 0, even before anything was counted.
  for (const [name, info] of Object.entries(CATALOG)) {
    if (counted.has(name) || !info.commands?.includes(ctx.command)) continue;
    const f = family(name);
    if (info.type === 'histogram') {
      const bounds = info.buckets ?? [];
      f.samples.push(...histogramSamples(f.name, [command], { labels: {}, bounds, counts: new Array<number>(bounds.length + 1).fill(0), sum: 0, count: 0 }));
    } else f.samples.push({ name: f.name, labels: [command], value: 0 });
  }
  return families;
}

function histogramSamples(name: string, labels: LabelPairs, h: HistogramSeries): Sample[] {
  const samples: Sample[] = [];
  let cumulative = 0;
  h.bounds.forEach((le, i) => {
    cumulative += h.counts[i]!;
    samples.push({ name: `${name}_bucket`, labels: [...labels, ['le', formatValue(le)]], value: cumulative });
  });
  samples.push({ name: `${name}_bucket`, labels: [...labels, ['le', '+Inf']], value: h.count });
  samples.push({ name: `${name}_sum`, labels, value: h.sum });
  samples.push({ name: `${name}_count`, labels, value: h.count });
  return samples;
}

function pairs(key: string): [string, string][] {
  return key === '' ? [] : (JSON.parse(key) as [string, string][]);
}

function sortedPairs(labels: Labels): [string, string][] {
  return Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}
