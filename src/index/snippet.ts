// A snippet for a hit from its stored page text: the words around the first match, matches marked
// «like this». Words are found the way the standard analyzer finds them and each is analyzed on its
// own, so a word is marked exactly when it produced a query term, or, for a phrase, when its tokens
// and those of the next words give the phrase's terms in order (stopwords between them produce no
// token, as in the index): the whole phrase is marked as one («log replication»), and its words
// elsewhere on their own are not, since they are not what matched.
import type { Analyzer } from '../text/analyzer.js';
import type { Query } from './query.js';

const WORD = /[\p{L}\p{N}]+/gu;
/** Words shown before the first match, and in all. */
const BEFORE = 8;
const WINDOW = 24;
/** Words of a page looked at, at most (a snippet needs the first match only), and how many at a time. */
const MAX_WORDS = 5000;
const BATCH = 64;

interface Word {
  start: number;
  end: number;
  tokens: string[];
}

export class Snippets {
  private readonly terms = new Set<string>();
  private readonly prefixes: string[] = [];
  private readonly phrases: string[][] = [];
  private longestPhrase = 0;

  constructor(
    query: Query,
    private readonly analyzer: Analyzer,
  ) {
    for (const p of query.groups.flat()) {
      if (p.kind === 'term') this.terms.add(p.term);
      else if (p.kind === 'phrase') {
        this.phrases.push(p.terms);
        this.longestPhrase = Math.max(this.longestPhrase, p.terms.length);
      }
      else this.prefixes.push(p.prefix);
    }
  }

  make(text: string): string {
    const words: Word[] = [];
    let marked: Array<[number, number]> = [];
    for (const m of text.matchAll(WORD)) {
      words.push({ start: m.index!, end: m.index! + m[0].length, tokens: this.analyzer.analyze(m[0]) });
      if (words.length === MAX_WORDS) break;
      // Enough once the first match and the words after it are in (a phrase may still grow it).
      if (words.length % BATCH === 0) {
        marked = this.marks(words);
        if (marked.length > 0 && words.length >= marked[0]![1] + WINDOW + this.longestPhrase) break;
      }
    }
    if (words.length === 0) return '';
    if (words.length % BATCH !== 0) marked = this.marks(words);
    const first = marked.length > 0 ? marked[0]![0] : 0;
    const from = Math.max(0, first - BEFORE);
    const to = Math.min(words.length, Math.max(from + WINDOW, marked.length > 0 ? marked[0]![1] + 1 : 0));
    const opens = new Set(marked.map(([a]) => Math.max(a, from)));
    const closes = new Set(marked.map(([, b]) => Math.min(b, to - 1)));
    let out = from > 0 ? '…' : '';
    let at = words[from]!.start;
    for (let i = from; i < to; i++) {
      const w = words[i]!;
      out += text.slice(at, w.start).replace(/\s+/g, ' ');
      if (opens.has(i)) out += '«';
      out += text.slice(w.start, w.end);
      if (closes.has(i)) out += '»';
      at = w.end;
    }
    // What follows the last word shown: more words (…), or the end of the page (its punctuation).
    out += to < words.length ? '…' : text.slice(at).replace(/\s+/g, ' ').trimEnd();
    return out;
  }

  /** The matched words, as ranges [first, last] of word indexes, in order and not overlapping. */
  private marks(words: readonly Word[]): Array<[number, number]> {
    const ranges: Array<[number, number]> = [];
    words.forEach((w, i) => {
      if (w.tokens.some((t) => this.terms.has(t) || this.prefixes.some((p) => t.startsWith(p)))) ranges.push([i, i]);
    });
    if (this.phrases.length > 0) {
      // The tokens in order, each with the word it came from.
      const tokens: string[] = [];
      const wordOf: number[] = [];
      words.forEach((w, i) => {
        for (const t of w.tokens) {
          tokens.push(t);
          wordOf.push(i);
        }
      });
      for (const phrase of this.phrases) {
        for (let k = 0; k + phrase.length <= tokens.length; k++) {
          let j = 0;
          while (j < phrase.length && tokens[k + j] === phrase[j]) j++;
          if (j === phrase.length) ranges.push([wordOf[k]!, wordOf[k + j - 1]!]);
        }
      }
    }
    ranges.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
    const merged: Array<[number, number]> = [];
    for (const r of ranges) {
      const last = merged[merged.length - 1];
      if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
      else merged.push([r[0], r[1]]);
    }
    return merged;
  }
}
