import { describe, expect, it } from 'vitest';
import { CommandMetrics } from '../../src/stream/context.js';
import { UsageError } from '../../src/stream/report.js';
import { StreamMetrics, fieldValue, labelName } from '../../src/metrics/stream.js';

const options = { by: [] as string[], sum: [] as string[], histogram: [] as string[], buckets: [1, 10], maxSeries: 1000 };

describe('StreamMetrics', () => {
  it('counts records by --by values, sums and bucket fields', () => {
    const m = new CommandMetrics();
    const s = new StreamMetrics(m, { ...options, by: ['kind'], sum: ['n'], histogram: ['n'] });
    for (const r of [{ kind: 'a', n: 2 }, { kind: 'b', n: 20 }, { kind: 'a', n: 0.5 }, { kind: 'a' }]) expect(s.add(r)).toEqual({ ok: true });
    expect([...m.counters.get('stream_records_total')!]).toEqual([
      ['[["kind","a"]]', 3],
      ['[["kind","b"]]', 1],
    ]);
    expect(m.counters.get('stream_field_sum_total')!.get('[["field","n"],["kind","a"]]')).toBe(2.5);
    const h = m.histograms.get('stream_field_value')!.get('[["field","n"],["kind","a"]]')!;
    expect([h.counts, h.sum, h.count]).toEqual([[1, 1, 0], 2.5, 2]);
  });

  it('stops adding label sets at --max-series, and says why', () => {
    const m = new CommandMetrics();
    const s = new StreamMetrics(m, { ...options, by: ['id'], maxSeries: 2 });
    expect(s.add({ id: 1 }).ok).toBe(true);
    expect(s.add({ id: 2 }).ok).toBe(true);
    expect(s.add({ id: 1 }).ok).toBe(true);
    const third = s.add({ id: 3 });
    expect(third).toMatchObject({ ok: false, reason: 'too_many_series' });
    expect(m.counters.get('stream_records_total')!.size).toBe(2);
  });

  it('reports non-numbers and negative sums, but still counts the record and its good fields', () => {
    const m = new CommandMetrics();
    const s = new StreamMetrics(m, { ...options, sum: ['n', 'k'] });
    expect(s.add({ n: 'seven', k: 2 })).toMatchObject({ ok: false, reason: 'not_number' });
    expect(s.add({ n: -1 })).toMatchObject({ ok: false, reason: 'negative' });
    expect(m.counters.get('stream_records_total')!.get('')).toBe(2);
    expect(m.counters.get('stream_field_sum_total')!.get('[["field","k"]]')).toBe(2);
    expect(m.counters.get('stream_field_sum_total')!.get('[["field","n"]]')).toBe(0);
  });

  it('makes label names from field names, and refuses ream\'s own', () => {
    expect(labelName('file.name')).toBe('file_name');
    expect(labelName('2nd')).toBe('_2nd');
    expect(() => labelName('command')).toThrow(UsageError);
    expect(() => labelName('__x')).toThrow(UsageError);
    expect(() => new StreamMetrics(new CommandMetrics(), { ...options, by: ['a.b', 'a_b'] })).toThrow(/same label name/);
  });

  it('reads dotted paths into nested objects', () => {
    expect(fieldValue({ meta: { lang: 'de' } }, 'meta.lang')).toBe('de');
    expect(fieldValue({ 'meta.lang': 'fr' }, 'meta.lang')).toBe('fr');
    expect(fieldValue({ meta: 3 }, 'meta.lang')).toBeUndefined();
  });
});
