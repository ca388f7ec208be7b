// CRC-32 (the zlib polynomial, as Lucene and Tantivy footers use), native in Node >= 20.15.
import { readSync } from 'node:fs';
import { createRequire } from 'node:module';

type Crc32 = (data: Uint8Array, previous: number) => number;

// zlib's crc32 straight from Node's zlib binding when it has one: loading the node:zlib module
// (streams, classes for every codec) costs a fresh `ream search` ~6 ms of its ~60 ms of own work,
// for one function. process.binding is deprecated for documentation only (DEP0111) and lists zlib;
// node:zlib is the fallback wherever either is missing.
const native: Crc32 = (() => {
  try {
    const binding = (process as unknown as { binding?: (name: string) => { crc32?: Crc32 } }).binding?.('zlib');
    if (typeof binding?.crc32 === 'function') return binding.crc32;
  } catch {
    // not exposed here
  }
  return (createRequire(import.meta.url)('node:zlib') as { crc32: Crc32 }).crc32;
})();

export function crc32(data: Uint8Array, previous = 0): number {
  return native(data, previous) >>> 0;
}

// one read buffer for every whole-file check: a merge of many inputs must not hold one each
let fileChunk: Buffer | undefined;

/** The CRC of a file's bytes [0, end), read 1 MB at a time; -1 when the file is shorter. */
export function crc32OfFile(fd: number, end: number): number {
  const chunk = (fileChunk ??= Buffer.allocUnsafe(1 << 20));
  let crc = 0;
  for (let at = 0; at < end; ) {
    const n = readSync(fd, chunk, 0, Math.min(chunk.length, end - at), at);
    if (n === 0) return -1;
    crc = crc32(chunk.subarray(0, n), crc);
    at += n;
  }
  return crc;
}

/**
 * The CRC of A followed by B from crcA, crcB and B's length, without reading either (zlib's
 * crc32_combine; Node does not expose it): the writer keeps one running CRC per section and folds
 * each finished section into the file's, instead of taking both over every byte.
 */
export function crc32Combine(crcA: number, crcB: number, lengthB: number): number {
  if (lengthB <= 0) return crcA >>> 0;
  // operators for 1, 2, 4, … zero bits appended, squared in turn (GF(2) 32×32 matrices)
  let odd = new Uint32Array(32);
  let even = new Uint32Array(32);
  odd[0] = 0xedb88320;
  for (let n = 1; n < 32; n++) odd[n] = 1 << (n - 1);
  square(even, odd); // 2 zero bits
  square(odd, even); // 4 zero bits
  let crc = crcA >>> 0;
  let bytes = lengthB;
  do {
    // even: the operator for one zero byte, then two, four, … as the loop goes on
    square(even, odd);
    if (bytes % 2 === 1) crc = times(even, crc);
    bytes = Math.floor(bytes / 2);
    [odd, even] = [even, odd];
  } while (bytes > 0);
  return (crc ^ crcB) >>> 0;
}

function times(matrix: Uint32Array, vector: number): number {
  let sum = 0;
  for (let i = 0; vector !== 0; i++, vector >>>= 1) if (vector & 1) sum ^= matrix[i]!;
  return sum >>> 0;
}

function square(out: Uint32Array, matrix: Uint32Array): void {
  for (let n = 0; n < 32; n++) out[n] = times(matrix, matrix[n]!);
}
