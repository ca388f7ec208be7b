import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseLines, sh, workdir } from '../helpers.js';
import { tempPathFor } from '../../src/stream/atomic.js';

const { dir, cleanup } = workdir();
afterAll(cleanup);
const rec = (doc: string, page: number, tokens: string[]) => JSON.stringify({ doc, page, tokens, analyzer: 'standard/1' });

describe('ream merge', () => {
  writeFileSync(join(dir, 'a.ndjson'), [rec('a', 1, ['one', 'shared']), rec('a', 2, ['two'])].join('\n') + '\n');
  writeFileSync(join(dir, 'b.ndjson'), [rec('b', 1, ['three', 'shared'])].join('\n') + '\n');
  writeFileSync(join(dir, 'a2.ndjson'), [rec('a', 1, ['fresh'])].join('\n') + '\n');

  it('xargs -P builds shards, merge joins them: same bytes as one build, in any order, globs expanded', () => {
    const r = sh(
      `mkdir -p shards && ls a.ndjson b.ndjson | xargs -P2 -I{} sh -c 'ream index -o shards/{}.ream {} >/dev/null' &&
       ream merge -o m1.ream 'shards/*.ream' >/dev/null && ream merge -o m2.ream shards/b.ndjson.ream shards/a.ndjson.ream >/dev/null &&
       cat a.ndjson b.ndjson | ream index -o one.ream >/dev/null && cmp m1.ream one.ream && cmp m2.ream one.ream && ream merge -o m3.ream shards/*.ream`,
      { cwd: dir },
    );
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(parseLines(r.stdout)[0]).toMatchObject({ index: 'm3.ream', inputs: 2, documents: 3, terms: 4 });
  });

  it('removes the temp files a killed merge of the same output left (named for a process that has exited)', () => {
    const gone = spawnSync('true').pid!;
    const stale = basename(tempPathFor(join(dir, 'rm.ream.part1'))).replace(`.${process.pid}@`, `.${gone}@`) + '.postings';
    writeFileSync(join(dir, stale), 'left by a merge killed with -9');
    const r = sh('ream index -o rm-in.ream a.ndjson >/dev/null && ream merge -o rm.ream rm-in.ream', { cwd: dir });
    expect(r.status).toBe(0);
    expect(r.stderr).toBe(`ream merge: removed 1 temp file an interrupted run left next to rm.ream (${stale})\n`);
    expect(readdirSync(dir).filter((f) => f.startsWith('.rm.'))).toEqual([]);
  });

  it('--threads 2 splits the terms across two threads and writes the same file; small inputs take one by default', () => {
    // 600 words, in several dictionary blocks, so that there is something to split
    const words = (from: number) => Array.from({ length: 300 }, (_, i) => `w${from + i}`);
    writeFileSync(join(dir, 'many1.ndjson'), [rec('m1', 1, words(0)), rec('m1', 2, words(150))].join('\n') + '\n');
    writeFileSync(join(dir, 'many2.ndjson'), [rec('m2', 1, words(300))].join('\n') + '\n');
    const r = sh(
      `ream index -o many1.ream many1.ndjson >/dev/null && ream index -o many2.ream many2.ndjson >/dev/null &&
       cat many1.ndjson many2.ndjson | ream index -o many.ream >/dev/null &&
       ream merge --threads 2 -o t2.ream many1.ream many2.ream && ream merge -o t.ream many2.ream many1.ream && cmp t2.ream many.ream && cmp t.ream many.ream &&
       ls -a | grep -c tmp; ream merge --threads 0 -o x.ream many1.ream; echo "rc=$?"`,
      { cwd: dir },
    );
    const [threaded, byDefault] = parseLines(r.stdout.split('\n').filter((l) => l.startsWith('{')).join('\n'));
    expect(threaded).toMatchObject({ index: 't2.ream', threads: 2, terms: 600 });
    expect(byDefault).toMatchObject({ index: 't.ream', threads: 1 });
    expect(r.stdout).toMatch(/^0\nrc=2\n$/m);
    expect(r.stderr).toMatch(/^ream merge: .*--threads/);
  });

  it('a re-indexed document in a later input replaces the old one; --delete-docs removes', () => {
    const r = sh(
      `ream index -o a.ream a.ndjson >/dev/null && ream index -o a2.ream a2.ndjson >/dev/null && ream index -o b.ream b.ndjson >/dev/null &&
       ream merge -o all.ream a.ream b.ream a2.ream >/dev/null && printf 'b\\n' > gone.txt && ream merge --delete-docs gone.txt -o less.ream all.ream >/dev/null &&
       ream docs all.ream && echo -- && ream docs less.ream`,
      { cwd: dir },
    );
    expect(r.status).toBe(0);
    const [all, less] = r.stdout.split('--\n').map(parseLines);
    expect(all!.map((d) => `${d.doc}:${d.page}`)).toEqual(['a:1', 'b:1']);
    expect(less!.map((d) => `${d.doc}:${d.page}`)).toEqual(['a:1']);
    // The summary counts what was left out; names that match nothing are pointed out.
    const typo = sh(`printf 'b\\nB.pdf\\n' > typo.txt && ream merge --delete-docs typo.txt -o less2.ream all.ream`, { cwd: dir });
    expect(typo.status).toBe(0);
    expect(parseLines(typo.stdout)[0]).toMatchObject({ documents: 1, deleted: 1, replaced: 0 });
    expect(typo.stderr).toBe('ream merge: --delete-docs: 1 of 2 documents are in no input (names must match their "doc" exactly)\n');
  });

  it('a damaged input is a one-line error, exit 1, and no output', () => {
    const r = sh(`ream index -o ok.ream a.ndjson >/dev/null && cp ok.ream bad.ream && printf 'X' | dd of=bad.ream bs=1 seek=40 conv=notrunc 2>/dev/null && ream merge -o out.ream ok.ream bad.ream; echo "rc=$?"; ls out.ream 2>&1 | head -1`, { cwd: dir });
    expect(r.stderr).toMatch(/^ream merge: bad\.ream: checksum mismatch\n$/);
    expect(r.stdout).toMatch(/rc=1\n.*No such file/);
  });
});
