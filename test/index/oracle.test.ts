// The relevance oracle: the same pages in ream and in SQLite FTS5 (tokens joined by spaces,
// unicode61 without diacritic removal), hundreds of queries of every type: identical top-10 lists
// with scores equal to 1e-9 relative, and identical hit sets for phrases and prefixes. The
// generated corpus is also searched as three shards at once (global statistics).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { IndexBuilder } from '../../src/index/build.js';
import { IndexReader } from '../../src/index/codec/reader.js';
import { Searcher } from '../../src/index/search.js';
import { parseQuery, toFts5 } from '../../src/index/query.js';
import { compareDocKeys } from '../../src/index/keys.js';
import { getAnalyzer } from '../../src/text/analyzer.js';
import { CORPUS, describeWithCorpus, workdir } from '../helpers.js';
import { corpusPages, generatedPages, rng, toInput, type TestPage } from './corpus.js';

const analyzer = getAnalyzer('standard');
const PER_TYPE = 100;

function buildIndex(path: string, pages: TestPage[], memoryBytes = 1 << 30): void {
  const b = new IndexBuilder(path, { analyzer: analyzer.id, storedFields: [], storeText: false, memoryBytes });
  for (const p of pages) b.add(toInput(p));
  b.finish();
}

async function buildFts5(pages: TestPage[]): Promise<Database.Database> {
  const { default: Sqlite } = await import('better-sqlite3');
  const db = new Sqlite(':memory:');
  db.exec(`CREATE VIRTUAL TABLE t USING fts5(body, tokenize = "unicode61 remove_diacritics 0")`);
  const insert = db.prepare('INSERT INTO t(rowid, body) VALUES (?, ?)');
  const sorted = [...pages].sort(compareDocKeys);
  db.transaction(() => sorted.forEach((p, i) => insert.run(i + 1, p.tokens.join(' '))))();
  return db;
}

/** Queries of every type drawn from the pages themselves (so most have hits). */
function makeQueries(pages: TestPage[], seed: number): Record<string, string[]> {
  const rand = rng(seed);
  const pick = <T>(a: T[]): T => a[Math.floor(rand() * a.length)]!;
  const nonEmpty = pages.filter((p) => p.tokens.length >= 3);
  const word = () => pick(pick(nonEmpty).tokens);
  const out: Record<string, string[]> = { term: [], and: [], or: [], not: [], phrase: [], prefix: [] };
  for (let i = 0; i < PER_TYPE; i++) {
    out.term!.push(word());
    const p = pick(nonEmpty);
    out.and!.push(`${pick(p.tokens)} ${pick(p.tokens)}`);
    out.or!.push(`${word()} OR ${word()}`);
    out.not!.push(`${pick(p.tokens)} -${word()}`);
    const at = Math.floor(rand() * (p.tokens.length - 2));
    out.phrase!.push(`"${p.tokens.slice(at, at + 2 + Math.floor(rand() * 2)).join(' ')}"`);
    const w = word();
    out.prefix!.push(`${w.slice(0, Math.min(w.length, 2 + Math.floor(rand() * 3)))}*`);
  }
  return out;
}

function compareWithFts5(db: Database.Database, searcher: Searcher, pages: TestPage[], queries: Record<string, string[]>): void {
  const keys = [...pages].sort(compareDocKeys).map((p) => `${p.doc}#${p.page}`);
  const top = db.prepare('SELECT rowid, bm25(t) AS s FROM t WHERE t MATCH ? ORDER BY bm25(t), rowid LIMIT 10');
  const every = db.prepare('SELECT rowid FROM t WHERE t MATCH ? ORDER BY rowid');
  let withHits = 0;
  for (const [type, list] of Object.entries(queries)) {
    for (const text of list) {
      const q = parseQuery(text, analyzer);
      const fts = top.all(toFts5(q)) as { rowid: number; s: number }[];
      const ours = searcher.search(q, { k: 10, offset: 0, groupByDoc: false });
      const label = `${type}: ${text}`;
      expect(ours.map((h) => `${h.doc.doc}#${h.doc.page}`), label).toEqual(fts.map((r) => keys[r.rowid - 1]));
      ours.forEach((h, i) => {
        const want = -fts[i]!.s;
        expect(Math.abs(h.score - want) <= 1e-9 * Math.abs(want), `${label}: score ${h.score} vs ${want}`).toBe(true);
      });
      if (ours.length > 0) withHits++;
      if (type === 'phrase' || type === 'prefix') {
        const all = (every.all(toFts5(q)) as { rowid: number }[]).map((r) => keys[r.rowid - 1]).sort();
        const mine = searcher.search(q, { k: 1e9, offset: 0, groupByDoc: false }).map((h) => `${h.doc.doc}#${h.doc.page}`).sort();
        expect(mine, label).toEqual(all);
      }
    }
  }
  expect(withHits).toBeGreaterThan(Object.values(queries).flat().length * 0.8);
}

describe('relevance oracle: generated Zipfian corpus', () => {
  const { dir, cleanup } = workdir();
  const pages = generatedPages({ docs: 150, pagesPerDoc: 12, vocabulary: 4000, seed: 7 });
  let db: Database.Database;
  const readers: IndexReader[] = [];
  beforeAll(async () => {
    db = await buildFts5(pages);
  });
  afterAll(() => {
    db?.close();
    for (const r of readers) r.close();
    cleanup();
  });

  it('one index equals FTS5 on hundreds of queries of every type', () => {
    const path = join(dir, 'all.ream');
    buildIndex(path, pages);
    const r = IndexReader.open(path);
    readers.push(r);
    compareWithFts5(db, new Searcher([r]), pages, makeQueries(pages, 11));
  });

  it('three shards searched together equal FTS5 (global statistics)', () => {
    const rand = rng(3);
    const shards: TestPage[][] = [[], [], []];
    for (const p of pages) shards[Math.floor(rand() * 3)]!.push(p);
    const shardReaders = shards.map((s, i) => {
      const path = join(dir, `shard${i}.ream`);
      buildIndex(path, s);
      const r = IndexReader.open(path);
      readers.push(r);
      return r;
    });
    compareWithFts5(db, new Searcher(shardReaders), pages, makeQueries(pages, 12));
  });

  it('a build that spills runs under a small memory budget equals FTS5', () => {
    const path = join(dir, 'spilled.ream');
    buildIndex(path, pages, 1 << 21);
    const r = IndexReader.open(path);
    readers.push(r);
    compareWithFts5(db, new Searcher([r]), pages, makeQueries(pages, 13));
  });
});

describeWithCorpus('relevance oracle: shared corpus pages', () => {
  const { dir, cleanup } = workdir();
  afterAll(cleanup);
  it('equals FTS5 on hundreds of queries of every type', async () => {
    const files = ['good/pp-bitcoin-ooo24.pdf', 'good/js-tracemonkey-2col.pdf', 'good/pp-climate-indesign.pdf', 'good/pp-vite-word365.pdf', 'good/de-gerdoc-distiller.pdf', 'good/ru-eskd-gnugs.pdf', 'good/js-pdkids-ooo31.pdf'];
    const pages = corpusPages(CORPUS, files);
    expect(pages.length).toBeGreaterThan(100);
    const db = await buildFts5(pages);
    const path = join(dir, 'corpus.ream');
    buildIndex(path, pages);
    const r = IndexReader.open(path);
    try {
      compareWithFts5(db, new Searcher([r]), pages, makeQueries(pages, 5));
    } finally {
      r.close();
      db.close();
    }
  });
});
