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
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let skippingLongLine = false;
  let lineNo = 0;
  let lines: string[] = [];
  let invalid: number[] = []; // indexes into `lines` of lines repaired from invalid UTF-8

  const decode = (buf: Buffer, start: number, end: number, checked: boolean): void => {
    // Decodes buf[start, end) — whole lines separated by delim, without the final delimiter.
    if (checked || isUtf8(buf.subarray(start, end))) {
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
    let from = start;
    for (;;) {
      const at = buf.indexOf(delim, from);
      const stop = at === -1 || at > end ? end : at;
      const bytes = buf.subarray(from, stop);
      if (!isUtf8(bytes)) invalid.push(lines.length);
      lines.push(bytes.toString('utf8'));
      if (stop === end) return;
      from = stop + 1;
    }
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

  for await (const chunk of source.chunks()) {
    opts.onBytes?.(chunk.length);
    let start = 0;
    if (pending.length > 0 || skippingLongLine) {
      const first = chunk.indexOf(delim);
      if (first === -1) {
        if (!skippingLongLine) {
          pending.push(chunk);
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
        lineNo++;
        opts.onTooLong?.(lineNo, pendingBytes + first);
        skippingLongLine = false;
      } else {
        pending.push(chunk.subarray(0, first));
        const whole = Buffer.concat(pending, pendingBytes + first);
        decode(whole, 0, whole.length, false);
      }
      pending = [];
      pendingBytes = 0;
      start = first + 1;
    }
    const last = chunk.lastIndexOf(delim);
    if (last >= start) decode(chunk, start, last, false);
    if (last + 1 < chunk.length && last + 1 >= start) {
      const tail = chunk.subarray(Math.max(last + 1, start));
      pending.push(tail);
      pendingBytes += tail.length;
    }
    if (lines.length > 0) await emit();
    opts.onCaughtUp?.();
  }
  if (skippingLongLine) {
    lineNo++;
    opts.onTooLong?.(lineNo, pendingBytes);
  } else if (pendingBytes > 0) {
    const whole = Buffer.concat(pending, pendingBytes);
    decode(whole, 0, whole.length, false);
    await emit();
  }
}
