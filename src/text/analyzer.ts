// The analyzers shared by tokenize, index and search. An analyzer turns text into the tokens that get
// indexed; tokenized records and indexes carry its versioned id (`en/1`) so a query is later analyzed
// exactly as the documents were. Steps are described in docs/analyzers.md and `ream tokenize --help`.
import { UsageError } from '../stream/report.js';
import { INVISIBLES, Script } from './chars.js';
import { foldCase, foldDiacritics } from './fold.js';
import { arabicScript, cyrillic, english, foldYo, french, german, greek, hebrew, loadStemmer, russian, type LanguageSteps } from './languages.js';
import { AsciiWordMemo } from './ascii-memo.js';
import type { JsonTokenList } from './json-tokens.js';
import { EDITED, NON_ASCII, UPPER, cleanWord, scan, type ScanSink } from './scanner.js';

export interface AnalyzedText {
  tokens: string[];
  /** [start, end) of each token in the analyzed text, in UTF-16 code units (JS string indexes). */
  offsets: Array<[number, number]>;
}

export interface Analyzer {
  /** Versioned name stored in tokenized records and in indexes, e.g. `standard/1`. */
  readonly id: string;
  /** Name used on the command line, e.g. `standard`. */
  readonly name: string;
  /** Its own steps after the character steps every analyzer shares (COMMON_STEPS), for --help. */
  readonly steps: readonly string[];
  /** Tokens in text order (positions are array indexes); stopwords are removed. */
  analyze(text: string): string[];
  /** Tokens and their character offsets in `text`. */
  analyzeWithOffsets(text: string): AnalyzedText;
  /** The tokens of analyze(), appended to `out` as a JSON array (out.open() and close() are called here). */
  analyzeToJson(text: string, out: JsonTokenList): void;
  /** The tokens of analyze(), appended to a list already opened (for a text analyzed in parts that split at whitespace). */
  appendJson(text: string, out: JsonTokenList): void;
  /**
   * The token of a lower-cased ASCII word as the scanner finds it (letters, digits, ' between letters,
   * . and , between digits, no line-end hyphenation), '' when the word is dropped (a stopword).
   */
  asciiWordToken(word: string): string;
  /** Whether asciiWordToken(w) is w for every such word (no language steps for Latin script). */
  keepsAsciiWords(): boolean;
  /** The character steps of a word's raw text (NFKC, case and diacritic folding): its token when no language step applies. */
  foldWord(raw: string): string;
  /**
   * The token of a word already through foldWord(), whose first letter is of `script` (as the
   * scanner decides it): the language steps of that script, if any ('' drops the word).
   */
  foldedWordToken(word: string, script: Script): string;
  /** The scripts whose words have language steps, as bits (1 << script). */
  scriptsWithSteps(): number;
  /**
   * The character-level steps only (NFKC, case folding, diacritic folding where the analyzer does
   * it, invisibles dropped): no stopwords, no stemming. For prefix queries (`inform*`).
   */
  normalize(word: string): string;
}

interface Definition {
  name: string;
  version: number;
  /** Strip accents (after case folding) from Latin and Greek words. */
  foldDiacritics: boolean;
  /** Han and kana: overlapping bigrams, or ICU dictionary words. */
  ideographs: 'bigrams' | 'dictionary';
  /** A character-level step of the language that normalize() must apply too (ru: ё → е). */
  foldLetters?: (word: string) => string;
  /** Language steps per script of a word; scripts not listed get the character steps only. */
  languages: Partial<Record<Script, LanguageSteps>>;
  steps: string[];
}

/** The character-level steps of every analyzer, in order. */
export const COMMON_STEPS: readonly string[] = [
  'words: Unicode letters, marks and digits (UAX #29 rules for apostrophes and decimal numbers)',
  'drop soft hyphens and zero-width characters; join words hyphenated at a line end',
  'NFKC (ligatures ﬁ → fi, full-width forms), case folding (ß → ss, final ς → σ, no locale rules)',
];
const IDEOGRAPH_BIGRAMS = 'Chinese/Japanese: overlapping character bigrams; Thai, Lao, Khmer, Myanmar: ICU dictionary words';
const IDEOGRAPH_DICTIONARY = 'Chinese/Japanese, Thai, Lao, Khmer, Myanmar: ICU dictionary words (Intl.Segmenter)';

