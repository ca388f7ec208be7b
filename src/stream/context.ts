// What a command is handed when it runs: its output, its reporter and its counters. Every command
// gets the same one, so errors, exit codes and metrics work alike everywhere.
import type { StreamingForm } from './hadoop.js';
import { NdjsonWriter } from './output.js';
import { Reporter } from './report.js';

export interface RunStats {
  /** Records (or input items: files, paths, queries) read. */
  recordsIn: number;
  /** Bytes read from inputs, after decompression. */
  bytesIn: number;
  /** Wall-clock start, ms since the epoch. */
  readonly startedAt: number;
}

export type Labels = Readonly<Record<string, string>>;

/** Prometheus's default histogram buckets, used for names whose buckets nobody set. */
export const DEFAULT_BUCKETS: readonly number[] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** One histogram series, bucketed as observed (constant memory however many observations). */
export interface HistogramSeries {
  readonly labels: Labels;
  /** Upper bounds, ascending, without +Inf. */
  readonly bounds: readonly number[];
  /** Observations per bucket (not cumulative); the last slot is the +Inf bucket. */
  readonly counts: number[];
  sum: number;
  count: number;
}

/**
 * A command's own measurements, kept in memory and turned into Prometheus text by src/metrics when
 * --metrics is asked for. Names are snake_case without the `ream_` prefix; counters end in
 * `_total`; units are base units (`_seconds`, `_bytes`). Every name must be described in
 * src/metrics/catalog.ts so HELP/TYPE stay identical across processes.
 */
export class CommandMetrics {
  /** name → serialized labels → value */
  readonly counters = new Map<string, Map<string, number>>();
  /** name → serialized labels → histogram */
  readonly histograms = new Map<string, Map<string, HistogramSeries>>();
  /** Bucket bounds by name; src/metrics fills it from the catalog when metrics are asked for. */
  readonly buckets = new Map<string, readonly number[]>();

  count(name: string, by = 1, labels?: Labels): void {
    let series = this.counters.get(name);
    if (!series) this.counters.set(name, (series = new Map()));
    const key = labelKey(labels);
    series.set(key, (series.get(key) ?? 0) + by);
  }

  observe(name: string, value: number, labels?: Labels): void {
    let series = this.histograms.get(name);
    if (!series) this.histograms.set(name, (series = new Map()));
    const key = labelKey(labels);
    let h = series.get(key);
    if (!h) {
      const bounds = this.buckets.get(name) ?? DEFAULT_BUCKETS;
      series.set(key, (h = { labels: labels ?? {}, bounds, counts: new Array<number>(bounds.length + 1).fill(0), sum: 0, count: 0 }));
    }
    let i = 0;
    while (i < h.bounds.length && value > h.bounds[i]!) i++;
    h.counts[i]!++;
    h.sum += value;
    h.count++;
  }
}

/** Labels as a map key: sorted `[name, value]` pairs as JSON ('' for none). */
export function labelKey(labels?: Labels): string {
  if (!labels) return '';
  const entries = Object.entries(labels);
  return entries.length === 0 ? '' : JSON.stringify(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export interface RunContext {
  readonly command: string;
  readonly out: NdjsonWriter;
  readonly report: Reporter;
  readonly stats: RunStats;
  readonly metrics: CommandMetrics;
  /** Hadoop Streaming's `key<TAB>json` lines and counters (`--key`, `--hadoop-counters`); set by the dispatcher. */
  streaming?: StreamingForm;
}

export function createContext(command: string, out = new NdjsonWriter(1)): RunContext {
  return {
    command,
    out,
    report: new Reporter(command),
    stats: { recordsIn: 0, bytesIn: 0, startedAt: Date.now() },
    metrics: new CommandMetrics(),
  };
}
