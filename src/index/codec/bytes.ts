// Growable byte buffer and cursor with LEB128 varints: the primitives every index section is made of.
import { readSync } from 'node:fs';

// Buffer's native UTF-8 codec used on any Uint8Array in place: no Buffer object per string (the
// document tables of a merge hold hundreds of thousands).
const bufferProto = Buffer.prototype as unknown as {
  utf8Write(this: Uint8Array, text: string, offset: number): number;
  utf8Slice(this: Uint8Array, start: number, end: number): string;
};
const utf8 = {
  write: (buf: Uint8Array, text: string, offset: number): number => bufferProto.utf8Write.call(buf, text, offset),
  slice: (buf: Uint8Array, start: number, end: number): string => bufferProto.utf8Slice.call(buf, start, end),
};

/** An append-only byte buffer that doubles as it grows. */
export class ByteWriter {
  buf: Uint8Array;
  length = 0;

  constructor(capacity = 1024) {
    this.buf = new Uint8Array(capacity);
  }

  private grow(need: number): void {
    let cap = this.buf.length * 2;
    while (cap < this.length + need) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
  }

  varint(value: number): void {
    if (this.length + 10 > this.buf.length) this.grow(10);
    const buf = this.buf;
    let n = value;
    while (n >= 0x80) {
      buf[this.length++] = (n & 0x7f) | 0x80;
      n = Math.floor(n / 128);
    }
    buf[this.length++] = n;
  }

  u8(value: number): void {
    if (this.length + 1 > this.buf.length) this.grow(1);
    this.buf[this.length++] = value;
  }

  u32(value: number): void {
    if (this.length + 4 > this.buf.length) this.grow(4);
    const b = this.buf;
    const at = this.length;
    b[at] = value & 0xff;
    b[at + 1] = (value >>> 8) & 0xff;
    b[at + 2] = (value >>> 16) & 0xff;
    b[at + 3] = (value >>> 24) & 0xff;
    this.length += 4;
  }

  /** A float64, little-endian (for sums that can pass 2^32). */
  f64(value: number): void {
    if (this.length + 8 > this.buf.length) this.grow(8);
    new DataView(this.buf.buffer, this.buf.byteOffset).setFloat64(this.length, value, true);
    this.length += 8;
  }

  bytes(data: Uint8Array, start = 0, end = data.length): void {
    const n = end - start;
    if (this.length + n > this.buf.length) this.grow(n);
    this.buf.set(data.subarray(start, end), this.length);
    this.length += n;
  }

  /** Length-prefixed UTF-8 string. */
  string(text: string): void {
    const n = Buffer.byteLength(text, 'utf8');
    this.varint(n);
    if (this.length + n > this.buf.length) this.grow(n);
    this.length += utf8.write(this.buf, text, this.length);
  }

  /** The bytes written so far (a view; copy before writing more if it must survive). */
  view(): Uint8Array {
    return this.buf.subarray(0, this.length);
  }

  reset(): void {
    this.length = 0;
  }
}

/** Bytes left in a file until they are written (merge: the positions of a large term). */
export interface FileBytes {
  readonly path: string;
  readInto(buf: Buffer, offset: number, length: number): number;
}

const NO_BYTES = new Uint8Array(0);

/** Pieces of bytes to write one after the other without copying them first (a term's doc part). */
export class ByteRanges {
  bufs: Uint8Array[] = [];
  starts: number[] = [];
  ends: number[] = [];
  count = 0;

  clear(): void {
    this.count = 0;
  }

  /** Adds [start, end) of bytes, joined to the last range when it continues it. */
  push(bytes: Uint8Array, start: number, end: number): void {
    if (end === start) return;
    const last = this.count - 1;
    if (last >= 0 && this.bufs[last] === bytes && this.ends[last] === start) {
      this.ends[last] = end;
      return;
    }
    this.bufs[this.count] = bytes;
    this.starts[this.count] = start;
    this.ends[this.count] = end;
    this.count++;
  }

  get byteLength(): number {
    let n = 0;
    for (let i = 0; i < this.count; i++) n += this.ends[i]! - this.starts[i]!;
    return n;
  }
}

/**
 * Pieces of bits to write one after the other (a term's positions, which are a bit stream): bit
 * ranges [starts[i], ends[i]) of buffers, or the first `ends[i]` bits of the `lengths[i]` bytes of
 * `files[i]` at byte offset `starts[i]`, whose CRC must be `crcs[i]` (-1: not checked).
 */
export class BitRanges {
  bufs: Uint8Array[] = [];
  starts: number[] = [];
  ends: number[] = [];
  files: (FileBytes | undefined)[] = [];
  lengths: number[] = [];
  crcs: number[] = [];
  count = 0;

  clear(): void {
    this.count = 0;
  }

  /** Adds bits [start, end) of bytes, joined to the last range when it continues it. */
  push(bytes: Uint8Array, start: number, end: number): void {
    if (end === start) return;
    const last = this.count - 1;
    if (last >= 0 && this.bufs[last] === bytes && this.ends[last] === start && !this.files[last]) {
      this.ends[last] = end;
      return;
    }
    this.bufs[this.count] = bytes;
    this.starts[this.count] = start;
    this.ends[this.count] = end;
    this.files[this.count] = undefined;
    this.count++;
  }

