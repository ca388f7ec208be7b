import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ExpositionError, parse, render, type Family } from '../../src/metrics/exposition.js';
import { promtoolFindings } from './promtool.js';

const family = (labels: [string, string][], help = 'Things seen.'): Family => ({
  name: 'ream_things_total',
  help,
  type: 'counter',
  samples: [{ name: 'ream_things_total', labels, value: 3 }],
});

describe('render', () => {
  it('writes HELP, TYPE, escaped label values, no timestamps and a final newline', () => {
    const text = render([family([['command', 'x'], ['path', 'a\\b"c\nd']], 'Back\\slash and\nnewline.')]);
    expect(text).toBe(
      '# HELP ream_things_total Back\\\\slash and\\nnewline.\n# TYPE ream_things_total counter\nream_things_total{command="x",path="a\\\\b\\"c\\nd"} 3\n',
    );
    expect(promtoolFindings(text)).toEqual({ status: 0, findings: '' });
  });

  it('writes infinities and NaN the way Prometheus reads them', () => {
    const text = render([{ name: 'g', help: 'G.', type: 'gauge', samples: [1 / 0, -1 / 0, NaN].map((value, i) => ({ name: 'g', labels: [['i', String(i)]], value })) }]);
    expect(text).toContain('g{i="0"} +Inf\ng{i="1"} -Inf\ng{i="2"} NaN\n');
    expect(promtoolFindings(text).status).toBe(0);
  });
});

describe('parse', () => {
  it('reads back what render writes, whatever the label values', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (value, help) => {
        const text = render([family([['command', 'x'], ['v', value]], help)]);
        const [f] = parse(text);
        expect(f!.help).toBe(help);
        expect(f!.samples[0]!.labels).toEqual([['command', 'x'], ['v', value]]);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps a histogram\'s _bucket, _sum and _count lines in one family and drops timestamps', () => {
    const families = parse(
      '# HELP h_seconds H.\n# TYPE h_seconds histogram\nh_seconds_bucket{le="1"} 2\nh_seconds_bucket{le="+Inf"} 3 1700000000000\nh_seconds_sum 4.5\nh_seconds_count 3\nother 1\n',
    );
    expect(families.map((f) => [f.name, f.type, f.samples.length])).toEqual([
      ['h_seconds', 'histogram', 4],
      ['other', 'untyped', 1],
    ]);
    expect(families[0]!.samples[1]!.value).toBe(3);
  });

  it('names the line of a malformed sample', () => {
    expect(() => parse('ok 1\nbad{x="1} 2\n', 'f.prom')).toThrow(new ExpositionError('f.prom:2: unterminated label value'));
    expect(() => parse('x abc\n', 'f.prom')).toThrow(/f\.prom:1: bad value/);
  });
});
