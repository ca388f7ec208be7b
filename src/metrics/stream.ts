// What `ream metrics` counts about any NDJSON stream: records by the values of --by fields (as
// labels), sums of numeric fields (--sum) and their distributions (--histogram, bucketed as they
// arrive, so memory stays constant). Label sets are bounded by --max-series: a field with a value
// per record (an id, a path) would otherwise make a series per record and swamp Prometheus.
import type { CommandMetrics, Labels } from '../stream/context.js';
import type { JsonRecord } from '../stream/ndjson.js';
import { UsageError } from '../stream/report.js';
import { LABEL_NAME } from './exposition.js';

export interface StreamMetricsOptions {
  by: readonly string[];
  sum: readonly string[];
  histogram: readonly string[];
  buckets: readonly number[];
  maxSeries: number;
}

export type Counted = { ok: true } | { ok: false; reason: 'too_many_series' | 'not_number' | 'negative'; message: string };

/** Labels that ream itself sets; a --by field may not take their names. */
const RESERVED_LABELS = new Set(['command', 'field', 'le', 'job', 'instance', 'quantile']);

/** A field name as a Prometheus label name: `file.name` → `file_name`, `2nd` → `_2nd`. */
export function labelName(field: string): string {
  const name = field.replace(/[^a-zA-Z0-9_]/g, '_').replace(/^(?=[0-9])/, '_');
  if (!LABEL_NAME.test(name) || name.startsWith('__')) throw new UsageError(`--by ${field}: cannot be a label name (${name})`);
  if (RESERVED_LABELS.has(name)) throw new UsageError(`--by ${field}: the label ${name} is ream's own; rename the field first`);
  return name;
}

/** A field's value, by exact key or by a dotted path into nested objects. */
export function fieldValue(record: JsonRecord, field: string): unknown {
  if (field in record) return record[field];
  let value: unknown = record;
  for (const part of field.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

function labelValue(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

export class StreamMetrics {
  private readonly labelNames: string[];
  private readonly seen = new Set<string>();

  constructor(private readonly metrics: CommandMetrics, private readonly opts: StreamMetricsOptions) {
    this.labelNames = opts.by.map(labelName);
    const dup = this.labelNames.find((n, i) => this.labelNames.indexOf(n) !== i);
    if (dup) throw new UsageError(`--by: two fields make the same label name ${dup}`);
    metrics.buckets.set('stream_field_value', opts.buckets);
    // Without --by there is one label set: write it (and the sums) as 0 even for an empty stream.
    if (opts.by.length === 0) {
      metrics.count('stream_records_total', 0);
      for (const field of opts.sum) metrics.count('stream_field_sum_total', 0, { field });
    }
  }

  /** Counts one record; a record whose label set would pass --max-series is not counted at all. */
  add(record: JsonRecord): Counted {
    const labels: Record<string, string> = {};
    this.opts.by.forEach((field, i) => (labels[this.labelNames[i]!] = labelValue(fieldValue(record, field))));
    const key = JSON.stringify(labels);
    if (!this.seen.has(key)) {
      if (this.seen.size >= this.opts.maxSeries) {
        const fields = this.opts.by.join(', ');
        return { ok: false, reason: 'too_many_series', message: `--by ${fields}: more than ${this.opts.maxSeries} label sets (--max-series); records with new values are not counted. Choose fields with fewer distinct values, or raise --max-series` };
      }
      this.seen.add(key);
    }
    // A bad value is reported, but the record still counts, and so do its other fields.
    let bad: Counted | undefined;
    const numbers: [string, number][] = [];
    for (const field of new Set([...this.opts.sum, ...this.opts.histogram])) {
      const value = fieldValue(record, field);
      if (value === undefined || value === null) continue;
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        bad ??= { ok: false, reason: 'not_number', message: `field ${field} is ${JSON.stringify(value)?.slice(0, 40)}, not a number` };
      } else if (value < 0 && this.opts.sum.includes(field)) {
        bad ??= { ok: false, reason: 'negative', message: `field ${field} is ${value}: --sum adds values >= 0 (a counter); use --histogram for signed values` };
      } else numbers.push([field, value]);
    }
    this.metrics.count('stream_records_total', 1, labels);
    for (const [field, value] of numbers) {
      const withField: Labels = { ...labels, field };
      if (this.opts.sum.includes(field)) this.metrics.count('stream_field_sum_total', value, withField);
      if (this.opts.histogram.includes(field)) this.metrics.observe('stream_field_value', value, withField);
    }
    return bad ?? { ok: true };
  }
}
