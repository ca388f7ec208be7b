// Splits byte chunks into lines in linear time whatever the line length: a line that spans many
// chunks is kept as a list of chunks and joined once (split2 re-concatenates and goes quadratic on
// 100 MB lines). Valid UTF-8 (the common case, checked per chunk with buffer.isUtf8) is decoded once
// per chunk; invalid bytes are replaced with U+FFFD and the line is reported.
import { constants, isUtf8 } from 'node:buffer';
import type { Source } from './sources.js';

export interface LineOptions {
  /** 10 for newline-separated input (default), 0 for NUL-separated lists (`find -print0`). */
  delimiter?: number;
  /** Called for a line whose bytes were not valid UTF-8 (it is still passed on, repaired). */
  onInvalidUtf8?: (lineNo: number) => void;
  /** Called for a line too long to become a JavaScript string; it is skipped. */
  onTooLong?: (lineNo: number, bytes: number) => void;
  /** Called with the byte count of every chunk read. */
  onBytes?: (bytes: number) => void;
  /** Called when every line read so far has been handled, before waiting for more input. */
  onCaughtUp?: () => void;
}

export type LineHandler = (line: string, lineNo: number) => void | Promise<void>;

const MAX_LINE_BYTES = constants.MAX_STRING_LENGTH;

/**
 * Calls `handle` for every line of `source`, with its 1-based line number. Trailing `\r` (for
 * newline-delimited input), a UTF-8 BOM on the first line, and a missing final delimiter are handled.
 * Returning a promise from `handle` pauses reading until it settles; throwing stops reading.
 */
export async function forEachLine(source: Source, handle: LineHandler, opts: LineOptions = {}): Promise<void> {
  const delim = opts.delimiter ?? 10;
  const delimChar = String.fromCharCode(delim);
  let lines: string[] = [];
  let invalid: number[] = []; // indexes into `lines` of lines repaired from invalid UTF-8
  let lineNo = 0;

  const decode = (buf: Buffer, start: number, end: number): void => {
    // Decodes buf[start, end) — whole lines separated by delim, without the final delimiter.
    if (isUtf8(buf.subarray(start, end))) {
      const text = buf.toString('utf8', start, end);
      let from = 0;
      for (let at = text.indexOf(delimChar); at !== -1; at = text.indexOf(delimChar, from)) {
        lines.push(text.slice(from, at));
        from = at + 1;
      }
      lines.push(text.slice(from));
      return;
    }
    // Slow path: find the bad lines one by one.
    eachLineOf(buf, start, end, delim, (from, stop) => {
      const bytes = buf.subarray(from, stop);
      if (!isUtf8(bytes)) invalid.push(lines.length);
      lines.push(bytes.toString('utf8'));
    });
  };

  const emit = async (): Promise<void> => {
    const batch = lines;
    const repaired = invalid;
    lines = [];
    invalid = [];
    let nextRepaired = repaired.length > 0 ? repaired[0]! : -1;
    for (let i = 0, seen = 0; i < batch.length; i++) {
      let line = batch[i]!;
      lineNo++;
      if (i === nextRepaired) {
        opts.onInvalidUtf8?.(lineNo);
        nextRepaired = ++seen < repaired.length ? repaired[seen]! : -1;
      }
      if (lineNo === 1 && line.charCodeAt(0) === 0xfeff) line = line.slice(1);
      if (delim === 10 && line.charCodeAt(line.length - 1) === 13) line = line.slice(0, -1);
      const r = handle(line, lineNo);
      if (r !== undefined && typeof (r as Promise<void>).then === 'function') await r;
    }
  };

  await splitLines(source, delim, opts, decode, () => (lines.length > 0 ? emit() : undefined), () => ++lineNo);
}

/** A line as bytes: buf[start, end), valid UTF-8, without its line end. Valid only during the call. */
export type ByteLineHandler = (buf: Buffer, start: number, end: number, lineNo: number) => void | Promise<void>;

/**
 * forEachLine() without decoding: every line as a range of bytes, for a command that works on the
 * bytes themselves. Same line ends, BOM and UTF-8 handling; a line with invalid UTF-8 is reported
 * and handed on repaired (U+FFFD), as forEachLine does.
 */
