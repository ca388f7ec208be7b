import { describe, expect, it } from 'vitest';
import { getAnalyzer, type Analyzer } from '../../src/text/analyzer.js';
import { ByteTokenizer } from '../../src/text/byte-tokenizer.js';

/** The analyzer with its calls from the byte tokenizer counted. */
function counted(name: string): { analyzer: Analyzer; calls: { spans: number; words: number; folded: number } } {
  const inner = getAnalyzer(name);
  const calls = { spans: 0, words: 0, folded: 0 };
  const analyzer: Analyzer = Object.create(inner);
  analyzer.appendJson = (text, out) => {
    calls.spans++;
    inner.appendJson(text, out);
  };
  analyzer.asciiWordToken = (word) => {
    calls.words++;
    return inner.asciiWordToken(word);
  };
  analyzer.foldedWordToken = (word, script) => {
    calls.folded++;
    return inner.foldedWordToken(word, script);
  };
  return { analyzer, calls };
}

/** The tokens the byte tokenizer finds in `text` (a JS string, encoded as in an NDJSON line), or undefined when it refuses. */
function tokensOf(tokenizer: ByteTokenizer, text: string): string[] | undefined {
  const line = Buffer.from(JSON.stringify({ text }));
  const start = line.indexOf('"text":"') + 8;
  if (!tokenizer.tokenize(line, start, line.length - 2)) return undefined;
  const tokens = JSON.parse(Buffer.from(tokenizer.tokens()).toString('utf8')) as string[];
  expect(tokenizer.count).toBe(tokens.length);
  return tokens;
}

describe('ByteTokenizer (the WebAssembly byte path)', () => {
  it('asks the analyzer once per distinct span and per distinct word, whatever its case', () => {
    const { analyzer, calls } = counted('en');
    const tokenizer = new ByteTokenizer(analyzer);
    // Spans only the analyzer takes (ﬁ changes under NFKC, a combining accent composes, Han is
    // segmented): "ﬁnal", "(ﬁnal),", "Cafe\u0301" and "中文", each asked once.
    const text = 'Running ﬁnal RUNNING running ﬁnal Cafe\u0301 (ﬁnal), 中文 Cafe\u0301 中文 the THE';
    expect(tokensOf(tokenizer, text)).toEqual(getAnalyzer('en').analyze(text));
    expect(calls).toEqual({ spans: 4, words: 2, folded: 0 });
    expect(tokensOf(tokenizer, text)).toEqual(getAnalyzer('en').analyze(text));
    expect(calls).toEqual({ spans: 4, words: 2, folded: 0 });
  });

  it('folds letters of the two-byte range itself, and asks for the language steps once per folded word', () => {
    const { analyzer, calls } = counted('en');
    const tokenizer = new ByteTokenizer(analyzer);
    // café Café CAFÉ fold to one word (cafe), Straße to another (strasse; STRASSE is an ASCII word),
    // naïve’s to naive's; Ωμέγα is Greek and 3,14é starts with a digit (no language steps).
    const text = 'café Café CAFÉ, (café) Straße STRASSE naïve’s Ωμέγα 3,14é';
    expect(tokensOf(tokenizer, text)).toEqual(getAnalyzer('en').analyze(text));
    expect(calls).toEqual({ spans: 0, words: 1, folded: 3 });
    const ru = counted('ru');
    const russian = new ByteTokenizer(ru.analyzer);
    const words = 'Ёлка ёлки, ЁЛКА и Москва; Москвы. москва';
    expect(tokensOf(russian, words)).toEqual(getAnalyzer('ru').analyze(words));
    expect(ru.calls).toEqual({ spans: 0, words: 0, folded: 5 });
    // ’ between letters is part of a word, as ' is; control characters (written \u0003) are separators.
    const typeset = counted('fr');
    const french = new ByteTokenizer(typeset.analyzer);
    const quotes = 'l’été d’Ávila ’cité’ rock’n’roll x’ ’y é\u0003è\u001bÉté';
    expect(tokensOf(french, quotes)).toEqual(getAnalyzer('fr').analyze(quotes));
    expect(typeset.calls.spans).toBe(0);
    // ASCII letters joined by ’ alone (no letter of the two-byte table met before): steps still apply.
    for (const name of ['en', 'fr']) {
      const words = 'Word’the doesn’t rock’n’roll';
      expect(tokensOf(new ByteTokenizer(getAnalyzer(name)), words)).toEqual(getAnalyzer(name).analyze(words));
    }
    // A word's script is its first letter's (as the scanner decides): the steps of mixed words follow it.
    const mixed = 'éМосква Москваé ωМосква Москваω 1Москва Москва1 xМосква Москваx ªМосква ǅМосква';
    for (const name of ['ru', 'auto', 'en']) {
      expect(tokensOf(new ByteTokenizer(getAnalyzer(name)), mixed)).toEqual(getAnalyzer(name).analyze(mixed));
    }
  });

  it('analyzes a span longer than the memo keeps every time it is seen', () => {
    const { analyzer, calls } = counted('standard');
    const tokenizer = new ByteTokenizer(analyzer);
    const long = '中文'.repeat(20); // 120 bytes, no space: one span
    for (let i = 0; i < 3; i++) expect(tokensOf(tokenizer, `${long} x`)).toEqual(getAnalyzer('standard').analyze(long + ' x'));
    expect(calls.spans).toBe(3);
  });

  it('evicts when its memos are full and still answers right', () => {
    const { analyzer, calls } = counted('en');
    const tokenizer = new ByteTokenizer(analyzer, 16);
    const words = Array.from({ length: 200 }, (_, i) => `word${String.fromCharCode(97 + (i % 26))}${i} wörd${i}`);
    for (let round = 0; round < 2; round++) {
      for (const w of words) expect(tokensOf(tokenizer, w)).toEqual(getAnalyzer('en').analyze(w));
    }
    expect(tokenizer.evictions).toBeGreaterThan(0);
    expect(calls.folded).toBeGreaterThan(200);
  });

  it('grows its buffers for a large text, and gives the analyzer’s tokens', () => {
    const tokenizer = new ByteTokenizer(getAnalyzer('standard'));
    // ~6 MB: the output (CJK bigrams take three times their text) outgrows every initial buffer.
    const text = Array.from({ length: 40_000 }, (_, i) => `Word${i} 日本語テキスト${i % 97} ε${i % 13}`).join('\n');
    expect(tokensOf(tokenizer, text)).toEqual(getAnalyzer('standard').analyze(text));
    expect(tokensOf(tokenizer, 'after')).toEqual(['after']);
  });

  it('refuses a line-end hyphenation that the whole text decides, and invalid escapes', () => {
    const tokenizer = new ByteTokenizer(getAnalyzer('standard'));
    expect(tokensOf(tokenizer, 'infor-\nmation')).toBeUndefined();
    expect(tokensOf(tokenizer, 'über-\nall')).toBeUndefined();
    const bad = Buffer.from('{"text":"a \\uZZZZ b"}');
    expect(tokenizer.tokenize(bad, 9, bad.length - 2)).toBe(false);
    expect(tokensOf(tokenizer, 'still fine')).toEqual(['still', 'fine']);
  });
});
