import { describe, expect, it } from 'vitest';
import { getAnalyzer, allAnalyzers, analyzerNames } from '../../src/text/analyzer.js';
import { UsageError } from '../../src/stream/report.js';

const standard = getAnalyzer('standard');
const tokens = (name: string, text: string): string[] => getAnalyzer(name).analyze(text);

describe('analyzer registry', () => {
  it('finds analyzers by name and by versioned id', () => {
    expect(getAnalyzer('en').id).toBe('en/1');
    expect(getAnalyzer('en/1')).toBe(getAnalyzer('en'));
    expect(analyzerNames()).toEqual(expect.arrayContaining(['standard', 'en', 'de', 'fr', 'ru', 'cjk', 'auto']));
  });

  it('refuses unknown names with a usage error listing the known ones', () => {
    expect(() => getAnalyzer('klingon')).toThrow(UsageError);
    expect(() => getAnalyzer('en/2')).toThrow(/known: standard, en, de, fr, ru, cjk, auto/);
  });

  it('describes every analyzer as steps', () => {
    for (const a of allAnalyzers()) expect(a.steps.length).toBeGreaterThan(0);
  });
});

describe('standard: PDF damage', () => {
  it('expands ligatures and compatibility forms (NFKC)', () => {
    expect(tokens('standard', 'ﬁnal ﬂow ｆｕｌｌ')).toEqual(['final', 'flow', 'full']);
  });

  it('drops soft hyphens and zero-width characters inside words', () => {
    expect(tokens('standard', 'infor\u00admation zero\u200bwidth joi\u200dner \ufeffbom')).toEqual(['information', 'zerowidth', 'joiner', 'bom']);
  });

  it('joins a soft hyphen at a line end', () => {
    expect(tokens('standard', 'infor\u00ad\nmation')).toEqual(['information']);
  });

  it('joins a word hyphenated at a line end', () => {
    expect(tokens('standard', 'the infor-\nmation age')).toEqual(['the', 'information', 'age']);
    expect(tokens('standard', 'the infor-  \r\n   mation')).toEqual(['the', 'information']);
  });

  it('keeps the hyphen of a compound broken at its hyphen when the page shows it is one', () => {
    // the page uses "well" and "known" as words of their own
    expect(tokens('standard', 'as is well known, this is well-\nknown')).toEqual(['as', 'is', 'well', 'known', 'this', 'is', 'well', 'known']);
    // the page writes the compound with its hyphen elsewhere
    expect(tokens('standard', 'a state-of-the-art method; state-of-the-\nart')).toEqual(['a', 'state', 'of', 'the', 'art', 'method', 'state', 'of', 'the', 'art']);
    // a capital or a digit after the break
    expect(tokens('standard', 'Max-\nPlanck ISO-\n9000')).toEqual(['max', 'planck', 'iso', '9000']);
  });

  it('does not join across a paragraph break or mid-line hyphens', () => {
    expect(tokens('standard', 'infor-\n\nmation')).toEqual(['infor', 'mation']);
    expect(tokens('standard', 'peer-to-peer')).toEqual(['peer', 'to', 'peer']);
  });

  it('keeps numbers, decimals and digit groups', () => {
    expect(tokens('standard', 'In 2024, π ≈ 3.14 and 1,000 items (v2). end.')).toEqual(['in', '2024', 'π', '3.14', 'and', '1,000', 'items', 'v2', 'end']);
  });

  it('survives lone surrogates and very long words', () => {
    expect(tokens('standard', '\ud800abc \udc00def')).toEqual(['abc', 'def']);
    const long = 'x'.repeat(1_000_000);
    expect(tokens('en', `${long} the end`)).toEqual([long, 'end']);
  });

  it('keeps apostrophes between letters only', () => {
    expect(tokens('standard', "don't l’homme dogs' 'quoted'")).toEqual(["don't", "l'homme", 'dogs', 'quoted']);
  });
});

