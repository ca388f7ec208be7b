// A snippet for a hit from its stored page text: the words around the first match, matched words
// marked «like this». Words are found the way the standard analyzer finds them and each is analyzed
// on its own, so a match is marked exactly when the word produced a query term.
import type { Analyzer } from '../text/analyzer.js';
import type { Query } from './query.js';

const WORD = /[\p{L}\p{N}]+/gu;
const BEFORE = 8;
const WINDOW = 24;

export class Snippets {
  private terms = new Set<string>();
  private prefixes: string[] = [];

  constructor(
    query: Query,
    private readonly analyzer: Analyzer,
  ) {
    for (const p of query.groups.flat()) {
      if (p.kind === 'term') this.terms.add(p.term);
      else if (p.kind === 'phrase') for (const t of p.terms) this.terms.add(t);
      else this.prefixes.push(p.prefix);
    }
  }

  private matches(word: string): boolean {
    for (const t of this.analyzer.analyze(word)) {
      if (this.terms.has(t)) return true;
      for (const p of this.prefixes) if (t.startsWith(p)) return true;
    }
    return false;
  }

  make(text: string): string {
    const words: { start: number; end: number; hit: boolean }[] = [];
    let first = -1;
    for (const m of text.matchAll(WORD)) {
      const hit = this.matches(m[0]);
      if (hit && first < 0) first = words.length;
      words.push({ start: m.index!, end: m.index! + m[0].length, hit });
      if (first >= 0 && words.length >= first + WINDOW) break;
    }
    if (words.length === 0) return '';
    const from = Math.max(0, first - BEFORE);
    const to = Math.min(words.length, from + WINDOW);
    let out = from > 0 ? '…' : '';
    let at = words[from]!.start;
    for (let i = from; i < to; i++) {
      const w = words[i]!;
      out += text.slice(at, w.start).replace(/\s+/g, ' ');
      out += w.hit ? `«${text.slice(w.start, w.end)}»` : text.slice(w.start, w.end);
      at = w.end;
    }
    if (to < words.length || words[words.length - 1]!.end < text.length) out += '…';
    return out;
  }
}
