import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyzerNames } from '../../src/text/analyzer.js';
import { CORPUS, describeWithCorpus } from '../helpers.js';
import { linePaths } from './line-diff.js';

const OPTIONS = [
  { field: 'text', keepText: false },
  { field: 'text', keepText: true },
  { field: 'body', keepText: false },
];

/** Runs the lines through both paths for every analyzer and option set; returns how many took the byte path. */
function expectSameOutput(lines: readonly string[]): number {
  let fast = 0;
  for (const analyzer of analyzerNames()) {
    for (const opts of OPTIONS) {
      const paths = linePaths(analyzer, opts);
      for (const line of lines) {
        const got = paths.command(line);
        if (got.bytePath) fast++;
        const want = paths.reference(line);
        if (got.output !== want) expect({ analyzer, opts, line, output: got.output }).toEqual({ analyzer, opts, line, output: want });
      }
    }
  }
  return fast;
}

describe('tokenize byte path (tokenize-line.ts)', () => {
  it('takes plain page records, and writes what the reference path writes', () => {
    const paths = linePaths('en', { field: 'text', keepText: false });
    const line = JSON.stringify({ doc: 'a.pdf', page: 3, text: "The Runners' 3.14 km, don't STOP\nrunning" });
    const got = paths.command(line);
    expect(got.bytePath).toBe(true);
    expect(got.output).toBe(`{"doc":"a.pdf","page":3,"tokens":["runner","3.14","km","don't","stop","run"],"analyzer":"en/1"}`);
    expect(got.output).toBe(paths.reference(line));
  });

  it('gives the same bytes on tricky texts and records, taking the byte path for most', () => {
    const texts = [
      '', ' ', 'a', 'A', '9', "'", "a'", "'a", "a'b", "a''b", 'a.b', '1.5', '1.', '.5', '1,000.25', '1.a', 'a1.5', '3.x', 'a.5 x,5', "5'a a'5",
      'infor-\nmation information', 'infor-\nmation', 'Max-\nPlanck', 'ISO-\n9000', 'well-\n\nknown', 'end-', 'a -\n b', 'x-  \n  y',
      'co\u00ad\noperate', 'soft\u00adhyphen', 'zero\u200bwidth', 'café Café CAFÉ', 'naïve’s', 'l’homme', 'don’t', 'Straße', 'ﬁnal ﬂow',
      'Ǆemal İstanbul', 'ΣΟΦΙΑ σοφίας', 'данные ёлка', '中文字 日本語のテキスト', 'ไทยภาษา', 'ｆｕｌｌ　ｗｉｄｔｈ', '١٢٣ ٤٥', '😀 emoji 𝐀𝐁',
      '\ud800 lone \udc00 surrogates', 'tab\there', 'cr\r\nlf', 'quote "inside" \\ backslash / slash', '\u0003ctrl\u001bchars\u0000',
      'a\u2028b\u2029c', 'x'.repeat(150), 'Y'.repeat(101), 'z'.repeat(100), '1'.repeat(120), 'the and of THE', 'word-word', "rock'n'roll",
      'e-mail E-Mail', 'Zebra ZZ', 'ascii then é', 'é then ascii', 'mixed caféteria-\nstyle', 'numbers 2024-01-02 10:30',
    ];
    const lines: string[] = [];
    for (const text of texts) {
      lines.push(JSON.stringify({ doc: 'd', page: 1, text }));
      lines.push(JSON.stringify({ text, body: text, n: -1.5e-7, t: true, f: false, z: null, arr: [1, 'x', [{}], { k: 'v' }], obj: { a: { b: [] } } }));
    }
    // Escapes JSON.stringify would not write (\u for ASCII, \/), and odd records: the byte path
    // must refuse them or still match.
    lines.push(
      '{"text":"\\u0041BC \\u00e9t\\u00E9 \\/ \\ud83d\\ude00 \\u000a\\u0020x"}',
      '{"text":"a-\\u000a b"}',
      '{"text":"bad \\x escape"}',
      '{"text":"raw\ttab"}',
      '{"te\\u0078t":"escaped key"}',
      '{"text":"dup","text":"duplicate key"}',
      '{"0":1,"text":"integer-like key"}',
      '{"__proto__":{"x":1},"text":"proto key"}',
      '{"text":"spaced", "doc":"a"}',
      '{ "text":"spaced"}',
      '{"text":"n","page":1.0}',
      '{"text":"n","page":-0}',
      '{"text":"n","page":1e3}',
      '{"text":"n","page":12345678901234567890}',
      '{"text":"n","page":0.1}',
      '{"text":"n","doc":"\\/x"}',
      '{"text":"n","doc":"\\u001f\\u0007"}',
      '{"text":"n","doc":"\\u001F"}',
      '{"text":"n","tokens":["old"]}',
      '{"text":"n","analyzer":"en/1"}',
      '{"text":"n","analyzer":"standard/1"}',
      '{"text":5}',
      '{"doc":"no text"}',
      '{}',
      '{"text":"unterminated}',
      '{"text":"x"} trailing',
      '{"text":"x","nested":{"a":1,"a":2}}',
      '{"text":"x","nested":{"1":1,"b":2}}',
      '{"text":"x","arr":[1,2,]}',
      '{"text":"x","deep":' + '['.repeat(40) + ']'.repeat(40) + '}',
    );
    const fast = expectSameOutput(lines);
    expect(fast).toBeGreaterThan(analyzerNames().length * OPTIONS.length * texts.length);
  });

  it('numbers the chunks of a page as the reference path does, whichever path each chunk takes', () => {
    const lines = [
      { doc: 'a', page: 1, chunk: 0, chunks: 3, text: 'one two three' },
      { doc: 'b', page: 1, text: 'other document' },
      { doc: 'a', page: 1, chunk: 1, chunks: 3, text: 'four infor-\nmation information' },
      { doc: 'a', page: 1, chunk: 2, chunks: 3, text: 'six' },
      { path: 'p', doc: null, page: 2, chunk: 0, chunks: 2, text: 'seven' },
      { path: 'p', doc: null, page: 2, chunk: 1, chunks: 2, text: 'eight nine' },
      { file: 'f', chunk: 0, chunks: 2, text: 'ten' },
      { file: 'f', chunk: 1, chunks: 2, text: 'eleven' },
      { doc: 'c', page: 1, chunk: 1, chunks: 2, text: 'late chunk' },
    ].map((r) => JSON.stringify(r));
    expectSameOutput(lines);
    const paths = linePaths('standard', { field: 'text', keepText: false });
    const offsets = lines.map((l) => JSON.parse(paths.command(l).output!).tokenOffset);
    expect(offsets).toEqual([0, undefined, 3, 6, 0, 1, 0, 1, undefined]);
  });

  it('property: random records give the same bytes as the reference path', () => {
    const pieces = [
      'Word', 'word', 'WORD', 'the', 'Running', "don't", "x'", '3.14', '1,000', '2.', 'a.b', '-', '-\n', '- \n ', '\n', ' ', '\t', '\r',
      'infor', 'mation', 'é', 'É', '’', '\u00ad', '\u200b', '\u2010', '中文', 'ไทย', 'данные', 'ß', 'ﬁ', 'İ', '😀', '\ud800', '\udc00',
      '"', '\\', '/', '\u0003', '\u0000', '\u007f', '\u2028', 'x'.repeat(101), '٣', ',', '.', "'",
    ];
    // Single ASCII characters often, so that the rules between neighbours (' . , -) get exercised.
    const piece = fc.oneof({ weight: 2, arbitrary: fc.constantFrom(...'aZ50.,\'- \n') }, { weight: 3, arbitrary: fc.constantFrom(...pieces) });
    const text = fc.array(piece, { maxLength: 30 }).map((a) => a.join(''));
    const scalar = fc.oneof(text, fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null));
    const value = fc.oneof(scalar, fc.array(scalar, { maxLength: 3 }), fc.dictionary(fc.constantFrom('a', 'b', '1', 'ü'), scalar, { maxKeys: 3 }));
    const key = fc.constantFrom('doc', 'page', 'path', 'file', 'chunk', 'chunks', 'meta', 'x', 'tokens', 'analyzer', '0', 'body', 'ü');
    const record = fc.record({
      text: fc.oneof({ weight: 8, arbitrary: text }, { weight: 1, arbitrary: value }),
      before: fc.dictionary(key, value, { maxKeys: 3 }),
      after: fc.dictionary(key, fc.oneof(value, fc.integer({ min: 0, max: 3 })), { maxKeys: 3 }),
      withText: fc.boolean(),
      mutate: fc.constantFrom('none', 'none', 'escape-e-acute', 'escape-slash', 'escape-x'),
    });
    fc.assert(
      fc.property(fc.array(record, { minLength: 1, maxLength: 6 }), fc.constantFrom(...analyzerNames()), fc.constantFrom(...OPTIONS), (records, analyzer, opts) => {
        const paths = linePaths(analyzer, opts);
        for (const r of records) {
          const obj: Record<string, unknown> = { ...r.before };
          if (r.withText) obj[opts.field] = r.text;
          Object.assign(obj, r.after);
          let line = JSON.stringify(obj);
          // Characters that only occur inside strings here, written the other ways JSON allows.
          if (r.mutate === 'escape-e-acute') line = line.replaceAll('é', '\\u00e9');
          if (r.mutate === 'escape-slash') line = line.replaceAll('/', '\\/');
          if (r.mutate === 'escape-x') line = line.replaceAll('x', '\\u0078');
          expect(paths.command(line).output).toBe(paths.reference(line));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('property: long texts give the same bytes as the reference path, whatever falls on a 64-byte boundary or next to a non-ASCII letter', () => {
    // The byte path reads plain ASCII 64 bytes at a time (wasm/byte-tokenizer.ts): words, escapes and
    // the rules between neighbours land on every offset of a chunk, and some words are longer than one.
    // Letters it folds itself (é ß Σ ё…) and characters only the analyzer takes (’ – ﬁ 中 soft hyphen)
    // mix with them, and a few escapes are invalid (\x, a lone backslash): both paths must refuse those.
    const word = fc.stringMatching(/^[a-zA-Z0-9]{1,20}$/);
    const long = fc.integer({ min: 15, max: 140 }).map((n) => 'Ab1'.repeat(n).slice(0, n));
    const between = fc.constantFrom(' ', '  ', '\\n', '\\n\\n', '\\t', '\\r\\n', ', ', '. ', '.', ',', "'", '-', '-\\n', '\\"', '\\\\', '\\/', '\\u0041', '\\u00e9', 'é', 'É', 'ß', 'İ', 'Σ', 'ς', 'ё', 'щ', 'ά', 'ﬁ', '’', '–', '“', '\u00ad', '中', '(', ')', '\\b', '\\f', '\\x', '\\', '١');
    const piece = fc.oneof({ weight: 6, arbitrary: word }, { weight: 1, arbitrary: long }, { weight: 5, arbitrary: between });
    const text = fc.array(piece, { minLength: 1, maxLength: 120 }).map((a) => a.join(''));
    fc.assert(
      fc.property(fc.array(text, { minLength: 1, maxLength: 4 }), fc.constantFrom(...analyzerNames()), (texts, analyzer) => {
        const paths = linePaths(analyzer, { field: 'text', keepText: false });
        for (const t of texts) {
          // Built as JSON string content, so that escapes are written as given.
          const line = `{"doc":"d","page":1,"text":"${t}"}`;
          expect(paths.command(line).output).toBe(paths.reference(line));
        }
      }),
      { numRuns: 500 },
    );
  });
});

describeWithCorpus('tokenize byte path on the shared corpus', () => {
  it('writes what the reference path writes for the pdftotext pages of every good PDF, every analyzer', () => {
    const lines: string[] = [];
    for (const f of readdirSync(join(CORPUS, 'good')).filter((n) => n.endsWith('.pdf')).sort()) {
      const text = execFileSync('pdftotext', ['-q', '-enc', 'UTF-8', '-l', '6', join(CORPUS, 'good', f), '-'], { encoding: 'utf8', maxBuffer: 1 << 28 });
      text.split('\f').forEach((page, i) => {
        if (/\S/.test(page)) lines.push(JSON.stringify({ doc: f, page: i + 1, text: page }));
      });
    }
    const fast = expectSameOutput(lines);
    // Nearly every page takes the byte path (the rest: line-end hyphenations decided by the whole page).
    expect(fast).toBeGreaterThan(0.95 * lines.length * analyzerNames().length * OPTIONS.length * (2 / 3));
    // Memos so small that they evict all the time (on real input they evict only past 131072 distinct words or spans).
    for (const analyzer of ['standard', 'en', 'auto']) {
      const paths = linePaths(analyzer, { field: 'text', keepText: false, memoEntries: 256 });
      for (const line of lines) {
        const got = paths.command(line).output;
        const want = paths.reference(line);
        if (got !== want) expect({ analyzer, line, output: got }).toEqual({ analyzer, line, output: want });
      }
    }
  }, 120_000);
});
