// What a command is handed when it runs: its output, its reporter and its counters. Every command
// gets the same one, so errors, exit codes and metrics work alike everywhere.
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

export interface RunContext {
  readonly command: string;
  readonly out: NdjsonWriter;
  readonly report: Reporter;
  readonly stats: RunStats;
  /** Command-specific counters for --metrics (name → value); see src/metrics. */
  readonly counters: Map<string, number>;
}

export function createContext(command: string, out = new NdjsonWriter(1)): RunContext {
  return {
    command,
    out,
    report: new Reporter(command),
    stats: { recordsIn: 0, bytesIn: 0, startedAt: Date.now() },
    counters: new Map(),
  };
}

/** Adds to a command-specific counter. */
export function count(ctx: RunContext, name: string, by = 1): void {
  ctx.counters.set(name, (ctx.counters.get(name) ?? 0) + by);
}
