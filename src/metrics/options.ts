// The metrics options every command has (`--metrics FILE|DIR/`, `--metrics-interval SECONDS`). This
// file is all the dispatcher loads: the writer and the catalog are imported only when --metrics is
// given, so a run without it pays nothing at start-up.
import type { Command } from 'commander';
import { positiveNumber } from '../cli/command.js';
import type { RunContext } from '../stream/context.js';
import type { MetricsFile } from './file.js';

export interface MetricsOptions {
  metrics?: string;
  metricsInterval?: number;
}

export const DEFAULT_INTERVAL_SECONDS = 15;

const files = new WeakMap<RunContext, MetricsFile>();

export function addMetricsOptions(cmd: Command): void {
  cmd
    .option('--metrics <FILE|DIR/>', 'write Prometheus metrics at exit (atomically); DIR/ writes DIR/<command>-<host>-<pid>.prom; %p %h %c in FILE become pid, host, command')
    .option('--metrics-interval <SECONDS>', `with --metrics, also write every SECONDS while running (default ${DEFAULT_INTERVAL_SECONDS})`, positiveNumber);
}

/** Prepares the metrics file (and its interval writes) before the run, when --metrics is given. */
export async function startMetrics(ctx: RunContext, opts: MetricsOptions): Promise<void> {
  if (opts.metrics === undefined) return;
  const { MetricsFile } = await import('./file.js');
  files.set(ctx, new MetricsFile(ctx, opts.metrics, opts.metricsInterval ?? DEFAULT_INTERVAL_SECONDS));
}

/** The metrics file of this run, if --metrics was given (`ream metrics --sum` replaces what it holds). */
export function metricsFileOf(ctx: RunContext): MetricsFile | undefined {
  return files.get(ctx);
}

/** Writes the final metrics after the run; returns the exit status (1 if they could not be written). */
export async function finishMetrics(ctx: RunContext, status: number): Promise<number> {
  const file = files.get(ctx);
  if (!file) return status;
  files.delete(ctx);
  return file.finish(status);
}
