import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cleanPageText, collapseLetterSpacing, composeSpacingAccents, joinRuns, usableCharRatio } from '../../src/pdf/text.js';
import { referenceJoinRuns, referenceUsableCharRatio } from './text-reference.js';

const run = (str: string, x: number, y: number, width = str.length * 5, hasEOL = false) => ({ str, transform: [10, 0, 0, 10, x, y], width, height: 10, hasEOL });

describe('joinRuns', () => {
  it('breaks lines where the baseline moves and spaces gaps on a line', () => {
    expect(joinRuns([run('Hello', 0, 100), run('world', 40, 100), run('next', 0, 85)])).toBe('Hello world\nnext');
  });
  it('keeps runs that touch together and honours hasEOL', () => {
    expect(joinRuns([run('infor', 0, 100, 25), run('mation', 25, 100, 30, true), run('x', 0, 100)])).toBe('information\nx');
  });
});

describe('joinRuns right to left', () => {
  it('spaces a run placed left of the previous one by the gap to its start', () => {
    // Hebrew, then a number drawn to its left with a gap (pdf.js gives runs in drawing order).
    expect(joinRuns([run('סעיף', 100, 100, 20), run('15', 70, 100, 10), run('ב', 60, 100, 10)])).toBe('סעיף 15ב');
  });
});

describe('joinRuns overprinting', () => {
  it('drops glyphs drawn again on top of themselves (fake bold)', () => {
    const bold = ['T', 'e', 's', 't'].flatMap((c, i) => [0, 0.3, 0.6].map((d) => run(c, i * 5 + d, 100, 5)));
    expect(joinRuns(bold)).toBe('Test');
    expect(joinRuns([run('a', 0, 100, 5), run('a', 5, 100, 5)])).toBe('aa');
  });
  it('drops glyph copies that pdf.js merged into the next run (T, T, Te, e, es, s, st)', () => {
    const merged = [run('T', 0, 100, 5), run('T', 0.2, 100, 5), run('Te', 0.1, 100.3, 10), run('e', 5.1, 100, 5), run('es', 5.2, 100.3, 10), run('s', 10.1, 100, 5), run('st', 10, 100.3, 10)];
    expect(joinRuns(merged)).toBe('Test');
    expect(joinRuns([run('ll', 0, 100, 10), run('l', 10, 100, 5)])).toBe('lll');
  });
  it('keeps columns of vertical text, whose runs are as tall as the column', () => {
    // pdf.js gives a vertical run its advance as height; the next column is one font size to the left.
    const column = (str: string, x: number) => ({ str, transform: [10, 0, 0, 10, x, 500], width: 10, height: str.length * 10, hasEOL: true });
    // The same verse in two columns is not text drawn twice on top of itself.
    expect(joinRuns([column('吾生也有涯而知也无涯', 300), column('吾生也有涯而知也无涯', 288)])).toBe('吾生也有涯而知也无涯\n吾生也有涯而知也无涯\n');
  });
});

describe('composeSpacingAccents', () => {
  it('puts old dvips accents back on their letters', () => {
    expect(composeSpacingAccents('f\u00a8ur Gr\u00a8o\u00dfe')).toBe('für Größe');
    expect(composeSpacingAccents('caf\u00b4e')).toBe('café');
  });
  it('leaves marks that do not compose', () => {
    expect(composeSpacingAccents('x\u00a8q')).toBe('x\u00a8q');
    expect(composeSpacingAccents('price ¨ list')).toBe('price ¨ list');
  });
});

describe('collapseLetterSpacing', () => {
  it('joins letter-spaced words separated by wider gaps', () => {
    expect(collapseLetterSpacing('T h e  q u i c k  f o x')).toBe('The quick fox');
  });
  it('leaves one-letter words alone when there are no wider gaps', () => {
    expect(collapseLetterSpacing('a b c d e f g')).toBe('a b c d e f g');
    expect(collapseLetterSpacing('x = a  b')).toBe('x = a  b');
  });
});

describe('cleanPageText', () => {
  it('normalizes to NFC and trims trailing space', () => {
    expect(cleanPageText('Cafe\u0301  \n\n\n\nend  ')).toBe('Café\n\nend');
  });
});

