// The one way ream reads NDJSON: one JSON object per line, from files or stdin (see sources.ts), with
// bad lines reported as `ream <cmd>: <source>:<line>: <what is wrong>` and skipped (or fatal with
// strict). Blank lines are ignored.
import type { RunContext } from './context.js';
import { jsonOfLine, restoreKey } from './hadoop.js';
import { forEachLine, forEachLineBytes, type LineOptions } from './lines.js';
import { FatalInputError, describeError } from './report.js';
import { sourcesFromArgs, type Source } from './sources.js';

export type JsonRecord = Record<string, unknown>;

/**
 * Where a record came from, and its line as read (without the line end). One object per source,
 * updated in place for every record: copy what you keep. A command that passes records through
 * unchanged writes `where.text` with `ctx.out.writeLine` and skips JSON.stringify.
 */
export interface Where {
  source: string;
  line: number;
  text: string;
}

export interface ReadOptions {
  /** Stop at the first bad line (exit 1) instead of skipping it. */
  strict?: boolean;
  /**
   * A faster parser for the lines it recognizes (e.g. `ream index` leaving a page's tokens inside
   * its line); it returns undefined for any other line, which is then parsed and checked as usual.
   */
  parse?: (line: string) => JsonRecord | undefined;
  /**
   * A handler for the line's bytes (valid UTF-8, no line end), for a command that works on them
   * without parsing (e.g. `ream tokenize` copying members through): true when it took the line as
   * one record; false to have the line parsed and handed to the record handler as usual (and bad
   * lines reported). Not used for keyed input (`--key`). `where.text` is not set for lines it takes.
   */
  rawLine?: (buf: Buffer, start: number, end: number, where: Where) => boolean;
}

export type RecordHandler = (record: JsonRecord, where: Where) => void | Promise<void>;

/** Reads every record of the inputs named by `args` (stdin when empty or `-`). */
export async function readRecords(ctx: RunContext, args: readonly string[] | Source[], handle: RecordHandler, opts: ReadOptions = {}): Promise<void> {
  const sources = isSources(args) ? args : sourcesFromArgs(args);
  const keyed = ctx.streaming?.keyedInput === true;
  const keyField = ctx.streaming?.keyField;
  for (const source of sources) {
    const where: Where = { source: source.name, line: 0, text: '' };
    const bad = (line: number, message: string, reason: string): void => {
      ctx.report.fail(`${source.name}:${line}`, message, reason);
      if (opts.strict) throw new FatalInputError(`${source.name}:${line}: ${message}`);
    };
    const rawLine = keyed ? undefined : opts.rawLine;
    const onLine = (line: string, lineNo: number): void | Promise<void> => {
      if (line.length === 0 || (line.charCodeAt(0) <= 32 && line.trim() === '')) return;
      if (lineNo === 1 && line.startsWith('%PDF-')) {
        // Not records at all: one line for the whole file rather than one per line of it.
        ctx.report.fail(source.name, 'a PDF file, not NDJSON records: extract its text first (ream extract FILE.pdf | ream …)', 'not_ndjson');
        if (opts.strict) throw new FatalInputError(`${source.name}: a PDF file, not NDJSON records`);
        throw new SkipSource();
      }
      const keyedLine = line;
      if (keyed) line = jsonOfLine(line);
      let value: unknown = opts.parse?.(line);
      if (value === undefined) {
        try {
          value = JSON.parse(line);
        } catch (err) {
          return bad(lineNo, `invalid JSON: ${(err as Error).message}`, 'bad_json');
        }
      }
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        return bad(lineNo, 'expected a JSON object', 'not_object');
      }
      if (keyField !== undefined && line !== keyedLine) restoreKey(value as JsonRecord, keyedLine, keyField);
      ctx.stats.recordsIn++;
      where.line = lineNo;
      where.text = line;
      return handle(value as JsonRecord, where);
    };
    const lineOptions: LineOptions = {
      onBytes: (n) => (ctx.stats.bytesIn += n),
      // Whatever is batched goes out before waiting for input: `tail -f | ream filter` shows
      // records as they come, not when 4 KB have piled up.
      onCaughtUp: () => ctx.out.flush(),
      onInvalidUtf8: (lineNo) => bad(lineNo, 'invalid UTF-8, replaced with U+FFFD', 'bad_utf8'),
      onTooLong: (lineNo: number, bytes: number) => bad(lineNo, `line of ${bytes} bytes is longer than the largest string Node can hold, skipped`, 'too_long'),
    };
    try {
      if (rawLine) {
        await forEachLineBytes(
          source,
          (buf, start, end, lineNo) => {
            // Lines that do not start with '{' (blank lines, bad JSON) are left to the usual path.
            if (buf[start] === 0x7b) {
              where.line = lineNo;
              where.text = '';
              if (rawLine(buf, start, end, where)) {
                ctx.stats.recordsIn++;
                return;
              }
            }
            return onLine(buf.toString('utf8', start, end), lineNo);
          },
          lineOptions,
        );
      } else await forEachLine(source, onLine, lineOptions);
    } catch (err) {
      if (err instanceof SkipSource) continue;
      if (isInputError(err)) {
        // Opening errors name the path themselves; a corrupt gzip stream does not.
        const message = describeError(err);
        ctx.report.fail(message.startsWith(source.name) ? '' : source.name, message, 'unreadable');
        if (opts.strict) throw new FatalInputError(message);
        continue;
      }
      throw err;
    }
  }
}

/** Thrown by a line handler to leave the rest of a source unread (already reported). */
class SkipSource extends Error {}

function isSources(args: readonly unknown[]): args is Source[] {
  return args.length > 0 && typeof args[0] === 'object';
}

function isInputError(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException)?.code;
  return code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR' || code === 'ENOTDIR' || code === 'EIO' || code === 'Z_DATA_ERROR' || code === 'Z_BUF_ERROR';
}
