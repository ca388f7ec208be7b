// Types for the two untyped packages the analyzers use.
// One file per language (src/stopwords_<lang>.js, ESM): imported one by one so the bundle holds
// only the lists ream uses, not all 60.
declare module 'stopword/src/*' {
  export const eng: string[];
  export const deu: string[];
  export const fra: string[];
  export const rus: string[];
  export const ukr: string[];
  export const ell: string[];
  export const ara: string[];
  export const fas: string[];
  export const heb: string[];
}

declare module 'snowball-stemmers' {
  export interface Stemmer {
    stem(word: string): string;
  }
  export function newStemmer(language: string): Stemmer;
  export function algorithms(): string[];
}
