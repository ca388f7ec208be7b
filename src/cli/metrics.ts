// `ream metrics`: Prometheus metrics about any NDJSON stream (record counts by --by fields, sums,
// histograms), printed at end of input, or with --tee passed through while the metrics go to
// --metrics FILE, --serve HOST:PORT and/or --push URL. `--sum FILES…` adds metrics files into one.
import { readFileSync, readdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { Option, InvalidArgumentError, type Command } from 'commander';
import { collect, examples, positiveInt, type CommandModule } from './command.js';
import type { RunContext } from '../stream/context.js';
import { readRecords } from '../stream/ndjson.js';
import { statOrUndefined } from '../stream/atomic.js';
import { FatalInputError, UsageError, describeError } from '../stream/report.js';
import { DEFAULT_BUCKETS } from '../stream/context.js';
import { ExpositionError, parse, render } from '../metrics/exposition.js';
import { metricsFileOf } from '../metrics/options.js';
import { pushMetrics } from '../metrics/push.js';
import { parseListenAddress, serveMetrics, type MetricsServer } from '../metrics/serve.js';
import { snapshot, useCatalogBuckets } from '../metrics/snapshot.js';
import { StreamMetrics } from '../metrics/stream.js';
import { SumError, sumMetrics, type MetricsInput } from '../metrics/sum.js';

interface MetricsOpts {
  by?: string[];
  sum?: string[];
  histogram?: string[];
  buckets?: number[];
  maxSeries: number;
  tee?: boolean;
  serve?: string;
  push?: string;
  job: string;
  instance?: string;
}

function bucketList(value: string): number[] {
  const bounds = value.split(',').map((v) => Number(v.trim()));
  if (bounds.length === 0 || bounds.some((b) => !Number.isFinite(b))) throw new InvalidArgumentError('expected numbers separated by commas, such as 0.1,1,10');
  if (bounds.some((b, i) => i > 0 && b <= bounds[i - 1]!)) throw new InvalidArgumentError('bucket bounds must increase');
  return bounds;
}

/** `--sum` names metrics files (`*.prom`, `DIR/`) rather than fields. */
function isMetricsFileName(value: string): boolean {
  return value.endsWith('.prom') || value.endsWith('/');
}

function isDirectory(path: string): boolean {
  return statOrUndefined(path)?.isDirectory() === true;
}

export const command: CommandModule<MetricsOpts> = {
  configure(cmd: Command) {
    cmd
      .argument('[files...]', 'NDJSON inputs (default: stdin); with --sum, more metrics files')
      .option('--by <FIELD>', 'count records by the values of FIELD, as a label (repeatable)', collect)
      .option('--sum <FIELD|FILE.prom|DIR/>', 'sum a numeric FIELD (repeatable); given metrics files (*.prom, DIR/), add those files into one', collect)
      .option('--histogram <FIELD>', 'histogram of a numeric FIELD (repeatable)', collect)
      .option('--buckets <LIST>', `histogram bucket upper bounds (default ${DEFAULT_BUCKETS.join(',')})`, bucketList)
      .addOption(new Option('--max-series <N>', 'at most N label sets from --by; past N: one error line, exit 1, new values not counted').argParser(positiveInt).default(1000))
      .option('--tee', 'pass the records through to stdout; metrics go to --metrics, --serve, --push')
      .option('--serve <HOST:PORT>', 'serve a live /metrics page while the input is read (host 127.0.0.1 unless given)')
      .option('--push <URL>', 'push the metrics to a Prometheus Pushgateway at end of input')
      .addOption(new Option('--job <NAME>', 'Pushgateway job label').default('ream'))
      .option('--instance <NAME>', 'Pushgateway instance label (default: host name)')
      .addHelpText(
        'after',
        examples(
          "ream extract pdfs/*.pdf | ream metrics --tee --histogram chars --buckets 0,100,1000,10000 --metrics /var/lib/node_exporter/extract.prom > pages.ndjson",
          'ream metrics --by status --sum bytes < access.ndjson          # metrics text on stdout',
          "ls *.pdf | xargs -P4 -n8 ream extract --metrics m/ > pages.ndjson && ream metrics --sum m/ --metrics /var/lib/node_exporter/ream.prom",
          'long-job | ream metrics --tee --serve :9464 --push http://pushgateway:9091 --job nightly > out.ndjson',
        ),
      );
  },

  async run(ctx, args, opts) {
    const sums = opts.sum ?? [];
    for (const name of sums) {
      // `--sum out` meaning the directory would otherwise be a field name, and the command would wait on stdin.
      if (!isMetricsFileName(name) && isDirectory(name)) throw new UsageError(`--sum ${name}: a directory; write ${name}/ to add the *.prom files in it`);
    }
    if (sums.length > 0 && [...sums, ...args].every(isMetricsFileName)) return sumFiles(ctx, [...sums, ...args], opts);
    if (sums.some(isMetricsFileName)) {
      throw new UsageError('--sum: to add metrics files, name only *.prom files or DIR/ (fields and files cannot be mixed)');
    }
    if (opts.tee && !opts.serve && !opts.push && metricsFileOf(ctx) === undefined) {
      // stdout carries the records then: the metrics would go nowhere.
      throw new UsageError('--tee passes the records through to stdout: give --metrics FILE, --serve or --push for the metrics');
    }
    useCatalogBuckets(ctx);
    const stream = new StreamMetrics(ctx.metrics, {
      by: opts.by ?? [],
      sum: sums,
      histogram: opts.histogram ?? [],
      buckets: opts.buckets ?? DEFAULT_BUCKETS,
      maxSeries: opts.maxSeries,
    });
    const server = opts.serve ? await serveMetrics(parseListenAddress(opts.serve), () => render(snapshot(ctx))) : undefined;
    let uncounted = 0;
    try {
      await readRecords(ctx, args, (record, where) => {
        const counted = stream.add(record);
        if (!counted.ok) {
          if (counted.reason !== 'too_many_series') ctx.report.fail(`${where.source}:${where.line}`, counted.message, counted.reason);
          else if (uncounted++ === 0) ctx.report.fail('', counted.message, counted.reason);
        }
        if (opts.tee) ctx.out.write(record);
      });
    } finally {
      await closeQuietly(server);
    }
    if (uncounted > 1) ctx.report.warn(`${uncounted} records in label sets past --max-series were not counted`);
    const text = () => render(snapshot(ctx, { status: ctx.report.exitCode }));
    if (opts.push) await push(ctx, opts, text());
    if (!opts.tee) writeText(ctx, text());
  },
};

async function sumFiles(ctx: RunContext, names: string[], opts: MetricsOpts): Promise<void> {
  if (opts.by || opts.histogram || opts.tee || opts.serve) throw new UsageError('--sum FILES adds metrics files; --by, --histogram, --tee and --serve do not apply');
  const inputs: MetricsInput[] = [];
  for (const name of names.flatMap(expandDirectory)) {
    try {
      inputs.push({ source: name, families: parse(readFileSync(name, 'utf8'), name) });
      ctx.stats.recordsIn++;
    } catch (err) {
      ctx.report.fail('', err instanceof ExpositionError ? err.message : describeError(err), err instanceof ExpositionError ? 'bad_metrics' : 'unreadable');
    }
  }
  let text: string;
  try {
    text = render(sumMetrics(inputs));
  } catch (err) {
    if (!(err instanceof SumError)) throw err;
    ctx.report.fail('', `cannot add: ${err.message}`, 'mismatch');
    throw new FatalInputError(err.message);
  }
  if (opts.push) await push(ctx, opts, text);
  const file = metricsFileOf(ctx);
  if (file) file.contents = () => text;
  else writeText(ctx, text);
}

/** `DIR/` stands for the *.prom files in it, in name order. */
function expandDirectory(name: string): string[] {
  if (!name.endsWith('/')) return [name];
  try {
    return readdirSync(name)
      .filter((f) => f.endsWith('.prom'))
      .sort()
      .map((f) => join(name, f));
  } catch (err) {
    throw new UsageError(`--sum ${describeError(err)}`);
  }
}

async function push(ctx: RunContext, opts: MetricsOpts, text: string): Promise<void> {
  try {
    await pushMetrics(opts.push!, [['job', opts.job], ['instance', opts.instance ?? hostname()]], text);
  } catch (err) {
    ctx.report.fail('', (err as Error).message, 'push_failed');
  }
}

/** Metrics text on stdout, through the one writer (whole lines, EPIPE handled). */
function writeText(ctx: RunContext, text: string): void {
  for (const line of text.split('\n')) if (line !== '') ctx.out.writeLine(line);
}

async function closeQuietly(server: MetricsServer | undefined): Promise<void> {
  if (server) await server.close();
}
