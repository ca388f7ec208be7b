// The `--metrics` file of one run: written every --metrics-interval seconds while the run goes on and
// once more at exit with the final counts and, on success, the success time.
import type { RunContext } from '../stream/context.js';
import { UsageError, describeError, oneLine, writeStderr } from '../stream/report.js';
import { render } from './exposition.js';
import { snapshot, useCatalogBuckets } from './snapshot.js';
import { checkTarget, metricsPath, previousSuccess, writeAtomically } from './textfile.js';

export class MetricsFile {
  readonly path: string;
  /** What the file holds at exit; `ream metrics --sum` replaces it with the summed files. */
  contents: (status?: number) => string;
  private readonly timer: NodeJS.Timeout;
  private readonly earlierSuccess: number | undefined;

  constructor(private readonly ctx: RunContext, target: string, intervalSeconds: number) {
    if (target === '-') throw new UsageError('--metrics -: metrics go to a file (for metrics on stdout, pipe into `ream metrics`)');
    this.path = metricsPath(target, ctx.command);
    checkTarget(this.path, target.endsWith('/'));
    this.earlierSuccess = previousSuccess(this.path, ctx.command);
    useCatalogBuckets(ctx);
    this.contents = (status) => render(snapshot(ctx, { status, previousSuccess: this.earlierSuccess }));
    this.timer = setInterval(() => this.write(), intervalSeconds * 1000);
    this.timer.unref();
    process.once('SIGINT', this.onSignal).once('SIGTERM', this.onSignal);
  }

  /**
   * Interrupted (Ctrl-C, `timeout`, a killed make): send the records already batched (so the
   * metrics' records_out is true), write the metrics, then die of the same signal.
   */
  private readonly onSignal = (signal: NodeJS.Signals): void => {
    this.stopWatching();
    try {
      this.ctx.out.flush();
    } catch {
      // reader gone: the metrics still say what was counted
    }
    this.write();
    process.kill(process.pid, signal);
  };

  private stopWatching(): void {
    clearInterval(this.timer);
    process.off('SIGINT', this.onSignal).off('SIGTERM', this.onSignal);
  }

  /** The final write; a failure to write is one line on stderr and exit status 1. */
  finish(status: number): number {
    this.stopWatching();
    return this.write(status) ? status : Math.max(status, 1);
  }

  private write(status?: number): boolean {
    try {
      writeAtomically(this.path, this.contents(status));
      return true;
    } catch (err) {
      writeStderr(`ream ${this.ctx.command}: --metrics: ${oneLine(describeError(err))}`);
      return false;
    }
  }
}
