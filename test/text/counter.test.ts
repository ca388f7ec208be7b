import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ExactCounter, SpaceSavingCounter, compareCodePoints } from '../../src/text/counter.js';

describe('ExactCounter', () => {
  it('sorts by count, ties by term in UTF-8 byte order', () => {
    const c = new ExactCounter();
    for (const t of ['b', 'a', 'b', '\u{1F600}', '\uFFFD', 'é', 'a', 'c']) c.add(t, 1);
    // U+FFFD (EF BF BD) sorts before U+1F600 (F0 9F 98 80) in UTF-8, though not in UTF-16
    expect(c.result()).toEqual([
      { term: 'a', count: 2 }, { term: 'b', count: 2 },
      { term: 'c', count: 1 }, { term: 'é', count: 1 }, { term: '\uFFFD', count: 1 }, { term: '\u{1F600}', count: 1 },
    ]);
    expect(c.result(1)).toEqual([{ term: 'a', count: 2 }]);
  });

  it('adds weights (the reduce step)', () => {
    const c = new ExactCounter();
    c.add('x', 3);
    c.add('x', 4);
    expect(c.result()).toEqual([{ term: 'x', count: 7 }]);
  });
});

describe('compareCodePoints', () => {
  it('orders like the UTF-8 bytes', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.string({ unit: 'grapheme' }), (a, b) => {
        const bytes = Math.sign(Buffer.compare(Buffer.from(a), Buffer.from(b)));
        expect(Math.sign(compareCodePoints(a, b))).toBe(bytes);
      }),
    );
  });
});

describe('SpaceSavingCounter', () => {
  it('is exact while the terms fit', () => {
    const c = new SpaceSavingCounter(10);
    for (const t of 'a b a c a b'.split(' ')) c.add(t, 1);
    expect(c.exact).toBe(true);
    expect(c.result()).toEqual([{ term: 'a', count: 3 }, { term: 'b', count: 2 }, { term: 'c', count: 1 }]);
  });

  it('keeps its error bound and finds the heavy hitters on a skewed stream', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 200 }), { minLength: 1, maxLength: 2000 }), fc.integer({ min: 2, max: 40 }), (raw, m) => {
        // skew: square the values' rank so small numbers dominate
        const stream = raw.map((x) => String(Math.floor((x * x) / 400)));
        const exact = new Map<string, number>();
        const c = new SpaceSavingCounter(m);
        for (const t of stream) {
          exact.set(t, (exact.get(t) ?? 0) + 1);
          c.add(t, 1);
        }
        const bound = stream.length / m;
        const got = c.result();
        for (const { term, count, error = 0 } of got) {
          const truth = exact.get(term) ?? 0;
          expect(count).toBeGreaterThanOrEqual(truth);
          expect(count - truth).toBeLessThanOrEqual(error);
          expect(error).toBeLessThanOrEqual(bound);
        }
        for (const [term, n] of exact) if (n > bound) expect(got.map((g) => g.term)).toContain(term);
      }),
    );
  });
});
