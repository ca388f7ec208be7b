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

/**
 * A command's own measurements, kept in memory and turned into Prometheus text by src/metrics when
 * --metrics is asked for. Names are snake_case without the `ream_` prefix; counters end in
 * `_total`; units are base units (`_seconds`, `_bytes`). Every name must be described in
 * src/metrics/catalog.ts so HELP/TYPE stay identical across processes.
 */
export class CommandMetrics {
  /** name → serialized labels → value */
  readonly counters = new Map<string, Map<string, number>>();
  /** name → samples (histogram observations; bucketed on output) */
  readonly samples = new Map<string, number[]>();

  count(name: string, by = 1, labels?: Labels): void {
    let series = this.counters.get(name);
    if (!series) this.counters.set(name, (series = new Map()));
    const key = labels ? JSON.stringify(Object.entries(labels).sort()) : '';
    series.set(key, (series.get(key) ?? 0) + by);
  }

  observe(name: string, value: number): void {
    let list = this.samples.get(name);
    if (!list) this.samples.set(name, (list = []));
    list.push(value);
  }
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
