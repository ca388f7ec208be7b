// ream under Hadoop Streaming's contract, run through a faithful stand-in for the framework's steps
// (test/scaleout/streaming-standin.ts): splits at line boundaries into several mappers, the
// `key<TAB>value` cut, HashPartitioner, `LC_ALL=C sort` on the key, reducers over adjacent keys,
// side files, and `reporter:counter:` lines summed into job counters. The jobs are the ones
// docs/scale-out.md gives as `hadoop jar hadoop-streaming.jar …` invocations.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chmodSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CORPUS, PATH_WITH_REAM, ROOT, describeWithCorpus, parseLines, sh, workdir } from '../helpers.js';
import { partitionOf, runStreamingJob } from './streaming-standin.js';

const TASK = join(ROOT, 'examples/hadoop-task.sh');
const cmdenv = { PATH: PATH_WITH_REAM };
const q = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

let dir = '';
let cleanup = (): void => {};
beforeAll(() => ({ dir, cleanup } = workdir('ream-streaming-')));
afterAll(() => cleanup());

describe('the stand-in itself', () => {
  it('partitions like Hadoop’s HashPartitioner on Text keys', () => {
    // Text.hashCode: h = 31*h + (signed byte), from 1; ("ab" → 4066, "é" = C3 A9 → 31*(31-61)-87).
    expect(partitionOf('ab', 1000)).toBe(4066 % 1000);
    expect(partitionOf('é', 1 << 30)).toBe(((31 * (31 - 61) - 87) & 0x7fffffff) % (1 << 30));
  });

  it('splits at line boundaries: every line reaches exactly one mapper', () => {
    const input = join(dir, 'lines.txt');
    const lines = Array.from({ length: 500 }, (_, i) => `line ${i} ${'x'.repeat(i % 37)}`);
    writeFileSync(input, lines.join('\n') + '\n');
    const job = runStreamingJob({ input: [input], output: join(dir, 'identity'), mapper: 'cat', reduceTasks: 0, mapTasks: 7 });
    expect(job.mapTaskCount).toBe(7);
    // Map-only output is TextOutputFormat's: a line without a TAB is a key with an empty value.
    expect(job.lines).toEqual(lines.map((l) => `${l}\t`));
  });
});

describe('ream count as mapper and combining reducer (synthetic tokens)', () => {
  it('sums partial counts keyed by term over adjacent keys, and reports counters', () => {
    const input = join(dir, 'tokens.ndjson');
    const words = ['alpha', 'beta', 'gamma', 'delta', 'épée', 'zeta', 'a\tb'];
    const records = Array.from({ length: 300 }, (_, i) => ({ doc: `d${i % 13}`, page: i, tokens: words.filter((_, j) => (i + j) % (j + 2) === 0) }));
    writeFileSync(input, records.map((r) => JSON.stringify(r) + '\n').join(''));
    const job = runStreamingJob({
      input: [input],
      output: join(dir, 'count'),
      mapper: 'ream count --key term',
      reducer: 'ream count --by term --sum count --key term',
      reduceTasks: 3,
      mapTasks: 4,
      cmdenv,
    });
    const want = sh(`ream count < ${q(input)}`);
    expect(want.status, want.stderr).toBe(0);
    const got = job.lines.map((l) => {
      const tab = l.indexOf('\t');
      const rec = JSON.parse(l.slice(tab + 1));
      expect(l.slice(0, tab)).toBe(rec.term.replace(/\t/g, '\\t'));
      return rec;
    });
    const byTerm = (a: Record<string, any>, b: Record<string, any>): number => (a.term < b.term ? -1 : a.term > b.term ? 1 : 0);
    expect(got.sort(byTerm)).toEqual(parseLines(want.stdout).sort(byTerm));
    // Each term went to one reducer: no term twice in the output.
    expect(new Set(got.map((r) => r.term)).size).toBe(got.length);

    // Mappers read the records and write partial counts; reducers read those and write the totals.
    const c = job.counters;
    const partials = c.get('ream,records_out_total{command=count}')! - got.length;
    expect(partials).toBeGreaterThan(got.length);
    expect(c.get('ream,records_in_total{command=count}')).toBe(records.length + partials);
    expect([...c.keys()].filter((k) => k.startsWith('ream,failures_total'))).toEqual([]);
    expect(job.stderr).toBe('');
  });

  it('counts bad lines in a counter and still succeeds with exit 1 as a failed task', () => {
    const input = join(dir, 'bad.ndjson');
    writeFileSync(input, '{"tokens":["a"]}\nnot json\n{"tokens":["b"]}\n');
    expect(() => runStreamingJob({ input: [input], output: join(dir, 'bad'), mapper: 'ream count', reduceTasks: 0, mapTasks: 1, cmdenv })).toThrow(
      /failed with status 1/,
    );
    // A wrapper that accepts status 1 (as examples/hadoop-task.sh does) keeps the job going; the counter tells.
    const job = runStreamingJob({
      input: [input],
      output: join(dir, 'bad-ok'),
      mapper: 'ream count; [ $? -le 1 ]',
      reduceTasks: 0,
      mapTasks: 1,
      cmdenv,
    });
    expect(job.counters.get('ream,failures_total{command=count;reason=bad_json}')).toBe(1);
    expect(job.stderr).toMatch(/ream count: stdin:2: invalid JSON/);
    expect(job.lines.map((l) => JSON.parse(l).term).sort()).toEqual(['a', 'b']);
  });
});