export async function forEachLineBytes(source: Source, handle: ByteLineHandler, opts: LineOptions = {}): Promise<void> {
  const delim = opts.delimiter ?? 10;
  let bufs: Buffer[] = [];
  let starts: number[] = [];
  let ends: number[] = [];
  let repairedAt = new Set<number>(); // indexes of lines repaired from invalid UTF-8
  let lineNo = 0;

  const push = (buf: Buffer, start: number, end: number): void => {
    bufs.push(buf);
    starts.push(start);
    ends.push(end);
  };
  const split = (buf: Buffer, start: number, end: number): void => {
    const valid = isUtf8(buf.subarray(start, end));
    eachLineOf(buf, start, end, delim, (from, stop) => {
      if (valid || isUtf8(buf.subarray(from, stop))) return push(buf, from, stop);
      repairedAt.add(bufs.length);
      const repaired = Buffer.from(buf.toString('utf8', from, stop));
      push(repaired, 0, repaired.length);
    });
  };

  const emit = async (): Promise<void> => {
    const [b, s, e, repaired] = [bufs, starts, ends, repairedAt];
    bufs = [];
    starts = [];
    ends = [];
    repairedAt = new Set();
    for (let i = 0; i < b.length; i++) {
      const buf = b[i]!;
      let start = s[i]!;
      let end = e[i]!;
      lineNo++;
      if (repaired.size > 0 && repaired.has(i)) opts.onInvalidUtf8?.(lineNo);
      if (lineNo === 1 && buf[start] === 0xef && buf[start + 1] === 0xbb && buf[start + 2] === 0xbf && start + 3 <= end) start += 3;
      if (delim === 10 && end > start && buf[end - 1] === 13) end--;
      const r = handle(buf, start, end, lineNo);
      if (r !== undefined && typeof (r as Promise<void>).then === 'function') await r;
    }
  };

  await splitLines(source, delim, opts, split, () => (bufs.length > 0 ? emit() : undefined), () => ++lineNo);
}

/** Calls `line` with [from, stop) of every line of buf[start, end) (whole lines separated by delim). */
function eachLineOf(buf: Buffer, start: number, end: number, delim: number, line: (from: number, stop: number) => void): void {
  let from = start;
  for (;;) {
    const at = buf.indexOf(delim, from);
    const stop = at === -1 || at > end ? end : at;
    line(from, stop);
    if (stop === end) return;
    from = stop + 1;
  }
}

/**
 * The chunk splitting under forEachLine and forEachLineBytes: `take` gets runs of whole lines,
 * buf[start, end) with delimiters between them (a line that spans chunks joined once), `emit` runs
 * after each chunk's lines were taken, `skipLine` counts a line too long to keep.
 */
async function splitLines(
  source: Source,
  delim: number,
  opts: LineOptions,
  take: (buf: Buffer, start: number, end: number) => void,
  emit: () => Promise<void> | undefined,
  skipLine: () => number,
): Promise<void> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let skippingLongLine = false;
  // The source may read the next chunk into the same buffer: lines are taken (and emitted) before
  // it is asked for, and what is kept for later (a line's start) is copied.
  for await (const chunk of source.chunks({ reuse: true })) {
    opts.onBytes?.(chunk.length);
    let start = 0;
    if (pending.length > 0 || skippingLongLine) {
      const first = chunk.indexOf(delim);
      if (first === -1) {
        if (!skippingLongLine) {
          pending.push(Buffer.from(chunk));
          pendingBytes += chunk.length;
          if (pendingBytes > MAX_LINE_BYTES) {
            skippingLongLine = true;
            pending = [];
          }
        }
        if (skippingLongLine) pendingBytes += chunk.length;
        continue;
      }
      if (skippingLongLine) {
        opts.onTooLong?.(skipLine(), pendingBytes + first);
        skippingLongLine = false;
      } else {
        pending.push(chunk.subarray(0, first));
        const whole = Buffer.concat(pending, pendingBytes + first);
        take(whole, 0, whole.length);
      }
      pending = [];
      pendingBytes = 0;
      start = first + 1;
    }
    const last = chunk.lastIndexOf(delim);
    if (last >= start) take(chunk, start, last);
    if (last + 1 < chunk.length && last + 1 >= start) {
      const tail = Buffer.from(chunk.subarray(Math.max(last + 1, start)));
      pending.push(tail);
      pendingBytes += tail.length;
    }
    const emitted = emit();
    if (emitted) await emitted;
    opts.onCaughtUp?.();
  }
  if (skippingLongLine) {
    opts.onTooLong?.(skipLine(), pendingBytes);
  } else if (pendingBytes > 0) {
    const whole = Buffer.concat(pending, pendingBytes);
    take(whole, 0, whole.length);
    const emitted = emit();
    if (emitted) await emitted;
  }
}