const definitions: Definition[] = [
  {
    name: 'standard', version: 1, foldDiacritics: false, ideographs: 'bigrams', languages: {},
    steps: [IDEOGRAPH_BIGRAMS, 'no stopwords, no stemming: every language'],
  },
  {
    name: 'en', version: 1, foldDiacritics: true, ideographs: 'bigrams', languages: { [Script.Latin]: english },
    steps: ['diacritic folding (café → cafe)', IDEOGRAPH_BIGRAMS, 'Latin words: English stopwords, Snowball English stemmer'],
  },
  {
    name: 'de', version: 1, foldDiacritics: false, ideographs: 'bigrams', languages: { [Script.Latin]: german },
    steps: [IDEOGRAPH_BIGRAMS, 'Latin words: German stopwords, Snowball German stemmer (folds umlauts)'],
  },
  {
    name: 'fr', version: 1, foldDiacritics: false, ideographs: 'bigrams', languages: { [Script.Latin]: french },
    steps: [IDEOGRAPH_BIGRAMS, "Latin words: elision (l', qu'…) removed, French stopwords, Snowball French stemmer"],
  },
  {
    name: 'ru', version: 1, foldDiacritics: false, foldLetters: foldYo, ideographs: 'bigrams', languages: { [Script.Cyrillic]: russian },
    steps: [IDEOGRAPH_BIGRAMS, 'Cyrillic words: ё → е, Russian stopwords, Snowball Russian stemmer'],
  },
  {
    name: 'cjk', version: 1, foldDiacritics: false, ideographs: 'dictionary', languages: {},
    steps: [IDEOGRAPH_DICTIONARY, 'no stopwords, no stemming'],
  },
  {
    name: 'auto', version: 1, foldDiacritics: false, foldLetters: foldYo, ideographs: 'bigrams',
    languages: { [Script.Cyrillic]: cyrillic, [Script.Arabic]: arabicScript, [Script.Greek]: greek, [Script.Hebrew]: hebrew },
    steps: [
      IDEOGRAPH_BIGRAMS,
      'per word, by its script: Cyrillic → Russian steps (no stemming for Ukrainian/Serbian letters), Arabic → Arabic stemmer (not for Persian letters), Greek/Hebrew → stopwords, Latin → none',
    ],
  },
];

/** Longer words skip the language steps (the longest German compounds stay well below). */
const MAX_STEMMED_LENGTH = 100;

/** Words a memo holds before it starts over. */
const MAX_MEMO_WORDS = 200_000;

/** A word's language steps (prepare, stopword check, stem): the token, or '' to drop the word. */
type WordSteps = (word: string) => string;

/**
 * The language steps as one function with a bounded memo: word frequencies are Zipfian, so most
 * words were seen before and cost one Map lookup instead of a stopword lookup plus a Snowball run.
 */
function compileSteps(steps: LanguageSteps, fold: (word: string) => string): CompiledSteps {
  const prepare = steps.prepare;
  const stopwords = steps.stopwords ? new Set(steps.stopwords.map((w) => (prepare ? prepare(fold(w)) : fold(w)))) : undefined;
  const stem = steps.stemmer ? loadStemmer(steps.stemmer) : undefined;
  const stemUnless = steps.stemUnless;
  const uncached: WordSteps = (word) => {
    const token = prepare ? prepare(word) : word;
    if (stopwords?.has(token)) return '';
    return stem && !stemUnless?.(token) ? stem(token) : token;
  };
  let memo = new Map<string, string>();
  const cached: WordSteps = (word) => {
    let token = memo.get(word);
    if (token === undefined) {
      token = uncached(word);
      if (memo.size >= MAX_MEMO_WORDS) memo = new Map();
      memo.set(word, token);
    }
    return token;
  };
  return Object.assign(cached, { uncached });
}

/** The language steps with their memo, and without it for callers that memoize the result themselves (the byte path). */
type CompiledSteps = WordSteps & { uncached: WordSteps };

