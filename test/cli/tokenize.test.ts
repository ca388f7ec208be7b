import { afterAll, describe, expect, it } from 'vitest';
import { closeSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { run } from '../../src/cli/main.js';
import { createContext } from '../../src/stream/context.js';
import { NdjsonWriter } from '../../src/stream/output.js';
import { join } from 'node:path';
import { CORPUS, describeWithCorpus, parseLines, ream, sh, workdir } from '../helpers.js';

const records = (...rs: object[]): string => rs.map((r) => JSON.stringify(r) + '\n').join('');

describe('ream tokenize', () => {
  it('replaces text with tokens and the analyzer id', () => {
    const r = ream(['tokenize'], { input: records({ doc: 'a.pdf', page: 1, text: 'The ﬁrst infor-\nmation' }) });
    expect(r.status).toBe(0);
    expect(parseLines(r.stdout)).toEqual([{ doc: 'a.pdf', page: 1, tokens: ['the', 'first', 'information'], analyzer: 'standard/1' }]);
  });

  it('--keep-text, --offsets and --field', () => {
    const r = ream(['tokenize', '-a', 'en', '--keep-text', '--offsets', '--field', 'body'], { input: records({ body: 'Running dogs' }) });
    expect(parseLines(r.stdout)).toEqual([{ body: 'Running dogs', tokens: ['run', 'dog'], analyzer: 'en/1', offsets: [[0, 7], [8, 12]] }]);
  });

  it('numbers chunk positions across the chunks of a page', () => {
    const input = records(
      { doc: 'a', page: 1, chunk: 0, chunks: 3, offset: 0, text: 'one two three' },
      { doc: 'b', page: 1, text: 'other document' },
      { doc: 'a', page: 1, chunk: 1, chunks: 3, offset: 14, text: 'four five' },
      { doc: 'a', page: 1, chunk: 2, chunks: 3, offset: 24, text: 'six' },
      { doc: 'a', page: 2, chunk: 0, chunks: 1, offset: 0, text: 'seven' },
    );
    const out = parseLines(ream(['tokenize'], { input }).stdout);
    expect(out.map((r) => [r.doc, r.page, r.tokenOffset])).toEqual([['a', 1, 0], ['b', 1, undefined], ['a', 1, 3], ['a', 1, 5], ['a', 2, 0]]);
  });

  it('leaves tokenOffset out for a chunk whose earlier chunks went to another job, and the index still places it right', () => {
    const job1 = records({ doc: 'a', page: 1, chunk: 0, chunks: 2, offset: 0, text: 'alpha beta' });
    const job2 = records({ doc: 'a', page: 1, chunk: 1, chunks: 2, offset: 11, text: 'gamma delta' }, { text: 'fine' });
    const r = ream(['tokenize'], { input: job2 });
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    const out = parseLines(r.stdout);
    expect(out[0]).toEqual({ doc: 'a', page: 1, chunk: 1, chunks: 2, offset: 11, tokens: ['gamma', 'delta'], analyzer: 'standard/1' });
    const { dir, cleanup } = workdir();
    try {
      const split = ream(['tokenize'], { input: job1 }).stdout + r.stdout.split('\n')[0] + '\n';
      const whole = ream(['tokenize'], { input: job1 + job2.split('\n')[0] + '\n' }).stdout;
      expect(ream(['index', '-o', join(dir, 'split.ream')], { input: split }).status).toBe(0);
      expect(ream(['index', '-o', join(dir, 'whole.ream')], { input: whole }).status).toBe(0);
      expect(readFileSync(join(dir, 'split.ream')).equals(readFileSync(join(dir, 'whole.ream')))).toBe(true);
      const hit = parseLines(ream(['search', '-i', join(dir, 'split.ream'), '"beta gamma"']).stdout);
      expect(hit.map((h) => [h.doc, h.page])).toEqual([['a', 1]]);
    } finally {
      cleanup();
    }
  });

  it('refuses records analyzed with another analyzer, one line each, exit 1', () => {
    const input = records({ text: 'a', analyzer: 'en/1' }, { text: 'Haus', analyzer: 'de/1' });
    const r = ream(['tokenize', '-a', 'de'], { input });
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toEqual([
      'ream tokenize: stdin:1: record was analyzed with "en/1", this run uses de/1: mixing analyzers is refused (use --analyzer en)',
    ]);
    expect(parseLines(r.stdout)).toEqual([{ tokens: ['haus'], analyzer: 'de/1' }]);
  });

  it('reports records without text and bad JSON, and goes on', () => {
    const r = ream(['tokenize'], { input: '{"page":1}\nnot json\n{"text":"ok"}\n' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("ream tokenize: stdin:1: no 'text' field");
    expect(r.stderr).toContain('ream tokenize: stdin:2: invalid JSON');
    expect(parseLines(r.stdout)).toEqual([{ tokens: ['ok'], analyzer: 'standard/1' }]);
  });

  it('unknown analyzer is a usage error listing the known ones', () => {
    const r = ream(['tokenize', '-a', 'xx']);
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toBe("ream tokenize: unknown analyzer 'xx' (known: standard, en, de, fr, ru, cjk, auto; ids carry a version, e.g. standard/1)");
  });

  it('--help shows every analyzer with its steps and an example', () => {
    const r = ream(['tokenize', '--help']);
    expect(r.status).toBe(0);
    for (const id of ['standard/1', 'en/1', 'de/1', 'fr/1', 'ru/1', 'cjk/1', 'auto/1']) expect(r.stdout).toContain(id);
    expect(r.stdout).toContain('NFKC');
    expect(r.stdout).toContain('Examples:');
  });

  it('stops quietly when the reader goes away', () => {
    const r = sh(`yes '{"text":"a b c d e f g"}' | head -50000 | ream tokenize | head -1`);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    expect(parseLines(r.stdout)).toHaveLength(1);
  });

  it('counts tokens_total for metrics', async () => {
    const { dir, cleanup } = workdir();
    try {
      writeFileSync(join(dir, 'in.ndjson'), records({ text: 'a b c' }, { text: 'the end' }));
      const fd = openSync(join(dir, 'out.ndjson'), 'w');
      const ctx = createContext('tokenize', new NdjsonWriter(fd));
      expect(await run(['tokenize', join(dir, 'in.ndjson')], ctx)).toBe(0);
      closeSync(fd);
      expect(ctx.metrics.counters.get('tokens_total')?.get('')).toBe(5);
    } finally {
      cleanup();
    }
  });
});

describe('ream tokenize byte path (the default) against the reference path', () => {
  it('writes the same lines and reports the same errors for odd input: BOM, CRLF, blank lines, bad JSON and UTF-8, refusals', () => {
    const { dir, cleanup } = workdir();
    try {
      const input = Buffer.concat([
        Buffer.from('\ufeff{"doc":"a","page":1,"text":"Hello World"}\r\n'),
        Buffer.from('\n   \n'),
        Buffer.from('{"doc":"a","page":2,"text":"infor-\\nmation and information"}\n'),
        Buffer.from('{"text":"not closed\n'),
        Buffer.from('[1,2]\n'),
        Buffer.from('{"doc":"b","text":"bad '),
        Buffer.from([0xff, 0xfe]),
        Buffer.from(' bytes caf\u00e9"}\n'),
        Buffer.from('{"doc":"c","analyzer":"en/1","tokens":["x"]}\n'),
        Buffer.from('{"doc":"d","text":5}\n'),
        Buffer.from('{"doc":"e", "page":1,"text":"spaced out JSON \\u00e9t\\u00e9"}\n'),
        Buffer.from('{"doc":"f","page":1,"text":"Caf\u00e9 \u201cquoted\u201d \u4e2d\u6587 end"}'),
      ]);
      writeFileSync(join(dir, 'odd.ndjson'), input);
      const env = { REAM_TOKENIZE_WORKER_AFTER: '0' };
      const bytePath = sh(`ream tokenize ${dir}/odd.ndjson`, { env });
      const reference = sh(`ream tokenize --threads 2 ${dir}/odd.ndjson`, { env });
      expect(bytePath.status).toBe(1);
      expect(reference.status).toBe(1);
      expect(bytePath.stdout).toBe(reference.stdout);
      expect(bytePath.stderr).toBe(reference.stderr);
      expect(parseLines(bytePath.stdout).map((r) => r.doc)).toEqual(['a', 'a', 'b', 'e', 'f']);
      expect(bytePath.stderr).toMatch(/odd\.ndjson:7: invalid UTF-8/);
    } finally {
      cleanup();
    }
  });
});

describe('ream tokenize --threads 2 (large input)', () => {
  const { dir, cleanup } = workdir();
  afterAll(cleanup);
  // ~0.75 MB: several 256K-character batches, with chunk records of one page spread across batches,
  // refused records in between, and words of several scripts.
  const words = ['Alpha', 'beta', "don't", '3.14', 'café', 'Straße', 'ﬁnal', 'данные', 'ΣΟΦΙΑ', '中文字', 'He said "no"', 'infor-\nmation'];
  const lines: string[] = [];
  for (let i = 0; i < 1500; i++) {
    const text = Array.from({ length: 80 }, (_, k) => words[(i * 7 + k * 3) % words.length]).join(' ');
    if (i % 250 === 7) lines.push(JSON.stringify({ doc: `d${i}`, page: 1 }));
    if (i % 200 === 3) {
      for (let c = 0; c < 3; c++) lines.push(JSON.stringify({ doc: `c${i}`, page: 2, chunk: c, chunks: 3, text }));
    } else lines.push(JSON.stringify({ doc: `d${i}`, page: 1, text }));
  }
  const input = join(dir, 'big.ndjson');
  writeFileSync(input, lines.join('\n') + '\n');

  it('writes exactly what one thread writes, in input order, for every analyzer with JSON output', () => {
    for (const analyzer of ['standard', 'en']) {
      const inline = sh(`ream tokenize -a ${analyzer} ${input}`, { env: { REAM_TOKENIZE_WORKER_AFTER: '0' } });
      const threads = sh(`ream tokenize --threads 2 -a ${analyzer} ${input}`, { env: { REAM_TOKENIZE_WORKER_AFTER: '0' } });
      expect(inline.status).toBe(1);
      expect(threads.status).toBe(1);
      expect(threads.stderr).toBe(inline.stderr);
      expect(threads.stdout).toBe(inline.stdout);
      expect(threads.stdout.split('\n').length - 1).toBe(lines.length - 6);
    }
    const out = parseLines(sh(`ream tokenize --threads 2 ${input}`, { env: { REAM_TOKENIZE_WORKER_AFTER: '0' } }).stdout);
    const chunks = out.filter((r) => r.doc === 'c3');
    expect(chunks.map((r) => r.tokenOffset)).toEqual([0, chunks[0].tokens.length, chunks[0].tokens.length + chunks[1].tokens.length]);
  });

  it('stops quietly when the reader goes away', () => {
    const r = sh(`grep '"text"' ${input} | ream tokenize --threads 2 | head -1`, { env: { REAM_TOKENIZE_WORKER_AFTER: '0' } });
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    expect(parseLines(r.stdout)).toHaveLength(1);
  });
});

describeWithCorpus('ream tokenize on the shared corpus', () => {
  const { dir, cleanup } = workdir();
  afterAll(cleanup);

  it('tokenizes pdftotext pages of every script with auto, one record per page, nothing refused', () => {
    const pages = join(dir, 'pages.ndjson');
    const files = ['pp-bitcoin-ooo24.pdf', 'ru-texlive-ru.pdf', 'zh-texlive-zh-cn.pdf', 'fa-lshort-persian.pdf', 'js-th-issue13211.pdf'];
    const script = files
      .map((f) => `pdftotext -q -enc UTF-8 -l 3 '${join(CORPUS, 'good', f)}' - | jq -Rsc --arg doc ${f} 'split("\\f")[] | select(test("\\\\S")) | {doc: $doc, text: .}'`)
      .join('; ');
    expect(sh(`(${script}) > ${pages}`).status).toBe(0);
    const r = sh(`ream tokenize -a auto ${pages}`);
    expect(r.status).toBe(0);
    const out = parseLines(r.stdout);
    expect(out.length).toBe(Number(sh(`wc -l < ${pages}`).stdout.trim()));
    expect(new Set(out.map((o) => o.doc))).toEqual(new Set(files));
    for (const o of out) {
      expect(o.analyzer).toBe('auto/1');
      expect(o.text).toBeUndefined();
    }
    writeFileSync(join(dir, 'done'), '');
  });
});
