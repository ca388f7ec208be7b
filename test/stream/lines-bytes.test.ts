import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { forEachLine, forEachLineBytes } from '../../src/stream/lines.js';
import type { Source } from '../../src/stream/sources.js';

function chunked(...parts: (string | Buffer)[]): Source {
  return {
    name: 'test',
    async *chunks() {
      for (const p of parts) yield Buffer.isBuffer(p) ? p : Buffer.from(p);
    },
  };
}

async function both(parts: Buffer[], delimiter?: number) {
  const strings: Array<[string, number]> = [];
  const bytes: Array<[string, number]> = [];
  const badStrings: number[] = [];
  const badBytes: number[] = [];
  await forEachLine(chunked(...parts), (l, n) => void strings.push([l, n]), { delimiter, onInvalidUtf8: (n) => badStrings.push(n) });
  await forEachLineBytes(chunked(...parts), (buf, s, e, n) => void bytes.push([buf.toString('utf8', s, e), n]), {
    delimiter,
    onInvalidUtf8: (n) => badBytes.push(n),
  });
  return { strings, bytes, badStrings, badBytes };
}

describe('forEachLineBytes', () => {
  it('gives the lines forEachLine gives: chunk boundaries, CR, BOM, last line without newline, invalid UTF-8 repaired', async () => {
    const r = await both([Buffer.from('\ufeffa\r\nb'), Buffer.from('c\n'), Buffer.alloc(0), Buffer.from([0x64, 0xff, 0x0a, 0x65]), Buffer.from('f\r')]);
    expect(r.bytes).toEqual([['a', 1], ['bc', 2], ['d\ufffd', 3], ['ef', 4]]);
    expect(r.bytes).toEqual(r.strings);
    expect(r.badBytes).toEqual([3]);
  });

  it('property: the same lines, numbers and reports as forEachLine for any bytes cut into any chunks', async () => {
    const byte = fc.oneof(fc.constantFrom(0x0a, 0x0d, 0x00, 0xef, 0xbb, 0xbf, 0xc3, 0xa9, 0xff, 0x61), fc.integer({ min: 0, max: 255 }));
    await fc.assert(
      fc.asyncProperty(fc.array(fc.uint8Array({ maxLength: 12 }).chain((a) => fc.array(byte, { maxLength: a.length + 3 })), { maxLength: 8 }), fc.constantFrom(10, 0), async (parts, delim) => {
        const r = await both(parts.map((p) => Buffer.from(p)), delim);
        expect(r.bytes).toEqual(r.strings);
        expect(r.badBytes).toEqual(r.badStrings);
      }),
      { numRuns: 300 },
    );
  });
});
