import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compileFilter, equal, truthy } from '../../src/expr/compile.js';
import { ExprSyntaxError, parse } from '../../src/expr/parse.js';

const page = {
  doc: 'a/Report 2024.pdf',
  page: 3,
  pages: 12,
  lang: 'en',
  chars: 1800,
  text: 'Quarterly INVOICE summary',
  tags: ['finance', 'q3'],
  meta: { author: 'Ada Lovelace', year: 1843, editors: [{ name: 'Babbage' }], empty: null },
  'odd key': 1,
  and: 'keyword-named field',
};

function keeps(expr: string, record: Record<string, unknown> = page): boolean {
  return compileFilter(expr)(record);
}

function syntaxError(expr: string): ExprSyntaxError {
  try {
    compileFilter(expr);
  } catch (err) {
    if (err instanceof ExprSyntaxError) return err;
    throw err;
  }
  throw new Error(`no syntax error for ${expr}`);
}

describe('filter expressions', () => {
  it('compares numbers and strings, and combines with and/or/not', () => {
    expect(keeps('pages > 10 and lang == "en"')).toBe(true);
    expect(keeps('pages > 12 or lang != "en"')).toBe(false);
    expect(keeps('not (page <= 2)')).toBe(true);
    expect(keeps('!(page >= 3) || chars < 100')).toBe(false);
    expect(keeps("lang = 'en' && page == 3")).toBe(true);
    expect(keeps('doc >= "a/" and doc < "b"')).toBe(true);
  });

  it('binds and tighter than or, arithmetic tighter than comparison', () => {
    expect(keeps('page == 1 and page == 2 or pages == 12')).toBe(true);
    expect(keeps('pages - page * 2 == 6')).toBe(true);
    expect(keeps('(pages - page) * 2 == 18')).toBe(true);
    expect(keeps('pages % 5 == 2 and -page == 0 - 3 and pages / 4 == 3')).toBe(true);
    expect(keeps('lang + "-GB" == "en-GB"')).toBe(true);
  });

  it('reads nested fields, array indexes and awkward names', () => {
    expect(keeps('meta.author == "Ada Lovelace" and meta.year < 1900')).toBe(true);
    expect(keeps('meta.editors[0].name == "Babbage"')).toBe(true);
    expect(keeps('tags[-1] == "q3" and tags[5] == null')).toBe(true);
    expect(keeps('`odd key` == 1 and `and` starts "keyword"')).toBe(true);
    expect(keeps('meta["author"] ends "Lovelace"')).toBe(true);
    expect(keeps('.meta.year == 1843')).toBe(true); // jq habit
  });

  it('treats missing fields as null and never as a match for ordering', () => {
    expect(keeps('missing == null and meta.empty == null and meta.nope.deeper == null')).toBe(true);
    expect(keeps('missing > 0 or missing < 0 or missing >= "" ')).toBe(false);
    expect(keeps('missing != 3')).toBe(true);
    expect(keeps('not exists(missing) and exists(meta.empty)')).toBe(true);
    expect(keeps('missing + 1 > 0 or missing contains "x"')).toBe(false);
    expect(keeps('text.length > 0 or tags.length > 0')).toBe(false); // no property magic on strings/arrays
  });

  it('never reads inherited properties (data stays data)', () => {
    expect(keeps('exists(constructor) or exists(__proto__) or exists(toString) or exists(meta.constructor)')).toBe(false);
    expect(keeps('type(constructor) == "missing"')).toBe(true);
    const owned = JSON.parse('{"constructor": "mine", "__proto__": {"x": 1}}');
    expect(keeps('constructor == "mine" and __proto__.x == 1', owned)).toBe(true);
  });

  it('does not convert types in comparisons', () => {
    expect(keeps('page == "3"')).toBe(false);
    expect(keeps('page < "4"')).toBe(false);
    expect(keeps('num("3") == page and str(page) == "3"')).toBe(true);
  });

  it('has string operators, case-insensitive variants and regexes', () => {
    expect(keeps('text contains "INVOICE" and not (text contains "invoice")')).toBe(true);
    expect(keeps('text icontains "invoice" and text istarts "quarterly" and doc iends ".PDF"')).toBe(true);
    expect(keeps('text matches /^Quarterly \\w+/ and doc =~ /report/i and doc !~ /draft/')).toBe(true);
    expect(keeps('text imatches "^quarterly" and not (text matches "SUMMARY")')).toBe(true);
    expect(keeps('text not matches /invoice/')).toBe(true);
    expect(keeps('page contains "3" or page matches /3/')).toBe(false);
    expect(keeps('doc matches /a\\/Report/')).toBe(true);
  });

  it('tests membership with in, not in and contains on arrays', () => {
    expect(keeps('lang in ["en", "de"] and page in [1, 2, 3]')).toBe(true);
    expect(keeps('lang not in ["en"]')).toBe(false);
    expect(keeps('"q3" in tags and tags contains "finance"')).toBe(true);
    expect(keeps('"INVOICE" in text')).toBe(true);
    expect(keeps('missing in [null] and meta.empty in [null, 1]')).toBe(true); // missing equals null here too
    expect(keeps('missing in ["", 0, false]')).toBe(false);
    expect(keeps('tags == ["finance", "q3"] and not (tags == ["q3", "finance"])')).toBe(true);
  });

  it('has functions', () => {
    expect(keeps('len(text) == 25 and len(tags) == 2 and len(meta) == 4 and len(page) == null')).toBe(true);
    expect(keeps('lower(lang) == "en" and upper(lang) == "EN" and trim("  x ") == "x"')).toBe(true);
    expect(keeps('type(tags) == "array" and type(meta) == "object" and type(meta.empty) == "null"')).toBe(true);
    expect(keeps('abs(-2) == 2 and floor(2.7) == 2 and ceil(2.1) == 3 and round(2.5) == 3')).toBe(true);
    expect(keeps('min(3, 1, 2) == 1 and max([4, 9]) == 9 and max(["x"]) == null')).toBe(true);
    expect(keeps('min(page, pages) == 3 and max(page, "x") == 3')).toBe(true);
    expect(keeps('num("007") == 7 and num("x") == null and num("") == null')).toBe(true);
  });

  it('uses truthiness for bare values', () => {
    expect(keeps('tags and meta and text')).toBe(true);
    expect(keeps('meta.empty or missing or 0 or ""')).toBe(false);
    expect(keeps('1 / 0 == null and pages / 0 == null')).toBe(true);
  });

  it('points at the fault of a bad expression', () => {
    const cases: [string, number, RegExp][] = [
      ['pages > ', 8, /expected a value/],
      ['pages > 3 and', 13, /end of the expression/],
      ['(pages > 3', 10, /expected '\)'/],
      ['pages >> 3', 7, /expected a value, found '>'/],
      ['lang == "en', 8, /not closed/],
      ['nosuch(x)', 0, /unknown function 'nosuch'/],
      ['len(a, b)', 0, /takes 1 argument/],
      ['text matches lang', 13, /regular expression/],
      ['text matches /(/', 13, /bad regular expression/],
      ['1 < page < 5', 9, /do not chain/],
      ['', 0, /empty/],
      ['page # 3', 5, /unexpected character '#'/],
      ['3abc', 1, /number runs into a name/],
      ['/x/ == 1', 0, /regular expression can only follow/],
    ];
    for (const [expr, at, message] of cases) {
      const err = syntaxError(expr);
      expect([expr, err.at]).toEqual([expr, at]);
      expect(err.message).toMatch(message);
      expect(err.pointer()[1]!.indexOf('^') - 2).toBe(at);
    }
    expect(() => compileFilter('max()')).toThrow(ExprSyntaxError);
  });

  it('refuses expressions nested too deeply as syntax errors (no stack overflow), showing the fault in a window', () => {
    const deep = syntaxError('('.repeat(20000) + 'true' + ')'.repeat(20000));
    expect(deep.message).toBe('expression nested more than 256 levels deep');
    expect(syntaxError('not '.repeat(20000) + 'true').message).toBe('expression nested more than 256 levels deep');
    expect(syntaxError('-'.repeat(5000) + '1 > 0').message).toBe('expression nested more than 256 levels deep');
    expect(syntaxError(Array(5000).fill('true').join(' and ')).message).toMatch(/^expression nested more than 2000 levels deep/);
    // Nesting that real filters use is fine, and so is a long flat chain.
    expect(compileFilter('('.repeat(100) + 'x == 1' + ')'.repeat(100))({ x: 1 })).toBe(true);
    expect(compileFilter(Array(1000).fill('x == 1').join(' or '))({ x: 1 })).toBe(true);
    // The pointer shows a window of the expression around the fault, not all of it.
    const [line, caret] = deep.pointer();
    expect(line!.length).toBeLessThan(140);
    expect(line!.at(caret!.indexOf('^'))).toBe('(');
  });

  it('reads keywords only as operators', () => {
    expect(syntaxError('and == 1').message).toMatch(/`and`/);
    expect(parse('a or b and c')).toMatchObject({ kind: 'logical', op: 'or', right: { kind: 'logical', op: 'and' } });
  });

  it('agrees with plain JavaScript on random numeric comparisons', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1000, max: 1000 }), fc.integer({ min: -1000, max: 1000 }), fc.constantFrom('<', '<=', '>', '>=', '==', '!='), (x, y, op) => {
        const js = { '<': x < y, '<=': x <= y, '>': x > y, '>=': x >= y, '==': x === y, '!=': x !== y }[op];
        expect(keeps(`x ${op} ${y}`, { x })).toBe(js);
        expect(keeps(`${x} ${op} y`, { y })).toBe(js);
      }),
    );
  });

  it('equal and truthy follow the documented rules', () => {
    expect(equal(undefined, null)).toBe(true);
    expect(equal({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] })).toBe(true);
    expect(equal({ a: 1 }, { b: 1 })).toBe(false);
    expect(equal([1], { 0: 1 })).toBe(false);
    expect([0, '', null, undefined, false, NaN].map(truthy)).toEqual([false, false, false, false, false, false]);
    expect([1, 'x', [], {}, true].map(truthy)).toEqual([true, true, true, true, true]);
  });
});
