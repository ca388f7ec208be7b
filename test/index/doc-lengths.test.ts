import { describe, expect, it } from 'vitest';
import { DocLengths } from '../../src/index/codec/reader.js';
import { LENGTH_CHUNK } from '../../src/index/codec/layout.js';

describe('DocLengths', () => {
  // 40 chunks of lengths; `reads` records each load (first chunk, count)
  const make = () => {
    const reads: [number, number][] = [];
    const count = 40 * LENGTH_CHUNK - 7;
    const values = new Uint32Array(count);
    const lengths = new DocLengths(count, (first, n) => {
      reads.push([first, n]);
      for (let d = first * LENGTH_CHUNK; d < Math.min(count, (first + n) * LENGTH_CHUNK); d++) values[d] = d + 1;
    }, values);
    return { reads, lengths, count };
  };

  it('reads a range of missing chunks at once, and only the missing ones', () => {
    const { reads, lengths, count } = make();
    expect(lengths.range(3 * LENGTH_CHUNK + 5, 5 * LENGTH_CHUNK)[5 * LENGTH_CHUNK]).toBe(5 * LENGTH_CHUNK + 1);
    expect(reads).toEqual([[3, 3]]);
    lengths.range(0, count - 1);
    expect(reads).toEqual([[3, 3], [0, 3], [6, 34]]);
    lengths.range(0, count - 1);
    expect(reads).toHaveLength(3);
  });

  it('a length asked for alone brings the next chunk, and reading on from a loaded chunk brings 16, up to one already there', () => {
    const { reads, lengths, count } = make();
    lengths.range(12 * LENGTH_CHUNK, 12 * LENGTH_CHUNK);
    expect(lengths.get(2 * LENGTH_CHUNK + 9)).toBe(2 * LENGTH_CHUNK + 10);
    expect(reads).toEqual([[12, 1], [2, 2]]);
    // chunk 4 follows a loaded one: read on, up to chunk 12
    expect(lengths.get(4 * LENGTH_CHUNK)).toBe(4 * LENGTH_CHUNK + 1);
    expect(reads[2]).toEqual([4, 8]);
    expect(lengths.get(13 * LENGTH_CHUNK + 1)).toBe(13 * LENGTH_CHUNK + 2);
    expect(reads[3]).toEqual([13, 16]);
    expect(lengths.get(35 * LENGTH_CHUNK)).toBe(35 * LENGTH_CHUNK + 1);
    expect(reads[4]).toEqual([35, 2]);
    expect(lengths.get(29 * LENGTH_CHUNK)).toBe(29 * LENGTH_CHUNK + 1);
    expect(reads[5]).toEqual([29, 6]);
    expect(lengths.get(count - 1)).toBe(count);
    expect(reads[6]).toEqual([39, 1]);
    expect(lengths.get(36 * LENGTH_CHUNK + 3)).toBe(36 * LENGTH_CHUNK + 4);
    expect(reads).toHaveLength(7);
  });

  it('after 8 lengths read alone all over, the next read brings every chunk still missing', () => {
    const { reads, lengths, count } = make();
    for (let k = 0; k < 8; k++) lengths.get((4 * k + 1) * LENGTH_CHUNK);
    expect(reads).toHaveLength(8);
    expect(reads.every(([, n]) => n === 2)).toBe(true);
    lengths.get(35 * LENGTH_CHUNK);
    // chunks 0 to 39: the first and last missing, and everything between, in one read
    expect(reads[8]).toEqual([0, 40]);
    for (let d = 0; d < count; d += 997) expect(lengths.get(d)).toBe(d + 1);
    expect(reads).toHaveLength(9);
  });
});