class PipelineAnalyzer implements Analyzer, ScanSink {
  readonly id: string;
  readonly name: string;
  readonly steps: readonly string[];
  private ready: Array<CompiledSteps | undefined> | undefined;
  private readonly asciiMemos: Array<AsciiWordMemo | undefined> = [];
  /** Tokens of non-ASCII words by their raw text (bounded like the language steps' memo). */
  private readonly wordMemo = new Map<string, string>();
  private segmenter: Intl.Segmenter | undefined;
  // State of the analyze() call in progress (analyze is synchronous and not re-entered).
  private text = '';
  private tokens: string[] = [];
  private offsets: Array<[number, number]> | undefined;
  /** Set during analyzeToJson(): tokens are encoded there instead of collected. */
  private json: JsonTokenList | undefined;

  constructor(private readonly def: Definition) {
    this.id = `${def.name}/${def.version}`;
    this.name = def.name;
    this.steps = def.steps;
  }

  analyze(text: string): string[] {
    return this.run(text, undefined).tokens;
  }

  analyzeWithOffsets(text: string): AnalyzedText {
    return this.run(text, []) as AnalyzedText;
  }

  analyzeToJson(text: string, out: JsonTokenList): void {
    out.open();
    this.appendJson(text, out);
    out.close();
  }

  appendJson(text: string, out: JsonTokenList): void {
    this.json = out;
    try {
      this.run(text, undefined);
    } finally {
      this.json = undefined;
    }
  }

  asciiWordToken(word: string): string {
    // What word() does for an ASCII word that was not edited.
    return this.foldedWordToken(word, Script.Latin);
  }

  keepsAsciiWords(): boolean {
    return !(this.ready ??= this.prepareLanguages())[Script.Latin];
  }

  foldWord(raw: string): string {
    const w = foldCase(raw);
    return this.def.foldDiacritics ? foldDiacritics(w) : w;
  }

  foldedWordToken(word: string, script: Script): string {
    const steps = (this.ready ??= this.prepareLanguages())[script];
    if (!steps || word.length > MAX_STEMMED_LENGTH || isDigitCode(word.charCodeAt(0))) return word;
    // The byte path keeps the token in its own memo: a second one here would only cost a Map entry.
    return steps.uncached(word);
  }

  scriptsWithSteps(): number {
    let bits = 0;
    (this.ready ??= this.prepareLanguages()).forEach((steps, script) => {
      if (steps) bits |= 1 << script;
    });
    return bits;
  }

  normalize(word: string): string {
    let out = foldCase(word.replace(INVISIBLES, ''));
    if (this.def.foldDiacritics) out = foldDiacritics(out);
    return this.def.foldLetters ? this.def.foldLetters(out) : out;
  }

  private run(text: string, offsets: Array<[number, number]> | undefined): { tokens: string[]; offsets?: Array<[number, number]> } {
    this.ready ??= this.prepareLanguages();
    this.text = text;
    this.tokens = [];
    this.offsets = offsets;
    try {
      scan(text, this);
      return { tokens: this.tokens, offsets };
    } finally {
      this.text = '';
      this.tokens = [];
      this.offsets = undefined;
    }
  }

  private push(token: string, start: number, end: number): void {
    if (this.json) return this.json.token(token);
    this.tokens.push(token);
    if (this.offsets) this.offsets.push([start, end]);
  }

  word(start: number, end: number, flags: number, script: Script): void {
    const steps = this.ready![script];
    if (!(flags & (NON_ASCII | EDITED))) {
      // ASCII words are lower-cased char by char as they are copied or looked up (A-Z only).
      if (!steps || end - start > MAX_STEMMED_LENGTH || isDigitCode(this.text.charCodeAt(start))) {
        // No language step applies: with JSON output the bytes go straight from the page.
        if (this.json) return this.json.plainSlice(this.text, start, end);
        return this.push(asciiLower(this.text.slice(start, end), flags), start, end);
      }
      // For the language steps: looked up by its chars in the page, no string made.
      const memo = (this.asciiMemos[script] ??= new AsciiWordMemo());
      let token = memo.get(this.text, start, end);
      if (token === undefined) {
        token = steps(asciiLower(this.text.slice(start, end), flags));
        memo.set(this.text, start, end, token);
      }
      if (token.length > 0) this.push(token, start, end);
      return;
    }
    if (flags & EDITED) return this.pushWord(this.wordSteps(cleanWord(this.text, start, end), steps), start, end);
    // Other words by their text: folding and language steps once per distinct word.
    const raw = this.text.slice(start, end);
    let token = this.wordMemo.get(raw);
    if (token === undefined) {
      token = this.wordSteps(raw, steps);
      if (this.wordMemo.size >= MAX_MEMO_WORDS) this.wordMemo.clear();
      this.wordMemo.set(raw, token);
    }
    this.pushWord(token, start, end);
  }

