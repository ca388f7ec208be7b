import { describe, expect, it } from 'vitest';
import { closeSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { addStreamingOptions, counterLines, jsonOfLine, keyOf, restoreKey, streamingForm, underHadoopStreaming } from '../../src/stream/hadoop.js';
import { createContext } from '../../src/stream/context.js';
import { readRecords, type JsonRecord } from '../../src/stream/ndjson.js';
import { NdjsonWriter } from '../../src/stream/output.js';
import { workdir } from '../helpers.js';

describe('the key<TAB>json line form', () => {
  it('finds the JSON of keyed lines and leaves plain ones whole', () => {
    expect(jsonOfLine('cat\t{"term":"cat","count":2}')).toBe('{"term":"cat","count":2}');
    expect(jsonOfLine('\t{"count":2}')).toBe('{"count":2}');
    expect(jsonOfLine('{"term":"cat"}')).toBe('{"term":"cat"}');
    // Map-only Streaming output: the whole line was the key, the value empty.
    expect(jsonOfLine('{"term":"cat"}\t')).toBe('{"term":"cat"}\t');
    // A raw TAB inside a plain JSON object is not a key separator.
    expect(jsonOfLine('{"a":\t{"b":1}}')).toBe('{"a":\t{"b":1}}');
    expect(jsonOfLine('k\t[1,2]')).toBe('k\t[1,2]');
  });

  it('puts the key back into the field when the record lacks it', () => {
    const put = (line: string, record: Record<string, unknown>): Record<string, unknown> => (restoreKey(record, line, 'term'), record);
    expect(put('cat\t{"count":2}', { count: 2 })).toEqual({ term: 'cat', count: 2 });
    expect(put('a\\tb\\\\c\t{}', {})).toEqual({ term: 'a\tb\\c' });
    expect(put('cat\t{"term":"dog"}', { term: 'dog' })).toEqual({ term: 'dog' });
    expect(put('\t{}', {})).toEqual({});
  });

  it('keys strings as they are, other values as JSON, escaping what would break the line form', () => {
    expect(keyOf({ term: 'naïve' }, 'term')).toBe('naïve');
    expect(keyOf({ page: 12 }, 'page')).toBe('12');
    expect(keyOf({ a: ['x', 1] }, 'a')).toBe('["x",1]');
    expect(keyOf({}, 'term')).toBe('');
    expect(keyOf({ t: 'a\tb\nc\\' }, 't')).toBe('a\\tb\\nc\\\\');
    expect(keyOf({ o: { x: 1 } }, 'o')).toBe('\\{"x":1}');
  });

  it('round-trips through the writer and the reader', async () => {
    const { dir, cleanup } = workdir();
    try {
      const file = join(dir, 'keyed.txt');
      const fd = openSync(file, 'w');
      const w = new NdjsonWriter(fd);
      w.keyField = 'term';
      const records = [{ term: 'zebra', count: 1 }, { term: 'a\tb', count: 2 }, { count: 3 }, { term: '{x}', count: 6 }];
      for (const r of records) w.write(r);
      w.writeLine('{"term":"pre","count":4}');
      w.flush();
      closeSync(fd);
      const text = readFileSync(file, 'utf8');
      expect(text.split('\n').slice(0, -1).map((l) => l.split('\t')[0])).toEqual(['zebra', 'a\\tb', '', '\\{x}', 'pre']);
      writeFileSync(file, text + '{"term":"plain","count":5}\n');

      const ctx = createContext('test', new NdjsonWriter(openSync('/dev/null', 'w')));
      ctx.streaming = streamingForm({ key: 'term' }, {});
      const seen: JsonRecord[] = [];
      await readRecords(ctx, [file], (r) => void seen.push(r));
      expect(seen).toEqual([...records, { term: 'pre', count: 4 }, { term: 'plain', count: 5 }]);
      expect(ctx.report.failures).toBe(0);
    } finally {
      cleanup();
    }
  });

  it('without the form, a keyed line is bad input', async () => {
    const { dir, cleanup } = workdir();
    try {
      const file = join(dir, 'keyed.txt');
      writeFileSync(file, 'cat\t{"count":2}\n');
      const ctx = createContext('test', new NdjsonWriter(openSync('/dev/null', 'w')));
      let n = 0;
      await readRecords(ctx, [file], () => void n++);
      expect(n).toBe(0);
      expect(ctx.report.failuresByReason.get('bad_json')).toBe(1);
    } finally {
      cleanup();
    }
  });
});

describe('Hadoop Streaming counters and environment', () => {
  it('recognises a Streaming task by its environment', () => {
    expect(underHadoopStreaming({ mapreduce_task_id: 'attempt_1_0001_m_000003_0' })).toBe(true);
    expect(underHadoopStreaming({ mapred_task_id: 'attempt_1_0001_r_000000_0' })).toBe(true);
    expect(underHadoopStreaming({})).toBe(false);
    expect(streamingForm({}, {})).toBeUndefined();
    expect(streamingForm({}, { mapreduce_task_id: 'x' })).toEqual({ keyedInput: true, keyField: undefined, counters: true });
    expect(streamingForm({ hadoopCounters: true }, {})).toEqual({ keyedInput: false, keyField: undefined, counters: true });
  });

  it('reports generic and command counters, labels folded into the name, no commas', () => {
    const ctx = createContext('test', new NdjsonWriter(openSync('/dev/null', 'w')));
    ctx.stats.recordsIn = 7;
    ctx.stats.bytesIn = 700;
    ctx.out.write({ a: 1 });
    ctx.report.fail('x', 'bad', 'bad_json');
    ctx.metrics.count('tokens_total', 42);
    ctx.metrics.count('pages_total', 3, { kind: 'a,b' });
    const lines = counterLines(ctx);
    expect(lines).toEqual([
      'reporter:counter:ream,records_in_total{command=test},7',
      'reporter:counter:ream,records_out_total{command=test},1',
      'reporter:counter:ream,bytes_in_total{command=test},700',
      'reporter:counter:ream,bytes_out_total{command=test},8',
      'reporter:counter:ream,failures_total{command=test;reason=bad_json},1',
      'reporter:counter:ream,tokens_total{command=test},42',
      'reporter:counter:ream,pages_total{command=test;kind=a_b},3',
    ]);
    for (const l of lines) expect(l.split(',')).toHaveLength(3);
  });

  it('leaves a command its own --key option', () => {
    const cmd = new Command('x').option('--key <name>', 'the command’s own');
    const formOf = addStreamingOptions(cmd);
    cmd.parse(['--key', 'mine', '--hadoop-counters'], { from: 'user' });
    expect(cmd.options.filter((o) => o.long === '--key')).toHaveLength(1);
    expect(formOf(cmd.opts())).toEqual({ keyedInput: false, keyField: undefined, counters: true });
  });
});