describe('standard: case folding without locale traps', () => {
  it('Turkish dotted and dotless i', () => {
    expect(tokens('standard', 'İSTANBUL DİYARBAKIR ıslak')).toEqual(['istanbul', 'diyarbakir', 'ıslak']);
  });

  it('German sharp s', () => {
    expect(tokens('standard', 'Straße STRASSE GROẞ')).toEqual(['strasse', 'strasse', 'gross']);
  });

  it('Greek final sigma and accents', () => {
    expect(tokens('standard', 'ΟΔΟΣ οδός Οδός')).toEqual(['οδοσ', 'οδοσ', 'οδοσ']);
  });

  it('keeps Latin diacritics unless the analyzer folds them', () => {
    expect(tokens('standard', 'Café')).toEqual(['café']);
    expect(tokens('en', 'Café résumé')).toEqual(['cafe', 'resum']);
    // Cyrillic й is a letter of its own, not an accented и
    expect(tokens('en', 'йод')).toEqual(['йод']);
  });
});

describe('scripts without spaces', () => {
  it('Chinese and Japanese as overlapping bigrams in standard', () => {
    expect(tokens('standard', '中文分词')).toEqual(['中文', '文分', '分词']);
    expect(tokens('standard', '字')).toEqual(['字']);
    expect(tokens('standard', 'Java语言')).toEqual(['java', '语言']);
    expect(tokens('standard', 'ｶﾀｶﾅ')).toEqual(['カタ', 'タカ', 'カナ']);
  });

  it('dictionary words in cjk', () => {
    expect(tokens('cjk', '日本語のテキスト')).toEqual(expect.arrayContaining(['日本語', 'テキスト']));
  });
});

describe('language steps', () => {
  it('en: stopwords and Snowball English', () => {
    expect(tokens('en', 'The running dogs of the information age')).toEqual(['run', 'dog', 'inform', 'age']);
  });

  it('de: stopwords, ß and Snowball German', () => {
    expect(tokens('de', 'Die Häuser und die Straßen')).toEqual(['haus', 'strass']);
  });

  it('fr: elision, stopwords and Snowball French', () => {
    expect(tokens('fr', "L'homme et les informations")).toEqual(['homm', 'inform']);
  });

  it('ru: ё → е, stopwords and Snowball Russian', () => {
    expect(tokens('ru', 'Ёлки и книги')).toEqual(['елк', 'книг']);
  });

  it('only words of the language’s script get its steps', () => {
    expect(tokens('ru', 'the books')).toEqual(['the', 'books']);
    expect(tokens('en', 'книги')).toEqual(['книги']);
  });

  it('auto: steps chosen per word from its script', () => {
    expect(tokens('auto', 'книги the books')).toEqual(['книг', 'the', 'books']);
    // Ukrainian letters: no Russian stemming
    expect(tokens('auto', 'їжака')).toEqual(['їжака']);
    // Arabic article and stemming; Persian letters and ZWNJ
    expect(tokens('auto', 'البيت کتاب\u200cها')).toEqual(['بيت', 'کتابها']);
  });

  it('auto analyzes a query word like the same word in a document', () => {
    const auto = getAnalyzer('auto');
    const doc = auto.analyze('Это книги. This is English. Αυτό είναι ελληνικά.');
    for (const q of ['книги', 'English', 'ελληνικά']) expect(doc).toContain(auto.analyze(q)[0]);
  });
});

describe('offsets', () => {
  it('are [start, end) in UTF-16 code units of the original text', () => {
    const text = 'Ein ﬁnes Wort, infor-\nmation 𠀀𠀁';
    const { tokens: t, offsets } = standard.analyzeWithOffsets(text);
    expect(t).toEqual(['ein', 'fines', 'wort', 'information', '𠀀𠀁']);
    expect(offsets).toEqual([[0, 3], [4, 8], [9, 13], [15, 28], [29, 33]]);
    expect(text.slice(15, 28)).toBe('infor-\nmation');
  });

  it('match analyze() token for token', () => {
    const text = 'The ﬁrst 中文分词 and ภาษาไทย, done.';
    for (const a of allAnalyzers()) expect(a.analyzeWithOffsets(text).tokens).toEqual(a.analyze(text));
  });
});

describe('normalize (prefix queries): character steps only', () => {
  it('folds like analyze but neither stems nor drops stopwords', () => {
    expect(getAnalyzer('en').normalize('Ｃａｆé')).toBe('cafe');
    expect(getAnalyzer('en').normalize('The')).toBe('the');
    expect(getAnalyzer('standard').normalize('İNFOR\u00adMATİON')).toBe('information');
    expect(getAnalyzer('ru').normalize('Ёлк')).toBe('елк');
  });
});
