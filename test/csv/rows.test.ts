import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { singleChar, typedValue } from '../../src/csv/rows.js';
import { UsageError } from '../../src/stream/report.js';

describe('csv values', () => {
  it('types exactly-written numbers and leaves everything else a string', () => {
    expect(['0', '-12', '3.25', '1e3', '-2.5E-2'].map(typedValue)).toEqual([0, -12, 3.25, 1000, -0.025]);
    expect(['007', '1.', '.5', '+1', '1e999', 'NaN', 'Infinity', '', ' 1', '0x10', '1_000'].map(typedValue)).toEqual(['007', '1.', '.5', '+1', '1e999', 'NaN', 'Infinity', '', ' 1', '0x10', '1_000']);
  });

  it('round-trips integers written plainly', () => {
    fc.assert(
      fc.property(fc.integer(), (n) => {
        expect(typedValue(String(n))).toBe(n);
      }),
    );
  });

  it('accepts one character, tab by name, and refuses the rest', () => {
    expect([singleChar(';', 'd'), singleChar('\\t', 'd'), singleChar('tab', 'd'), singleChar('', 'q', true)]).toEqual([';', '\t', '\t', '']);
    expect(() => singleChar('', 'the delimiter')).toThrow(UsageError);
    expect(() => singleChar('ab', 'the delimiter')).toThrow(/one character/);
  });
});
