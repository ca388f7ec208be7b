// CSV/TSV with a header row → one plain object per row, via csv-parse. Values stay strings unless
// typing is asked for, and then only numbers that survive a round trip become numbers ("007" and
// "1e999" stay strings). A row whose field count differs from the header's is reported with its line
// number and skipped; the rest of the file is still read.
import { parse, type CastingContext, type CsvError, type Options } from 'csv-parse';
import { Readable } from 'node:stream';
import type { RunContext } from '../stream/context.js';
import { FatalInputError, UsageError, describeError } from '../stream/report.js';
import { sourcesFromArgs } from '../stream/sources.js';

export interface CsvOptions {
  /** One character; `\t` or `tab` for a tab. Default `,`. */
  delimiter?: string;
  /** One character, or '' for no quoting at all. Default `"`. */
  quote?: string;
  /** Turn number-looking values into JSON numbers. */
  typed?: boolean;
  /** Stop at the first bad row. */
  strict?: boolean;
}

export type Row = Record<string, string | number>;
export type RowHandler = (row: Row) => void;

const NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/** The value as a number when it is written as one and converts exactly; otherwise the string. */
export function typedValue(value: string): string | number {
  if (!NUMBER.test(value)) return value;
  const n = Number(value);
  return Number.isFinite(n) ? n : value;
}

/** One character from an option value (`\t`, `tab` allowed); throws UsageError otherwise. */
export function singleChar(value: string, what: string, allowEmpty = false): string {
  const named: Record<string, string> = { '\\t': '\t', tab: '\t', '\\|': '|' };
  const c = named[value] ?? value;
  if (c.length === 1 || (allowEmpty && c === '')) return c;
  throw new UsageError(`${what} must be one character${allowEmpty ? " (or '' for none)" : ''}, got ${JSON.stringify(value)}`);
}

/** Reads every row of the inputs named by `args` (stdin when empty or `-`). */
export async function readCsvRows(ctx: RunContext, args: readonly string[], handle: RowHandler, opts: CsvOptions = {}): Promise<void> {
  const delimiter = singleChar(opts.delimiter ?? ',', 'the delimiter');
  const quote = singleChar(opts.quote ?? '"', 'the quote', true);
  if (delimiter === quote) throw new UsageError('the delimiter and the quote must differ');
  for (const source of sourcesFromArgs(args)) {
    let header: string[] | undefined;
    let firstBadLine: number | undefined;
    const skipped = (err: CsvError | undefined): undefined => {
      if (!err || firstBadLine !== undefined) return undefined; // under --strict, only the first counts
      const e = err as CsvError & { lines?: number; record?: unknown[] };
      let message: string;
      if (e.code === 'CSV_RECORD_INCONSISTENT_COLUMNS' && Array.isArray(e.record) && header) {
        message = `row has ${e.record.length} field${e.record.length === 1 ? '' : 's'}, the header has ${header.length}; skipped`;
      } else message = `${e.message.replace(/^Invalid [A-Za-z ]+: /, '').replace(/ at line \d+$| on line \d+$/, '')}; skipped`;
      ctx.report.fail(`${source.name}:${e.lines ?? '?'}`, message, 'bad_csv');
      // Under --strict, the rows before this one (maybe still buffered in the parser) are kept.
      if (opts.strict) firstBadLine ??= e.lines ?? 0;
      return undefined;
    };
    const options: Options = {
      delimiter,
      quote: quote === '' ? false : quote,
      bom: true,
      // Both, whatever the first line used: spreadsheets exports and hand edits mix them.
      record_delimiter: ['\r\n', '\n'],
      columns: (names: string[]) => {
        header = names.map((n) => n.trim());
        const seen = new Set<string>();
        for (const n of header) {
          if (seen.has(n)) {
            const message = `the header names column ${JSON.stringify(n)} twice`;
            ctx.report.fail(`${source.name}:1`, message, 'bad_csv');
            throw new FatalInputError(message); // this file is skipped
          }
          seen.add(n);
        }
        return header;
      },
      relax_quotes: true,
      skip_empty_lines: true,
      skip_records_with_error: true,
      info: true,
      on_skip: skipped,
      cast: opts.typed ? (value: string, context: CastingContext) => (context.header ? value : typedValue(value)) : undefined,
    };
    const parser = parse(options);
    const bytes = Readable.from(
      (async function* () {
        for await (const chunk of source.chunks()) {
          ctx.stats.bytesIn += chunk.length;
          yield chunk;
        }
      })(),
    );
    bytes.on('error', (err) => parser.destroy(err));
    bytes.pipe(parser);
    try {
      for await (const { record, info } of parser as AsyncIterable<{ record: Row; info: { lines: number } }>) {
        if (firstBadLine !== undefined && info.lines > firstBadLine) break;
        ctx.stats.recordsIn++;
        handle(record);
      }
      if (firstBadLine !== undefined) throw new FatalInputError(`${source.name}:${firstBadLine}: bad row`);
    } catch (err) {
      bytes.destroy();
      if (err instanceof FatalInputError) {
        if (opts.strict) throw err; // already reported
        continue;
      }
      const code = (err as NodeJS.ErrnoException).code;
      if (code && /^(ENOENT|EACCES|EISDIR|Z_|CSV_)/.test(code)) {
        const message = describeError(err);
        ctx.report.fail(message.startsWith(source.name) ? '' : source.name, message, code.startsWith('CSV_') ? 'bad_csv' : 'unreadable');
        if (opts.strict) throw new FatalInputError(message);
        continue;
      }
      throw err;
    }
  }
}