  /** Adds the first `bits` bits of the `length` bytes of `file` at `offset`, read as they are written. */
  pushFile(file: FileBytes, offset: number, length: number, bits: number, crc: number): void {
    if (length === 0) return;
    this.bufs[this.count] = NO_BYTES;
    this.starts[this.count] = offset;
    this.ends[this.count] = bits;
    this.lengths[this.count] = length;
    this.files[this.count] = file;
    this.crcs[this.count] = crc;
    this.count++;
  }
}

/** A file read front to back through a buffer (1 MB by default, larger only for a larger record). */
export class SequentialFile {
  // not a Buffer: a Buffer's slice() is a view, and what is read here is kept with slice()
  private buf: Uint8Array;
  /** buf[start, end) holds the file's bytes from position − (end − start). */
  start = 0;
  private end = 0;
  private position = 0;
  constructor(
    private readonly fd: number,
    position = 0,
    bufferBytes = 1 << 20,
  ) {
    this.position = position;
    this.buf = new Uint8Array(bufferBytes);
  }

  /** The file position of buf[start]. */
  get at(): number {
    return this.position - (this.end - this.start);
  }

  /** Moves to file position `to` (keeping the buffer when it holds it). */
  seek(to: number): void {
    if (to >= this.at && to <= this.position) {
      this.start = this.end - (this.position - to);
      return;
    }
    this.start = this.end = 0;
    this.position = to;
  }

  /** The buffer ensure() fills (valid from start until the next call). */
  get bytes(): Uint8Array {
    return this.buf;
  }

  /** Makes the next min(n, what is left) bytes available from buf[start]; returns how many are. */
  ensure(n: number): number {
    if (this.end - this.start >= n) return n;
    if (n > this.buf.length) {
      const grown = new Uint8Array(n);
      grown.set(this.buf.subarray(this.start, this.end));
      this.buf = grown;
    } else this.buf.copyWithin(0, this.start, this.end);
    this.end -= this.start;
    this.start = 0;
    while (this.end < n) {
      const got = readSync(this.fd, this.buf, this.end, this.buf.length - this.end, this.position);
      if (got === 0) break;
      this.end += got;
      this.position += got;
    }
    return Math.min(n, this.end);
  }

  /** A reader over the next n bytes (fewer at the end of the file). */
  reader(n: number): ByteReader {
    const got = this.ensure(n); // first: it may move the bytes
    return new ByteReader(this.buf, this.start, this.start + got);
  }

  /** Passes the next n bytes to `to` in pieces. */
  copy(n: number, to: (bytes: Uint8Array, start: number, end: number) => void): void {
    while (n > 0) {
      const got = this.ensure(Math.min(n, this.buf.length));
      if (got === 0) throw new Error('spilled postings truncated');
      to(this.buf, this.start, this.start + got);
      this.start += got;
      n -= got;
    }
  }
}

/** Where the varint read by the last readVarint() ended. */
export let varintEnd = 0;

/**
 * Reads the varint at buf[at] and leaves the position after it in varintEnd: for hot loops that
 * decode one-byte varints inline and call this for longer ones. Past the end of buf it stops
 * (reading undefined) with a NaN or short value the caller's bounds checks catch.
 */
export function readVarint(buf: Uint8Array, at: number): number {
  let value = 0;
  for (let scale = 1; ; scale *= 128) {
    const byte = buf[at++]!;
    value += (byte & 0x7f) * scale;
    if (!(byte >= 0x80)) break;
  }
  varintEnd = at;
  return value;
}

/** A read cursor over bytes; reading past the end throws CorruptIndex-worthy RangeErrors. */
export class ByteReader {
  pos: number;

  constructor(
    readonly buf: Uint8Array,
    start = 0,
    readonly end = buf.length,
  ) {
    this.pos = start;
  }

  varint(): number {
    const buf = this.buf;
    let pos = this.pos;
    let b = buf[pos++]!;
    let value = b & 0x7f;
    let scale = 128;
    while (b >= 0x80) {
      if (pos >= this.end) throw new RangeError('varint runs past the end');
      b = buf[pos++]!;
      value += (b & 0x7f) * scale;
      scale *= 128;
    }
    if (pos > this.end) throw new RangeError('read past the end');
    this.pos = pos;
    return value;
  }

  u8(): number {
    if (this.pos + 1 > this.end) throw new RangeError('read past the end');
    return this.buf[this.pos++]!;
  }

  u32(): number {
    if (this.pos + 4 > this.end) throw new RangeError('read past the end');
    const b = this.buf;
    const p = this.pos;
    this.pos += 4;
    return (b[p]! | (b[p + 1]! << 8) | (b[p + 2]! << 16) | (b[p + 3]! << 24)) >>> 0;
  }

  f64(): number {
    if (this.pos + 8 > this.end) throw new RangeError('read past the end');
    const v = new DataView(this.buf.buffer, this.buf.byteOffset).getFloat64(this.pos, true);
    this.pos += 8;
    return v;
  }

  bytes(n: number): Uint8Array {
    if (this.pos + n > this.end) throw new RangeError('read past the end');
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  string(): string {
    const n = this.varint();
    if (this.pos + n > this.end) throw new RangeError('read past the end');
    this.pos += n;
    return utf8.slice(this.buf, this.pos - n, this.pos);
  }

  get done(): boolean {
    return this.pos >= this.end;
  }
}

/** Compares two byte strings as `LC_ALL=C sort` does (unsigned bytes, shorter first on a tie). */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  return Buffer.compare(a, b);
}