  private pushWord(token: string, start: number, end: number): void {
    if (token.length > 0) this.push(token, start, end);
  }

  /** A word's token from its raw text: character steps, then the language steps ('' drops it). */
  private wordSteps(raw: string, steps: WordSteps | undefined): string {
    let w = this.foldWord(raw);
    // Numbers and giant "words" (base64, hex dumps) are neither stopwords nor stemmed; keeping
    // them out of the memo keeps its memory small.
    if (steps && w.length <= MAX_STEMMED_LENGTH && !isDigitCode(w.charCodeAt(0))) w = steps(w);
    return w;
  }

  ideographs(start: number, end: number): void {
    if (this.def.ideographs === 'dictionary') return this.dictionaryWords(start, end, 'ja');
    const text = this.text;
    let prev = -1;
    let i = start;
    while (i < end) {
      const c = text.charCodeAt(i);
      const next = i + (c >= 0xd800 && c <= 0xdbff ? 2 : 1);
      if (prev >= 0) this.push(compatibilityFold(text.slice(prev, next)), prev, next);
      else if (next === end) this.push(compatibilityFold(text.slice(i, next)), i, next);
      prev = i;
      i = next;
    }
  }

  southAsian(start: number, end: number): void {
    this.dictionaryWords(start, end, 'th');
  }

  private dictionaryWords(start: number, end: number, locale: string): void {
    // ICU's word break dictionary covers Chinese, Japanese, Thai, Lao, Khmer and Burmese whatever the locale.
    this.segmenter ??= new Intl.Segmenter(locale, { granularity: 'word' });
    const run = this.text.slice(start, end);
    for (const seg of this.segmenter.segment(run)) {
      if (!seg.isWordLike) continue;
      const w = foldCase(seg.segment.replace(INVISIBLES, ''));
      if (w.length > 0) this.push(w, start + seg.index, start + seg.index + seg.segment.length);
    }
  }

  private prepareLanguages(): Array<CompiledSteps | undefined> {
    const ready: Array<CompiledSteps | undefined> = [];
    for (const [script, steps] of Object.entries(this.def.languages) as Array<[string, LanguageSteps]>) {
      ready[Number(script)] = compileSteps(steps, (w) => this.normalize(w));
    }
    return ready;
  }
}

function asciiLower(word: string, flags: number): string {
  return flags & UPPER ? word.toLowerCase() : word;
}

function isDigitCode(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** NFKC for the few compatibility characters found among ideographs (half-width kana, ㍿, 豈…). */
function compatibilityFold(s: string): string {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c >= 0xff00 && c <= 0xffef) || (c >= 0x3300 && c <= 0x33ff) || (c >= 0xf900 && c <= 0xfaff) || (c >= 0x2f00 && c <= 0x2fdf)) {
      return s.normalize('NFKC');
    }
  }
  return s;
}

const analyzers = new Map<string, Analyzer>();
for (const def of definitions) analyzers.set(def.name, new PipelineAnalyzer(def));

/** Analyzer names, for --help and error messages. */
export function analyzerNames(): string[] {
  return [...analyzers.keys()];
}

/** Every analyzer, in documentation order. */
export function allAnalyzers(): Analyzer[] {
  return [...analyzers.values()];
}

/** Looks an analyzer up by name (`standard`) or versioned id (`standard/1`). */
export function getAnalyzer(nameOrId: string): Analyzer {
  const a = analyzers.get(nameOrId) ?? [...analyzers.values()].find((x) => x.id === nameOrId);
  if (!a) {
    const known = [...analyzers.values()].map((x) => x.name).join(', ');
    throw new UsageError(`unknown analyzer '${nameOrId}' (known: ${known}; ids carry a version, e.g. standard/1)`);
  }
  return a;
}
