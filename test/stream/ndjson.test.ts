import { describe, expect, it } from 'vitest';
import { closeSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { createContext } from '../../src/stream/context.js';
import { readRecords, type JsonRecord } from '../../src/stream/ndjson.js';
import { NdjsonWriter } from '../../src/stream/output.js';
import { FatalInputError } from '../../src/stream/report.js';
import type { Source } from '../../src/stream/sources.js';
import { workdir } from '../helpers.js';

function source(name: string, ...parts: (string | Buffer)[]): Source {
  return {
    name,
    async *chunks() {
      for (const p of parts) yield Buffer.isBuffer(p) ? p : Buffer.from(p);
    },
  };
}

/** Reads sources into [record, source, line, text] tuples with a context whose stdout is a temp file. */
async function collect(inputs: Source[] | string[], strict = false) {
  const { dir, cleanup } = workdir();
  const fd = openSync(join(dir, 'out'), 'w');
  const ctx = createContext('test', new NdjsonWriter(fd));
  const seen: [JsonRecord, string, number, string][] = [];
  let error: unknown;
  try {
    await readRecords(ctx, inputs, (r, where) => void seen.push([r, where.source, where.line, where.text]), { strict });
  } catch (err) {
    error = err;
  }
  closeSync(fd);
  cleanup();
  return { seen, ctx, error };
}

describe('readRecords', () => {
  it('skips blank lines, reports bad lines with source and line, and goes on', async () => {
    const { seen, ctx } = await collect([source('a.ndjson', '{"n":1}\r\n\n  \n[1]\nnot json\n{"n":2}')]);
    expect(seen.map(([r, s, l]) => [r.n, s, l])).toEqual([[1, 'a.ndjson', 1], [2, 'a.ndjson', 6]]);
    expect(ctx.report.failures).toBe(2);
    expect([...ctx.report.failuresByReason]).toEqual([['not_object', 1], ['bad_json', 1]]);
    expect(ctx.report.exitCode).toBe(1);
    expect(ctx.stats.recordsIn).toBe(2);
  });

  it('hands over the line as read, without its line end or BOM', async () => {
    const { seen } = await collect([source('x', '\ufeff{"a": 1 }\r\n{"b":"é"}')]);
    expect(seen.map((s) => s[3])).toEqual(['{"a": 1 }', '{"b":"é"}']);
  });

  it('stops at the first bad line with strict', async () => {
    const { seen, ctx, error } = await collect([source('x', '{"n":1}\n{oops\n{"n":3}\n')], true);
    expect(seen.length).toBe(1);
    expect(error).toBeInstanceOf(FatalInputError);
    expect(ctx.report.failures).toBe(1);
  });

  it('passes on invalid UTF-8 repaired, and reports it', async () => {
    const { seen, ctx } = await collect([source('x', Buffer.from('{"t":"a\xffb"}\n', 'latin1'))]);
    expect(seen[0]![0].t).toBe('a\ufffdb');
    expect([...ctx.report.failuresByReason.keys()]).toEqual(['bad_utf8']);
  });

  it('reads files and gzip files, and reports a missing file without stopping', async () => {
    const { dir, cleanup } = workdir();
    writeFileSync(join(dir, 'a.ndjson'), '{"n":1}\n');
    writeFileSync(join(dir, 'b.ndjson.whatever'), gzipSync('{"n":2}\n{"n":3}\n'));
    writeFileSync(join(dir, 'c.gz'), gzipSync('{"n":4}\n').subarray(0, 15)); // truncated
    const { seen, ctx } = await collect([join(dir, 'a.ndjson'), join(dir, 'missing'), join(dir, 'b.ndjson.whatever'), join(dir, 'c.gz')]);
    expect(seen.map((s) => s[0].n)).toEqual([1, 2, 3]);
    expect(ctx.report.failures).toBe(2);
    expect([...ctx.report.failuresByReason]).toEqual([['unreadable', 2]]);
    cleanup();
  });

  it('counts bytes read', async () => {
    const { ctx } = await collect([source('x', '{"n":1}\n', '{"n":2}\n')]);
    expect(ctx.stats.bytesIn).toBe(16);
  });
});

describe('NdjsonWriter with a huge line', () => {
  it('writes a line longer than its batch whole', () => {
    const { dir, cleanup } = workdir();
    const file = join(dir, 'out');
    const fd = openSync(file, 'w');
    const w = new NdjsonWriter(fd, 4096);
    w.writeLine('{"a":1}');
    w.writeLine(`{"t":"${'é'.repeat(100_000)}"}`);
    w.writeLine('{"a":2}');
    w.flush();
    closeSync(fd);
    const lines = readFileSync(file, 'utf8').split('\n');
    expect(lines.map((l) => l.length)).toEqual([7, 100_008, 7, 0]);
    expect(w.bytesOut).toBe(readFileSync(file).length);
    cleanup();
  });
});
