import { describe, expect, it } from 'vitest';
import { parse, render } from '../../src/metrics/exposition.js';
import { SumError, sumMetrics } from '../../src/metrics/sum.js';
import { promtoolFindings } from './promtool.js';

const file = (records: number, lastSuccess: number, le = ['0.1', '1']): string =>
  [
    '# HELP ream_records_in_total Records read.',
    '# TYPE ream_records_in_total counter',
    `ream_records_in_total{command="x"} ${records}`,
    '# HELP ream_last_success_timestamp_seconds Last success.',
    '# TYPE ream_last_success_timestamp_seconds gauge',
    `ream_last_success_timestamp_seconds{command="x"} ${lastSuccess}`,
    '# HELP ream_search_query_seconds Query time.',
    '# TYPE ream_search_query_seconds histogram',
    ...le.map((b, i) => `ream_search_query_seconds_bucket{command="x",le="${b}"} ${i + 1}`),
    'ream_search_query_seconds_bucket{command="x",le="+Inf"} 3',
    'ream_search_query_seconds_sum{command="x"} 1.5',
    'ream_search_query_seconds_count{command="x"} 3',
    '',
  ].join('\n');

const input = (source: string, text: string) => ({ source, families: parse(text, source) });

describe('sumMetrics', () => {
  it('adds counters and histograms and keeps the latest timestamp', () => {
    const text = render(sumMetrics([input('a', file(5, 100)), input('b', file(7, 200)), input('c', file(1, 150))]));
    expect(text).toContain('ream_records_in_total{command="x"} 13\n');
    expect(text).toContain('ream_last_success_timestamp_seconds{command="x"} 200\n');
    expect(text).toContain('ream_search_query_seconds_bucket{command="x",le="1"} 6\n');
    expect(text).toContain('ream_search_query_seconds_bucket{command="x",le="+Inf"} 9\n');
    expect(text).toContain('ream_search_query_seconds_sum{command="x"} 4.5\n');
    expect(promtoolFindings(text)).toEqual({ status: 0, findings: '' });
  });

  it('keeps series with different labels apart', () => {
    const b = file(7, 200).replace(/command="x"/g, 'command="y"');
    const [records] = sumMetrics([input('a', file(5, 100)), input('b', b)]);
    expect(records!.samples.map((s) => [s.labels, s.value])).toEqual([
      [[['command', 'x']], 5],
      [[['command', 'y']], 7],
    ]);
  });

  it('refuses files that disagree on HELP or TYPE', () => {
    const otherHelp = file(1, 1).replace('Records read.', 'Records counted.');
    expect(() => sumMetrics([input('a', file(1, 1)), input('b', otherHelp)])).toThrow(SumError);
    const otherType = file(1, 1).replace('ream_records_in_total counter', 'ream_records_in_total gauge');
    expect(() => sumMetrics([input('a', file(1, 1)), input('b', otherType)])).toThrow(/b has TYPE gauge.*a has TYPE counter/);
  });

  it('refuses histograms with different buckets', () => {
    expect(() => sumMetrics([input('a', file(1, 1)), input('b', file(1, 1, ['0.1', '2']))])).toThrow(/buckets/);
  });
});
