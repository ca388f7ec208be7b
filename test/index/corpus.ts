// Test corpora for the index tests: a generated Zipfian corpus (deterministic) and pages of the
// shared corpus (pdftotext text split at form feeds, analyzed with the standard analyzer).
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { getAnalyzer } from '../../src/text/analyzer.js';
import type { PageInput } from '../../src/index/inverter.js';

export interface TestPage {
  doc: string;
  page: number;
  tokens: string[];
}

/** mulberry32: a small deterministic PRNG. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Words of letters only, Zipf-distributed (rank r drawn with weight 1/r). */
export function generatedPages(opts: { docs: number; pagesPerDoc: number; vocabulary: number; seed: number; minLen?: number; maxLen?: number }): TestPage[] {
  const rand = rng(opts.seed);
  const vocab: string[] = [];
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  for (let i = 0; i < opts.vocabulary; i++) {
    let w = '';
    let n = i + 1;
    do {
      w += letters[n % 26];
      n = Math.floor(n / 26);
    } while (n > 0);
    vocab.push(w + letters[(i * 7) % 26]);
  }
  const cum: number[] = [];
  let total = 0;
  for (let r = 1; r <= opts.vocabulary; r++) cum.push((total += 1 / r));
  const draw = (): string => {
    const x = rand() * total;
    let lo = 0;
    let hi = cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cum[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return vocab[lo]!;
  };
  const pages: TestPage[] = [];
  const minLen = opts.minLen ?? 5;
  const maxLen = opts.maxLen ?? 300;
  for (let d = 0; d < opts.docs; d++) {
    for (let p = 1; p <= opts.pagesPerDoc; p++) {
      const len = minLen + Math.floor(rand() * (maxLen - minLen));
      const tokens: string[] = [];
      for (let i = 0; i < len; i++) tokens.push(draw());
      pages.push({ doc: `gen/${String(d).padStart(5, '0')}.pdf`, page: p, tokens });
    }
  }
  return pages;
}

/** Pages of some shared-corpus PDFs, tokens kept only when FTS5's unicode61 sees the same token. */
export function corpusPages(corpus: string, files: string[]): TestPage[] {
  const analyzer = getAnalyzer('standard');
  const pages: TestPage[] = [];
  for (const f of [...files].sort()) {
    const text = execFileSync('pdftotext', ['-q', '-enc', 'UTF-8', join(corpus, f), '-'], { encoding: 'utf8', maxBuffer: 1 << 28 });
    text.split('\f').forEach((pageText, i) => {
      const tokens = analyzer.analyze(pageText).filter((t) => /^[a-z0-9а-яё]+$/.test(t));
      if (i < text.split('\f').length - 1 || tokens.length > 0) pages.push({ doc: f, page: i + 1, tokens });
    });
  }
  return pages;
}

export function toInput(p: TestPage): PageInput {
  return { doc: p.doc, page: p.page, fields: '', parts: [{ tokens: p.tokens, start: 0 }] };
}
