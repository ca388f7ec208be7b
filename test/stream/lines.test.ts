import { describe, expect, it } from 'vitest';
import { forEachLine } from '../../src/stream/lines.js';
import type { Source } from '../../src/stream/sources.js';

function chunked(...parts: (string | Buffer)[]): Source {
  return {
    name: 'test',
    async *chunks() {
      for (const p of parts) yield Buffer.isBuffer(p) ? p : Buffer.from(p);
    },
  };
}

async function lines(src: Source, delimiter?: number) {
  const out: [string, number][] = [];
  const invalid: number[] = [];
  await forEachLine(src, (l, n) => void out.push([l, n]), { delimiter, onInvalidUtf8: (n) => invalid.push(n) });
  return { out, invalid };
}

describe('forEachLine', () => {
  it('splits across chunk boundaries, strips CR and BOM, keeps a last line without newline', async () => {
    const { out } = await lines(chunked('\ufeffa\r\nb', 'c\n', '', 'd\ne', 'f'));
    expect(out).toEqual([['a', 1], ['bc', 2], ['d', 3], ['ef', 4]]);
  });

  it('keeps blank lines as lines (numbering stays true)', async () => {
    const { out } = await lines(chunked('a\n\n\nb\n'));
    expect(out.map((x) => x[1])).toEqual([1, 2, 3, 4]);
  });

  it('handles a line spread over many chunks in linear time', async () => {
    const piece = 'x'.repeat(64 * 1024);
    const parts = Array.from({ length: 400 }, () => piece); // 26 MB in one line
    const t = Date.now();
    const { out } = await lines(chunked('first\n', ...parts, '\nlast'));
    expect(out.map((x) => x[0].length)).toEqual([5, 400 * piece.length, 4]);
    expect(Date.now() - t).toBeLessThan(20_000);
  });

  it('reports invalid UTF-8 with its line number and repairs it', async () => {
    const { out, invalid } = await lines(chunked(Buffer.from([0x61, 0x0a, 0xff, 0x62, 0x0a, 0x63, 0x0a])));
    expect(out.map((x) => x[0])).toEqual(['a', '\ufffdb', 'c']);
    expect(invalid).toEqual([2]);
  });

  it('does not split a multi-byte character cut by a chunk boundary', async () => {
    const bytes = Buffer.from('é\nñ\n');
    const { out, invalid } = await lines(chunked(bytes.subarray(0, 1), bytes.subarray(1, 4), bytes.subarray(4)));
    expect(out.map((x) => x[0])).toEqual(['é', 'ñ']);
    expect(invalid).toEqual([]);
  });

  it('splits NUL-separated lists', async () => {
    const { out } = await lines(chunked('a b.pdf\0c\nd.pdf\0'), 0);
    expect(out.map((x) => x[0])).toEqual(['a b.pdf', 'c\nd.pdf']);
  });
});
