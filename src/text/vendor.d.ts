// Types for the two untyped packages the analyzers use.
declare module 'stopword' {
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
