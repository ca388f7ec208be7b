import { afterAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { BIN, parseLines, ream, sh, workdir } from '../helpers.js';
import { tempPathFor } from '../../src/stream/atomic.js';

const { dir, cleanup } = workdir();
afterAll(cleanup);
const rec = (doc: string, page: number, tokens: string[], extra: object = {}) => JSON.stringify({ doc, page, tokens, analyzer: 'standard/1', ...extra });

describe('ream index', () => {
  it('builds from a pipeline and prints one summary record', () => {
    writeFileSync(join(dir, 'pages.ndjson'), [rec('b.pdf', 1, ['hello', 'world']), rec('a.pdf', 1, ['hello']), '{"doc":"t.pdf","page":3,"text":"Hello, Text!"}'].join('\n') + '\n');
    const r = sh('cat pages.ndjson | ream index -o out.ream', { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const [summary, ...rest] = parseLines(r.stdout);
    expect(rest).toEqual([]);
    expect(summary).toMatchObject({ index: 'out.ream', analyzer: 'standard/1', documents: 3, terms: 3, postings: 5, tokens: 5, runs: 1 });
    expect(parseLines(ream(['docs', join(dir, 'out.ream')]).stdout).map((d) => d.doc)).toEqual(['a.pdf', 'b.pdf', 't.pdf']);
  });

  it('joins chunk records of a long page into one unit, positions from tokenOffset', () => {
    const lines = [
      rec('c.pdf', 1, ['beta', 'gamma'], { chunk: 1, chunks: 2, tokenOffset: 2, offset: 10 }),
      rec('c.pdf', 1, ['x', 'alpha'], { chunk: 0, chunks: 2, tokenOffset: 0, offset: 0 }),
    ];
    const r = sh(`ream index -o chunks.ream && ream search -i chunks.ream '"alpha beta"'`, { cwd: dir, input: lines.join('\n') + '\n' });
    expect(r.status).toBe(0);
    const out = parseLines(r.stdout);
    expect(out[0]).toMatchObject({ documents: 1, tokens: 4 });
    expect(out[1]).toMatchObject({ doc: 'c.pdf', page: 1, rank: 1 });
  });

  it('reports bad records and a different analyzer, indexes the rest, exits 1', () => {
    const input =
      [
        rec('a', 1, ['ok']),
        'not json',
        '{"page":1,"tokens":["x"]}',
        JSON.stringify({ doc: 'b', page: 1, tokens: ['y'], analyzer: 'other/1' }),
        '{"doc":"c","page":1,"tokens":"x y"}',
        '{"doc":"c","page":2,"text":5}',
        '{"doc":"c","page":3}',
      ].join('\n') + '\n';
    const r = ream(['index', '-o', join(dir, 'bad.ream')], { input });
    expect(r.status).toBe(1);
    const errors = r.stderr.trim().split('\n');
    expect(errors).toHaveLength(6);
    expect(errors[0]).toMatch(/^ream index: stdin:2: invalid JSON/);
    expect(errors[1]).toMatch(/^ream index: stdin:3: record has no "doc" string$/);
    expect(errors[2]).toMatch(/^ream index: stdin:4: analyzer other\/1 differs from the index's standard\/1; one analyzer per index$/);
    expect(errors[3]).toBe('ream index: stdin:5: "tokens" must be an array of strings');
    expect(errors[4]).toBe('ream index: stdin:6: "text" must be a string');
    expect(errors[5]).toBe('ream index: stdin:7: record has neither "tokens" nor "text"');
    expect(parseLines(r.stdout)[0]).toMatchObject({ documents: 1 });
  });

  it('spills runs past --memory and cleans them up; same bytes as an in-memory build', () => {
    const lines: string[] = [];
    for (let i = 0; i < 400; i++) lines.push(rec(`d${i % 37}`, i, Array.from({ length: 50 }, (_, k) => `w${(i * k) % 97}`)));
    writeFileSync(join(dir, 'many.ndjson'), lines.join('\n') + '\n');
    const r = sh('ream index --memory 64k -o small.ream many.ndjson && ream index -o big.ream many.ndjson && cmp small.ream big.ream', { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(parseLines(r.stdout)[0]!.runs).toBeGreaterThan(2);
    expect(readdirSync(dir).filter((f) => f.includes('.tmp'))).toEqual([]);
  });

  it('a build killed mid-way leaves temp files that the next build of that output removes, saying so', async () => {
    const sub = join(dir, 'killed');
    mkdirSync(sub);
    const lines: string[] = [];
    for (let i = 0; i < 400; i++) lines.push(rec(`d${i}`, 1, Array.from({ length: 50 }, (_, k) => `w${(i * k) % 97}`)));
    // stdin stays open after the pages: the build has spilled its runs and waits for more when killed
    const child = spawn(join(BIN, 'ream'), ['index', '--memory', '64k', '-o', 'k.ream'], { cwd: sub, stdio: ['pipe', 'ignore', 'ignore'] });
    child.stdin.write(lines.join('\n') + '\n');
    const temps = () => readdirSync(sub).filter((f) => f.includes('.tmp'));
    for (let waited = 0; temps().filter((f) => f.includes('.run')).length < 4 && waited < 20000; waited += 50) await sleep(50);
    child.kill('SIGKILL');
    await once(child, 'exit');
    const left = temps();
    expect(left.filter((f) => f.includes('.run')).length).toBeGreaterThanOrEqual(4);
    // a temp file of a process still running (this one) is not touched
    const live = basename(tempPathFor(join(sub, 'k.ream')));
    writeFileSync(join(sub, live), '');
    writeFileSync(join(sub, 'pages.ndjson'), lines.slice(0, 10).join('\n') + '\n');
    const r = sh('ream index -o k.ream pages.ndjson', { cwd: sub });
    expect(r.status).toBe(0);
    expect(r.stderr).toBe(`ream index: removed ${left.length} temp files an interrupted run left next to k.ream (${left.sort().join(', ')})\n`);
    expect(temps()).toEqual([live]);
    expect(parseLines(r.stdout)[0]).toMatchObject({ documents: 10 });
  });

  it('says when --store text has no text to keep, and merge says which inputs kept none', () => {
    writeFileSync(join(dir, 'text.ndjson'), '{"doc":"a.pdf","page":1,"text":"Raft log replication"}\n{"doc":"b.pdf","page":1,"text":"Paxos"}\n');
    // tokenize drops the text unless --keep-text: the index keeps none, and says so (exit 0).
    const dropped = sh('ream tokenize < text.ndjson | ream index --store text -o notext.ream', { cwd: dir });
    expect(dropped.status).toBe(0);
    expect(dropped.stderr).toBe('ream index: --store text: no record carried "text" (tokenize with --keep-text), so the index keeps no page text and search shows no snippets\n');
    expect(parseLines(ream(['search', '-i', join(dir, 'notext.ream'), 'replication']).stdout)[0]).not.toHaveProperty('snippet');
    const kept = sh('ream tokenize --keep-text < text.ndjson | ream index --store text -o withtext.ream', { cwd: dir });
    expect(kept.stderr).toBe('');
    expect(parseLines(ream(['search', '-i', join(dir, 'withtext.ream'), 'replication']).stdout)[0]!.snippet).toBe('Raft log «replication»');
    const merged = sh('ream tokenize < text.ndjson | ream index -o plain.ream && ream merge -o both.ream withtext.ream plain.ream', { cwd: dir });
    expect(merged.status).toBe(0);
    expect(merged.stderr).toBe('ream merge: 1 of 2 inputs keep no page text: plain.ream; the merged index keeps none, so search shows no snippets (build them with --store text)\n');
  });

  it('usage errors exit 2 and leave no file', () => {
    const r = ream(['index', '-o', join(dir, 'x.ream'), '--memory', 'lots']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^ream index: .*--memory.*size/);
    expect(existsSync(join(dir, 'x.ream'))).toBe(false);
  });

  it('refuses an output it cannot write before reading any input (exit 2, the path named, no temp file)', async () => {
    const out = join(dir, 'targets');
    mkdirSync(join(out, 'adir'), { recursive: true });
    const fifo = join(out, 'fifo');
    sh(`mkfifo '${fifo}'`);
    // stdin stays open: a refusal that waited for the input would hang until the timeout
    const cases: [string, RegExp][] = [
      [join(out, 'adir'), /-o .*adir: is a directory/],
      [join(out, 'missing', 'x.ream'), /-o .*x\.ream: no such directory: .*missing/],
      [fifo, /-o .*fifo: not a regular file/],
    ];
    for (const [target, message] of cases) {
      const child = spawn(join(BIN, 'ream'), ['index', '-o', target]);
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const killer = setTimeout(() => child.kill(), 15000);
      const [status] = (await once(child, 'close')) as [number | null];
      clearTimeout(killer);
      child.stdin.destroy();
      expect(status, target).toBe(2);
      expect(stderr).toMatch(message);
    }
    expect(readdirSync(out).sort()).toEqual(['adir', 'fifo']);
    expect(readdirSync(join(out, 'adir'))).toEqual([]);
  });

  it('writes through a symlink: the link stays a link and its target gets the index', () => {
    const out = join(dir, 'linked');
    mkdirSync(out);
    sh(`ln -s real.ream '${join(out, 'link.ream')}'`);
    for (let i = 0; i < 2; i++) expect(ream(['index', '-o', join(out, 'link.ream')], { input: rec('a.pdf', 1, ['x']) + '\n' }).status).toBe(0);
    expect(sh(`test -L '${join(out, 'link.ream')}' && test -f '${join(out, 'real.ream')}'`).status).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['link.ream', 'real.ream']);
  });
});
