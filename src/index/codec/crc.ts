// CRC-32 (the zlib polynomial, as Lucene and Tantivy footers use), native in Node >= 20.15.
import { crc32 as zlibCrc32 } from 'node:zlib';

export function crc32(data: Uint8Array, previous = 0): number {
  return zlibCrc32(data, previous) >>> 0;
}
