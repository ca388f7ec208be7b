// The one way ream writes NDJSON. Records are batched into whole lines and written with blocking
// write(2) calls. When stdout is a pipe, each call carries at most PIPE_BUF bytes, which POSIX makes
// atomic: several ream processes under `xargs -P` writing into one pipe never tear each other's lines.
// (Touching `process.stdout` would switch the shared fd to O_NONBLOCK and let Node flush a partial
// writev, which tears lines; this module never does.) Writes are synchronous, so nothing is ever
// queued: exiting after the last write loses nothing.
import { fstatSync, writeSync } from 'node:fs';
import { keyedLine } from './hadoop.js';
import { OutputClosed } from './report.js';

/** POSIX PIPE_BUF on Linux: writes of at most this many bytes to a pipe are atomic. */
export const PIPE_ATOMIC_BYTES = 4096;
/** Largest record that stays atomic on a pipe, newline excluded. Producers of longer text split it. */
export const MAX_ATOMIC_RECORD_BYTES = PIPE_ATOMIC_BYTES - 1;
const FILE_BATCH_BYTES = 64 * 1024;

const sleeper = new Int32Array(new SharedArrayBuffer(4));
function pause(ms: number): void {
  Atomics.wait(sleeper, 0, 0, ms);
}

export interface WriterStats {
  recordsOut: number;
  bytesOut: number;
}

export class NdjsonWriter implements WriterStats {
  recordsOut = 0;
  bytesOut = 0;
  /** True once the reader has gone away (EPIPE); further writes throw OutputClosed. */
  closed = false;
  /** Bytes per write(2): PIPE_BUF on pipes (atomic), larger on files and terminals. */
  readonly batchBytes: number;
  readonly isPipe: boolean;
  /** `--key FIELD`: lines are written as `key<TAB>json` (Hadoop Streaming's form), keyed by this field. */
  keyField: string | undefined;
  private batch: Buffer;
  private used = 0;

  constructor(readonly fd = 1, batchBytes?: number) {
    let pipe = false;
    try {
      const st = fstatSync(fd);
      pipe = st.isFIFO() || st.isSocket();
    } catch {
      // fd closed: the first write reports it
    }
    this.isPipe = pipe;
    this.batchBytes = batchBytes ?? (pipe ? PIPE_ATOMIC_BYTES : FILE_BATCH_BYTES);
    this.batch = Buffer.allocUnsafe(this.batchBytes);
  }

  /** Writes one record as a JSON line. */
  write(record: unknown): void {
    const json = JSON.stringify(record);
    this.writeText(this.keyField === undefined ? json : keyedLine(record, json, this.keyField));
  }

  /** Writes one line that is already JSON (no newline). */
  writeLine(json: string): void {
    this.writeText(this.keyField === undefined ? json : keyedLine(JSON.parse(json), json, this.keyField));
  }

  /**
   * Writes one JSON line given in three parts, the middle one already UTF-8 (a command that encodes
   * a large array itself): `head`, body[0, bodyLength), `tail`. Not for `--key` output (keyField set).
   */
  writeAssembled(head: string, body: Uint8Array, bodyLength: number, tail: string): void {
    const line = this.startLine(Buffer.byteLength(head) + bodyLength + Buffer.byteLength(tail) + 1);
    let at = line.at + line.buf.write(head, line.at);
    line.buf.set(bodyLength === body.length ? body : body.subarray(0, bodyLength), at);
    at += bodyLength;
    at += line.buf.write(tail, at);
    this.endLine(line.buf, at);
  }

  /**
   * Writes one JSON line given as parts already UTF-8 (no newline), e.g. members copied from an
   * input line around a list encoded by the command. Not for `--key` output (keyField set).
   */
  writeBytes(...parts: Uint8Array[]): void {
    let bytes = 1;
    for (const part of parts) bytes += part.length;
    const line = this.startLine(bytes);
    let at = line.at;
    for (const part of parts) {
      line.buf.set(part, at);
      at += part.length;
    }
    this.endLine(line.buf, at);
  }

  private writeText(json: string): void {
    const line = this.startLine(Buffer.byteLength(json) + 1);
    this.endLine(line.buf, line.at + line.buf.write(json, line.at));
  }

  /**
   * Room for one line of `bytes` bytes (newline included): at the end of the batch, or, for a line
   * larger than one atomic write, a buffer of its own that goes out alone (producers keep records
   * below MAX_ATOMIC_RECORD_BYTES). The line is encoded straight into it: `json + '\n'` would copy a
   * 100 MB line once more.
   */
  private startLine(bytes: number): { buf: Buffer; at: number } {
    if (this.closed) throw new OutputClosed();
    if (bytes > this.batchBytes - this.used) this.flush();
    this.recordsOut++;
    this.bytesOut += bytes;
    return bytes > this.batchBytes ? { buf: Buffer.allocUnsafe(bytes), at: 0 } : { buf: this.batch, at: this.used };
  }

  /** Ends the line started by startLine, whose content runs up to `at`. */
  private endLine(buf: Buffer, at: number): void {
    buf[at++] = 10;
    if (buf === this.batch) this.used = at;
    else this.writeAll(buf, at);
  }

  /** Sends what is batched. Call before exiting and before anything else writes to the same fd. */
  flush(): void {
    if (this.used === 0) return;
    const n = this.used;
    this.used = 0;
    this.writeAll(this.batch, n);
  }

  private writeAll(buf: Buffer, length: number): void {
    let off = 0;
    let waited = 0;
    while (off < length) {
      try {
        off += writeSync(this.fd, buf, off, length - off);
        waited = 0;
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'EAGAIN') {
          // Another process sharing the pipe set O_NONBLOCK; a write of <= PIPE_BUF bytes was refused
          // whole, so retrying later keeps it atomic.
          pause(Math.min(1 + waited++, 20));
          continue;
        }
        if (code === 'EPIPE' || code === 'ECONNRESET') {
          this.closed = true;
          throw new OutputClosed();
        }
        throw err;
      }
    }
  }
}