describe('the shared flags on a real command', () => {
  const input = '{"tokens":["b","a","b"]}\n';
  it('--key writes key<TAB>json lines that sort by key and read back', () => {
    const r = sh(`ream count --key term | LC_ALL=C sort -t "$(printf '\\t')" -k1,1 | ream count --by term --sum count --key term | cut -f2-`, { input });
    expect(r.status, r.stderr).toBe(0);
    expect(parseLines(r.stdout)).toEqual([{ term: 'b', count: 2 }, { term: 'a', count: 1 }]);
    expect(sh('ream count --key term', { input }).stdout).toBe('b\t{"term":"b","count":2}\na\t{"term":"a","count":1}\n');
    // Without --key (and outside Streaming) a keyed line is not NDJSON.
    expect(sh('ream count --key term | ream count --by term', { input }).stderr).toMatch(/stdin:1: invalid JSON/);
  });

  it('counters go to stderr with --hadoop-counters or under Streaming, never to stdout, and not otherwise', () => {
    const plain = sh('ream count', { input });
    expect(plain.stderr).toBe('');
    for (const r of [sh('ream count --hadoop-counters', { input }), sh('ream count', { input, env: { mapreduce_task_id: 'task_1_0001_m_000000' } })]) {
      expect(r.status).toBe(0);
      expect(r.stdout).toBe(plain.stdout);
      expect(r.stderr).toMatch(/^reporter:counter:ream,records_in_total\{command=count\},1$/m);
      expect(r.stderr).toMatch(/^reporter:counter:ream,records_out_total\{command=count\},2$/m);
    }
  });
});

