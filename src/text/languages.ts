// Language steps applied to a word after its characters are normalized: stopword removal (lists from
// the `stopword` package) and Snowball stemming (`porter2` for English, the `snowball-stemmers` package
// for the others, loaded on first use: it is 850 kB of JavaScript that most runs never need).
import { createRequire } from 'node:module';
import { ara } from 'stopword/src/stopwords_ara.js';
import { deu } from 'stopword/src/stopwords_deu.js';
import { ell } from 'stopword/src/stopwords_ell.js';
import { eng } from 'stopword/src/stopwords_eng.js';
import { fas } from 'stopword/src/stopwords_fas.js';
import { fra } from 'stopword/src/stopwords_fra.js';
import { heb } from 'stopword/src/stopwords_heb.js';
import { rus } from 'stopword/src/stopwords_rus.js';
import { ukr } from 'stopword/src/stopwords_ukr.js';
import type { Stemmer } from 'snowball-stemmers';

export interface LanguageSteps {
  /** Word-level preparation before the stopword check (French elision, Russian ё → е). */
  readonly prepare?: (word: string) => string;
  /** Raw stopword list; folded with the analyzer's character steps when first used. */
  readonly stopwords?: readonly string[];
  /** Snowball algorithm name. */
  readonly stemmer?: string;
  /** Words the stemmer must leave alone (e.g. Ukrainian words under the Russian stemmer). */
  readonly stemUnless?: (word: string) => boolean;
}

const FRENCH_ELISIONS = new Set(['l', 'd', 'j', 'm', 'n', 's', 't', 'c', 'qu', 'jusqu', 'lorsqu', 'puisqu', 'quoiqu']);

/** l'homme → homme, qu'il → il (after case folding made apostrophes ASCII). */
export function stripFrenchElision(word: string): string {
  const at = word.indexOf("'");
  return at > 0 && at < 7 && FRENCH_ELISIONS.has(word.slice(0, at)) ? word.slice(at + 1) : word;
}

/** ё → е: Russian text writes ё or е for the same letter; the stemmer and the stopwords expect е. */
export function foldYo(word: string): string {
  return word.indexOf('ё') >= 0 ? word.replaceAll('ё', 'е') : word;
}

function hasAnyChar(word: string, chars: string): boolean {
  for (let i = 0; i < word.length; i++) if (chars.indexOf(word[i]!) >= 0) return true;
  return false;
}

/** Letters that Russian lacks: Ukrainian і ї є ґ, Belarusian ў, Serbian/Macedonian ђ ј љ њ ћ џ ѓ ќ ѕ. */
const NON_RUSSIAN_CYRILLIC = 'іїєґўђјљњћџѓќѕ';
/** Letters of Persian (and Urdu) that Arabic lacks: پ چ ژ گ ک ی. */
const NON_ARABIC_LETTERS = '\u067e\u0686\u0698\u06af\u06a9\u06cc';

export const english: LanguageSteps = { stopwords: eng, stemmer: 'english' };
export const german: LanguageSteps = { stopwords: deu, stemmer: 'german' };
export const french: LanguageSteps = { prepare: stripFrenchElision, stopwords: fra, stemmer: 'french' };
export const russian: LanguageSteps = { prepare: foldYo, stopwords: rus, stemmer: 'russian' };
/** Cyrillic in `auto`: Russian stemming for words that could be Russian, Russian + Ukrainian stopwords. */
export const cyrillic: LanguageSteps = {
  prepare: foldYo,
  stopwords: [...rus, ...ukr],
  stemmer: 'russian',
  stemUnless: (w) => hasAnyChar(w, NON_RUSSIAN_CYRILLIC),
};
/** Arabic script in `auto`: Arabic stemming unless the word has Persian letters. */
export const arabicScript: LanguageSteps = {
  stopwords: [...ara, ...fas],
  stemmer: 'arabic',
  stemUnless: (w) => hasAnyChar(w, NON_ARABIC_LETTERS),
};
export const greek: LanguageSteps = { stopwords: ell };
export const hebrew: LanguageSteps = { stopwords: heb };

let snowball: typeof import('snowball-stemmers') | undefined;

/**
 * A Snowball stemmer (the package is loaded on first use). English uses `porter2`, the same Snowball
 * English (Porter2) algorithm about 25 times faster than snowball-stemmers' generated code, with
 * identical stems on every word of the benchmark corpus (120k distinct tokens) and on 300k random words.
 */
export function loadStemmer(algorithm: string): (word: string) => string {
  const require = createRequire(import.meta.url);
  if (algorithm === 'english') return (require('porter2') as typeof import('porter2')).stem;
  snowball ??= require('snowball-stemmers') as typeof import('snowball-stemmers');
  const stemmer: Stemmer = snowball.newStemmer(algorithm);
  return (word) => stemmer.stem(word);
}
