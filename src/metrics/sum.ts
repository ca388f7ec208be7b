// `ream metrics --sum`: adds metrics files (say one per process from `--metrics DIR/`) into one.
// Counters, histograms and untyped samples with the same name and labels are added; gauges too,
// except timestamps (`*_timestamp_seconds`, or `combine: 'max'` in the catalog), which keep the
// latest. Files that disagree on a family's HELP or TYPE, or on a histogram's buckets, are refused:
// the result would be wrong, and node_exporter would drop such series silently.
import { CATALOG, PREFIX } from './catalog.js';
import type { Family, Sample } from './exposition.js';

export class SumError extends Error {
  override name = 'SumError';
}

export interface MetricsInput {
  readonly source: string;
  readonly families: readonly Family[];
}

export function sumMetrics(inputs: readonly MetricsInput[]): Family[] {
  const result = new Map<string, { family: Family; source: string; series: Map<string, Sample>; buckets: Map<string, string> }>();
  for (const { source, families } of inputs) {
    for (const f of families) {
      let entry = result.get(f.name);
      if (!entry) {
        entry = { family: { name: f.name, help: f.help, type: f.type, samples: [] }, source, series: new Map(), buckets: new Map() };
        result.set(f.name, entry);
      } else if (entry.family.help !== f.help || entry.family.type !== f.type) {
        throw new SumError(`${f.name}: ${source} has TYPE ${f.type} and HELP ${JSON.stringify(f.help)}, ${entry.source} has TYPE ${entry.family.type} and HELP ${JSON.stringify(entry.family.help)}`);
      }
      if (f.type === 'summary' && f.samples.some((s) => s.labels.some(([k]) => k === 'quantile'))) {
        throw new SumError(`${f.name} (${source}): summary quantiles cannot be added`);
      }
      if (f.type === 'histogram') checkBuckets(f, source, entry.source, entry.buckets);
      const keepLatest = f.type === 'gauge' && (CATALOG[f.name.slice(PREFIX.length)]?.combine === 'max' || f.name.endsWith('_timestamp_seconds'));
      for (const s of f.samples) {
        const key = `${s.name}${sampleKey(s)}`;
        const seen = entry.series.get(key);
        if (!seen) {
          const copy: Sample = { name: s.name, labels: s.labels, value: s.value };
          entry.series.set(key, copy);
          entry.family.samples.push(copy);
        } else seen.value = keepLatest ? Math.max(seen.value, s.value) : seen.value + s.value;
      }
    }
  }
  return [...result.values()].map((e) => e.family);
}

/** Each histogram series (labels without `le`) must have the same bucket bounds in every file. */
function checkBuckets(f: Family, source: string, firstSource: string, known: Map<string, string>): void {
  const bounds = new Map<string, string[]>();
  for (const s of f.samples) {
    if (s.name !== `${f.name}_bucket`) continue;
    const le = s.labels.find(([k]) => k === 'le')?.[1] ?? '';
    const key = sampleKey({ ...s, labels: s.labels.filter(([k]) => k !== 'le') });
    bounds.set(key, [...(bounds.get(key) ?? []), String(Number(le.replace(/^\+?Inf$/, 'Infinity')))]);
  }
  for (const [key, les] of bounds) {
    const text = les.join(',');
    const earlier = known.get(key);
    if (earlier === undefined) known.set(key, text);
    else if (earlier !== text) throw new SumError(`${f.name}${key}: ${source} has buckets ${text}, ${firstSource} has ${earlier}`);
  }
}

function sampleKey(s: Sample): string {
  const sorted = [...s.labels].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${sorted.map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(',')}}`;
}