describeWithCorpus('Hadoop Streaming jobs over PDFs (examples/hadoop-task.sh)', () => {
  const pdfs = [
    'good/pp-outline-pdfkit.pdf',
    'good/js-fop.pdf',
    'good/js-tcpdf-standard-fonts.pdf',
    'good/pp-links-antennahouse.pdf',
    'good/el-test-tu-lgr-xetex.pdf',
    'bad/png-not-pdf.pdf',
  ];
  let list = '';
  let fetchEnv: Record<string, string> = {};
  beforeAll(() => {
    // The job's input: one HDFS path per line (relative: to the user's HDFS home, and the document
    // ids). "Fetching" copies from the corpus.
    list = join(dir, 'pdfs.txt');
    writeFileSync(list, pdfs.map((p) => `${p}\n`).join(''));
    const fetch = join(dir, 'fetch.sh');
    writeFileSync(fetch, `#!/bin/sh\nexec cp "${CORPUS}/$1" "$2"\n`);
    chmodSync(fetch, 0o755);
    fetchEnv = { ...cmdenv, REAM_FETCH: fetch, REAM_PUT: 'cp' };
  });
  const local = (cmd: string): string => {
    const r = sh(`cd ${q(CORPUS)} && ${cmd}`);
    expect(r.status).toBeLessThanOrEqual(1);
    return r.stdout;
  };

  it('map-only extraction: page records keyed by doc, read back by ream', () => {
    const job = runStreamingJob({ input: [list], output: join(dir, 'pages'), mapper: `${TASK} pages`, reduceTasks: 0, linesPerMap: 2, cmdenv: fetchEnv });
    expect(job.mapTaskCount).toBe(3);
    const want = local(`ream extract ${pdfs.join(' ')}`).trim().split('\n');
    const got = job.lines.map((l) => {
      const tab = l.indexOf('\t');
      expect(JSON.parse(l.slice(tab + 1)).doc).toBe(l.slice(0, tab));
      return l.slice(tab + 1);
    });
    expect(got.sort()).toEqual(want.sort());
    // The bad input is one extract failure, counted, and the job went on.
    const failures = [...job.counters].filter(([k]) => k.startsWith('ream,failures_total{command=extract;'));
    expect(failures.map(([, n]) => n)).toEqual([1]);
    expect(job.counters.get('ream,records_out_total{command=extract}')).toBe(want.length);
    // The output files are ream input as they are, with --key (or under Streaming).
    const back = sh(`ream tokenize --key doc ${job.parts.map((p) => q(join(dir, 'pages', p))).join(' ')} | wc -l`);
    expect(back.stderr).toBe('');
    expect(Number(back.stdout)).toBe(want.length);
  });

  it('word count: partial counts keyed by term, summed by reducers over adjacent keys', () => {
    const job = runStreamingJob({
      input: [list],
      output: join(dir, 'counts'),
      mapper: `${TASK} counts`,
      reducer: 'ream count --by term --sum count --key term',
      reduceTasks: 3,
      linesPerMap: 2,
      cmdenv: fetchEnv,
    });
    const want = parseLines(local(`ream extract ${pdfs.join(' ')} | ream tokenize | ream count`));
    const got = job.lines.map((l) => JSON.parse(l.slice(l.indexOf('\t') + 1)));
    const byTerm = (a: Record<string, any>, b: Record<string, any>): number => (a.term < b.term ? -1 : a.term > b.term ? 1 : 0);
    expect(want.length).toBeGreaterThan(100);
    expect(got.sort(byTerm)).toEqual(want.sort(byTerm));
    expect(job.counters.get('ream,tokens_total{command=tokenize}')).toBe(want.reduce((n, t) => n + t.count, 0));
  });

  it('indexing: tokens keyed by doc, one shard per reducer as a side file, equal to the one-machine index', () => {
    const out = join(dir, 'indexed');
    const job = runStreamingJob({
      input: [list],
      output: out,
      mapper: `${TASK} tokens`,
      reducer: `${TASK} index`,
      reduceTasks: 2,
      linesPerMap: 2,
      cmdenv: fetchEnv,
    });
    const shards = readdirSync(out).filter((f) => f.endsWith('.ream')).sort();
    expect(shards).toEqual(['shard-00000.ream', 'shard-00001.ream']);
    expect(job.lines.length).toBe(2); // the two summary records
    const single = join(dir, 'single.ream');
    local(`ream extract ${pdfs.join(' ')} | ream tokenize | ream index -o ${q(single)}`);
    // Every document in exactly one shard.
    const docsOf = (index: string): string[] => sh(`ream docs ${q(index)}`).stdout.trim().split('\n').map((l) => JSON.parse(l).doc as string);
    const inShards = shards.flatMap((s) => [...new Set(docsOf(join(out, s)))]);
    expect(inShards.sort()).toEqual([...new Set(docsOf(single))].sort());
    // Same hits across the shards as on the one-machine index.
    const terms = parseLines(sh(`ream terms ${q(single)}`).stdout).sort((a, b) => b.df - a.df).slice(0, 30);
    for (const t of terms.filter((_, i) => i % 6 === 0)) {
      const want = parseLines(sh(`ream search -i ${q(single)} -k 10 ${q(t.term)}`).stdout);
      const got = parseLines(sh(`ream search -i ${q(join(out, 'shard-*.ream'))} -k 10 ${q(t.term)}`).stdout);
      expect(want.length).toBeGreaterThan(0);
      expect(got.map(({ index: _index, ...h }) => ({ ...h, score: h.score.toFixed(9) }))).toEqual(
        want.map((h) => ({ ...h, score: h.score.toFixed(9) })),
      );
    }
  });
});