describe('usableCharRatio', () => {
  it('is low for control and private-use junk', () => {
    expect(usableCharRatio('\u0001\u0002\ue000\ue001ab')).toBeLessThan(0.5);
    expect(usableCharRatio('plain words')).toBe(1);
  });
});

describe('joinRuns and usableCharRatio against their first formulation (test/pdf/text-reference.ts)', () => {
  // Characters that exercise every branch: ASCII, whitespace of several kinds, accents, Hebrew,
  // CJK, an astral code point (a surrogate pair), lone surrogates, controls, private use, unassigned.
  const char = fc.constantFrom('a', 'b', 'T', 'e', 's', '1', ' ', '\t', '\n', '\u00a0', '\u3000', '\u2028', 'é', '\u0308', 'ב', '中', '😀', '\ud800', '\udc00', '\u0001', '\u0085', '\ue000', '\u0378', '\ufffd', 'ſ');
  const text = fc.array(char, { maxLength: 12 }).map((cs) => cs.join(''));
  // Runs drawn near each other, often exactly on top of each other (the overprint checks), sometimes rotated.
  const coordinate = fc.oneof(fc.constantFrom(0, 0.5, 5, 10, 100, -0), fc.double({ min: -50, max: 150, noNaN: true }));
  const textRun = fc.record({
    str: text,
    transform: fc.tuple(fc.constantFrom(10, 12), fc.constantFrom(0, 0, 0, 3), fc.constantFrom(0, 0, 0, -3), fc.constantFrom(10, 12, 0), coordinate, coordinate),
    width: fc.oneof(fc.constantFrom(0, 5, 10, 25), fc.double({ min: 0, max: 80, noNaN: true })),
    height: fc.constantFrom(0, 10, 12, 300),
    hasEOL: fc.boolean(),
  });

  it('joinRuns gives the same text for any runs, overprinted or not', () => {
    fc.assert(
      fc.property(fc.array(textRun, { maxLength: 40 }), (runs) => {
        expect(joinRuns(runs)).toBe(referenceJoinRuns(runs));
      }),
      { numRuns: 3000 },
    );
    // and overprinting that the generator above rarely hits exactly: each run drawn 1-3 times
    fc.assert(
      fc.property(fc.array(fc.tuple(textRun, fc.integer({ min: 1, max: 3 }), fc.constantFrom(0, 0.3, 1)), { maxLength: 15 }), (drawn) => {
        const runs = drawn.flatMap(([r, times, shift]) => Array.from({ length: times }, (_, k) => ({ ...r, transform: [...r.transform.slice(0, 4), r.transform[4]! + k * shift, r.transform[5]!] })));
        expect(joinRuns(runs)).toBe(referenceJoinRuns(runs));
      }),
      { numRuns: 3000 },
    );
    // and a long run's tail drawn again where it was: which of its glyphs are still remembered
    const letters = fc.array(fc.constantFrom('a', 'b', 'c', 'é', '😀'), { minLength: 25, maxLength: 45 });
    fc.assert(
      fc.property(letters, fc.nat(45), fc.double({ min: 1, max: 9, noNaN: true }), (chars, from, advance) => {
        const k = Math.min(from, chars.length - 1);
        const whole = { str: chars.join(''), transform: [10, 0, 0, 10, 0, 100], width: advance * chars.length, height: 10, hasEOL: false };
        const tail = { ...whole, str: chars.slice(k).join(''), transform: [10, 0, 0, 10, advance * k, 100], width: advance * (chars.length - k) };
        expect(joinRuns([whole, tail])).toBe(referenceJoinRuns([whole, tail]));
      }),
      { numRuns: 2000 },
    );
  });

  it('usableCharRatio gives the same ratio for any text', () => {
    fc.assert(
      fc.property(fc.oneof(text, fc.string({ unit: 'binary', maxLength: 40 }), fc.string({ maxLength: 40 })), (s) => {
        expect(usableCharRatio(s)).toBe(referenceUsableCharRatio(s));
      }),
      { numRuns: 5000 },
    );
  });
});
