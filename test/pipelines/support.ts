// Shared by the pipeline tests: picking a subset of the shared corpus, running searches in batch, and
// comparing result lists from differently built indexes.
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { CORPUS, parseLines, ream, ROOT } from '../helpers.js';

export const MAKEFILE = join(ROOT, 'examples', 'Makefile');
export const EXAMPLES = join(ROOT, 'examples');

interface ManifestRow {
  file: string;
  bytes: number;
  pages: number;
  encrypted: boolean;
  chars: number;
}

function manifest(): ManifestRow[] {
  const [, ...rows] = readFileSync(join(CORPUS, 'MANIFEST.tsv'), 'utf8').trimEnd().split('\n');
  return rows.map((line) => {
    const f = line.split('\t');
    return { file: f[0]!, bytes: Number(f[1]), pages: Number(f[2]), encrypted: f[5] !== 'no', chars: Number.parseInt(f[7]!, 10) || 0 };
  });
}

/** Names (in good/) of the good PDFs with text, at most `maxPages` and `maxBytes` each, sorted, the first `count`. */
export function smallGoodPdfs(opts: { maxPages: number; maxBytes?: number; count?: number }): string[] {
  return manifest()
    .filter((r) => r.file.startsWith('good/') && r.pages <= opts.maxPages && r.bytes <= (opts.maxBytes ?? Infinity) && !r.encrypted && r.chars > 0)
    .map((r) => r.file.slice('good/'.length))
    .sort()
    .slice(0, opts.count ?? Infinity);
}

/** Copies corpus PDFs into DIR (copies, not links: the tests touch and delete them). */
export function copyCorpusPdfs(names: readonly string[], dir: string, from = 'good'): void {
  mkdirSync(dir, { recursive: true });
  for (const n of names) copyFileSync(join(CORPUS, from, n), join(dir, n));
}

export interface Hit {
  doc: string;
  page: number;
  score: number;
  rank: number;
  query?: string;
}

/**
 * A run that went well: exit 0, and stderr holds nothing but ream's one-line notes (extract warns, for
 * example, about a damaged PDF it repaired) — no failure list, no make error, no stack trace.
 */
export function expectSuccess(r: { status: number | null; stderr: string }): void {
  const lines = r.stderr.split('\n').filter(Boolean);
  expect(lines.filter((l) => !/^ream \w+: \S.*: /.test(l) || /failed/.test(l)), r.stderr).toEqual([]);
  expect(r.status, r.stderr).toBe(0);
}

/** Runs every query against the index(es) in one `ream search` process (batch mode); hits per query. */
export function searchAll(indexes: string | string[], queries: readonly string[], k = 10, cwd?: string): Map<string, Hit[]> {
  const args = ['search', ...[indexes].flat().flatMap((i) => ['-i', i]), '-k', String(k)];
  const r = ream(args, { input: queries.map((query) => JSON.stringify({ query })).join('\n') + '\n', cwd });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  const byQuery = new Map<string, Hit[]>(queries.map((q) => [q, []]));
  for (const hit of parseLines(r.stdout) as Hit[]) byQuery.get(hit.query!)!.push(hit);
  return byQuery;
}

/** The docs (PDF paths) an index holds. */
export function docsOf(index: string, cwd?: string): Set<string> {
  const r = ream(['docs', index], { cwd });
  expect(r.stderr).toBe('');
  return new Set(parseLines(r.stdout).map((d) => d.doc as string));
}

/**
 * Two top-k lists are the same results when they have the same scores, rank for rank, and the same
 * pages at every score — pages with equal scores may come in either order (ties are broken by the
 * order pages went into the index, which differs between a sequential and a parallel build).
 */
export function expectSameResults(actual: Hit[], expected: Hit[], label: string): void {
  const key = (h: Hit) => `${h.doc}#${h.page}`;
  const scores = (hits: Hit[]) => hits.map((h) => Number(h.score).toPrecision(10));
  expect(scores(actual), `${label}: scores`).toEqual(scores(expected));
  const last = expected.at(-1)?.score;
  // Pages scoring above the last (cut-off) score must be exactly the same set; at the cut-off score
  // either list may have kept a different subset of the tied pages.
  const above = (hits: Hit[]) => hits.filter((h) => last === undefined || h.score > last * (1 + 1e-9)).map(key).sort();
  expect(above(actual), `${label}: pages`).toEqual(above(expected));
}

/**
 * 20 queries made from the data (nothing hard-coded): 12 single terms spread over the index's
 * document-frequency range, and from pages spread over the input, 4 AND queries of two words found on
 * the same page and 4 two-word phrases.
 */
export function queriesFrom(index: string, tokenizedPages: Record<string, any>[], cwd?: string): string[] {
  const r = ream(['terms', index], { cwd });
  expect(r.status).toBe(0);
  const terms = parseLines(r.stdout)
    .filter((t) => t.df >= 2 && /^\p{L}{3,}$/u.test(t.term))
    .sort((a, b) => b.df - a.df || (a.term < b.term ? -1 : a.term > b.term ? 1 : 0));
  expect(terms.length).toBeGreaterThan(20);
  const singles = Array.from({ length: 12 }, (_, i) => terms[Math.floor(((i + 1) * terms.length) / 13)]!.term);
  const word = (t: string | undefined) => t !== undefined && /^\p{L}{3,}$/u.test(t);
  const pairs: string[] = [];
  const phrases: string[] = [];
  // From 8 places spread over the pages, the first whole page (not a chunk) with such words.
  const usedPages = new Set<number>();
  for (let k = 0; k < 8; k++) {
    for (let p = Math.floor((k * tokenizedPages.length) / 8); p < tokenizedPages.length; p++) {
      const page = tokenizedPages[p]!;
      const tokens = page.tokens as string[];
      const at = tokens.findIndex((t, i) => i >= 10 && word(t) && word(tokens[i + 1]) && word(tokens[i + 8]));
      if (page.chunk !== undefined || at === -1 || usedPages.has(p)) continue;
      usedPages.add(p);
      if (pairs.length < 4) pairs.push(`${tokens[at]} ${tokens[at + 8]}`);
      else phrases.push(`"${tokens[at]} ${tokens[at + 1]}"`);
      break;
    }
  }
  expect(pairs.length + phrases.length).toBe(8);
  return [...singles, ...pairs, ...phrases];
}
