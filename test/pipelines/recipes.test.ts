// The xargs and GNU parallel recipes (examples/*.sh and the one-pipe forms in docs/pipelines.md) end to
// end on the small PDFs of the shared corpus: each gives the same top-10 results as one sequential
// pipeline, on 20 queries made from the index.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithCorpus, haveCommand, parseLines, sh, workdir } from '../helpers.js';
import { copyCorpusPdfs, docsOf, expectSuccess, EXAMPLES, expectSameResults, type Hit, queriesFrom, searchAll, smallGoodPdfs } from './support.js';

describeWithCorpus('xargs and GNU parallel recipes', () => {
  const pdfs = smallGoodPdfs({ maxPages: 40, count: 30 });
  const slow = 300_000; // several full builds on a shared 2-core machine
  let dir: string;
  let cleanup: () => void;
  let queries: string[];
  let expected: Map<string, Hit[]>;

  beforeAll(() => {
    ({ dir, cleanup } = workdir('ream-recipes-'));
    copyCorpusPdfs(pdfs, join(dir, 'pdfs'));
    // The reference: one sequential pipeline over the PDFs in name order.
    const r = sh(
      `set -e; find pdfs -name '*.pdf' | LC_ALL=C sort | ream extract --files-from - | ream tokenize --keep-text | tee tokens.ndjson | ream index --store text -o seq.ream`,
      { cwd: dir, timeoutMs: 300_000 },
    );
    expectSuccess(r);
    queries = queriesFrom('seq.ream', parseLines(readFileSync(join(dir, 'tokens.ndjson'), 'utf8')), dir);
    expected = searchAll('seq.ream', queries, 10, dir);
  }, slow);
  afterAll(() => cleanup());

  function expectSameAsSequential(index: string): void {
    expect(docsOf(index, dir)).toEqual(docsOf('seq.ream', dir));
    const actual = searchAll(index, queries, 10, dir);
    for (const q of queries) expectSameResults(actual.get(q)!, expected.get(q)!, `${index}: ${q}`);
  }

  it('uses 20 queries that find something', () => {
    expect(pdfs.length).toBe(30);
    expect(queries.length).toBe(20);
    expect([...expected.values()].filter((hits) => hits.length > 0).length).toBe(20);
  }, slow);

  it('map/reduce with xargs -P2 (examples/map-reduce.sh xargs): shards per batch, then ream merge', () => {
    const r = sh(`${EXAMPLES}/map-reduce.sh xargs pdfs xargs.ream 2 8`, { cwd: dir, timeoutMs: 300_000 });
    expectSuccess(r);
    expectSameAsSequential('xargs.ream');
  }, slow);

  it('the one-pipe form: xargs -P2 ream extract | ream tokenize | ream index', () => {
    const r = sh(`set -e; find pdfs -name '*.pdf' -print0 | xargs -0 -P2 -n 8 ream extract | ream tokenize --keep-text | ream index --store text -o onepipe.ream`, {
      cwd: dir,
      timeoutMs: 300_000,
    });
    expectSuccess(r);
    expectSameAsSequential('onepipe.ream');
  }, slow);

  it.runIf(haveCommand('parallel'))('map/reduce with GNU parallel (examples/map-reduce.sh parallel): numbered shards, job log', () => {
    const r = sh(`${EXAMPLES}/map-reduce.sh parallel pdfs parallel.ream 2 8`, { cwd: dir, timeoutMs: 300_000 });
    expectSuccess(r);
    expectSameAsSequential('parallel.ream');
  }, slow);

  it.runIf(haveCommand('parallel'))('parallel --pipe --keep-order spreads tokenize over one stream and gives the same bytes', () => {
    const r = sh(
      `set -e; find pdfs -name '*.pdf' | LC_ALL=C sort | ream extract --files-from - > pages.ndjson
       parallel --pipe --keep-order -j2 --block 64k --group-by 's/^.*?\"page\":(\\d+).*/$1/' ream tokenize --keep-text < pages.ndjson | ream index --store text -o pipe.ream`,
      { cwd: dir, timeoutMs: 300_000 },
    );
    expectSuccess(r);
    expect(readFileSync(join(dir, 'pipe.ream')).equals(readFileSync(join(dir, 'seq.ream')))).toBe(true);
  }, slow);

  it('searching the shards without merging equals searching the merged index', () => {
    const r = sh(`set -e; mkdir -p shards; find pdfs -name '*.pdf' -print0 | xargs -0 -P2 -n 8 sh -c 'ream extract "$@" | ream tokenize | ream index -o shards/$$.ream' _`, {
      cwd: dir,
      timeoutMs: 300_000,
    });
    expect(r.status).toBe(0);
    const across = searchAll('shards/*.ream', queries, 10, dir);
    for (const q of queries) expectSameResults(across.get(q)!, expected.get(q)!, `shards/*.ream: ${q}`);
  }, slow);
});
