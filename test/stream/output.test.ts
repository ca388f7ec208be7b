import { describe, expect, it } from 'vitest';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NdjsonWriter, PIPE_ATOMIC_BYTES } from '../../src/stream/output.js';
import { workdir } from '../helpers.js';

describe('NdjsonWriter', () => {
  it('writes records as lines and counts them', () => {
    const { dir, cleanup } = workdir();
    const file = join(dir, 'out.ndjson');
    const fd = openSync(file, 'w');
    const w = new NdjsonWriter(fd);
    expect(w.isPipe).toBe(false);
    for (let i = 0; i < 10_000; i++) w.write({ i, s: 'é' });
    w.flush();
    closeSync(fd);
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    expect(lines.length).toBe(10_000);
    expect(JSON.parse(lines[9_999]!)).toEqual({ i: 9_999, s: 'é' });
    expect(w.recordsOut).toBe(10_000);
    expect(w.bytesOut).toBe(readFileSync(file).length);
    cleanup();
  });

  it('on a pipe-sized batch, never puts part of a line in a write', () => {
    const { dir, cleanup } = workdir();
    const file = join(dir, 'out.ndjson');
    const fd = openSync(file, 'w');
    const w = new NdjsonWriter(fd, PIPE_ATOMIC_BYTES);
    const rec = { t: 'y'.repeat(3000) };
    for (let i = 0; i < 5; i++) w.write(rec);
    w.write({ t: 'z'.repeat(10_000) }); // larger than one atomic write: goes alone, whole
    w.flush();
    closeSync(fd);
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    expect(lines.map((l) => JSON.parse(l).t.length)).toEqual([3000, 3000, 3000, 3000, 3000, 10_000]);
    cleanup();
  });
});
