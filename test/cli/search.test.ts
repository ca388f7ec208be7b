import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { buildCommand } from '../../src/cli/main.js';
import { createContext } from '../../src/stream/context.js';
import { BIN, parseLines, ream, sh, workdir } from '../helpers.js';

const { dir, cleanup } = workdir();
afterAll(cleanup);

describe('ream search', () => {
  const pages = [
    { doc: 'guide.pdf', page: 1, title: 'Guide', text: 'The index format is documented. Search the index quickly.' },
    { doc: 'guide.pdf', page: 2, title: 'Guide', text: 'Merging shards is the reduce step of indexing.' },
    { doc: 'notes.pdf', page: 1, title: 'Notes', text: 'Random notes about search engines and their index formats.' },
  ];
  writeFileSync(join(dir, 'pages.ndjson'), pages.map((p) => JSON.stringify(p)).join('\n') + '\n');
  sh('ream index --store text,title -o docs.ream pages.ndjson', { cwd: dir });

  it('answers a query with ranked hits, stored fields and a marked snippet', () => {
    const r = ream(['search', '-i', join(dir, 'docs.ream'), 'index'], { cwd: dir });
    expect(r.status).toBe(0);
    const hits = parseLines(r.stdout);
    expect(hits.map((h) => [h.doc, h.page, h.rank])).toEqual([['guide.pdf', 1, 1], ['notes.pdf', 1, 2]]);
    expect(hits[0]!.score).toBeGreaterThan(hits[1]!.score);
    expect(hits[0]!.title).toBe('Guide');
    expect(hits[0]!.snippet).toContain('«index»');
  });

  it('supports phrases, prefixes, OR, negation, doc: filters, -k/--offset and --group-by doc', () => {
    const q = (query: string, ...flags: string[]) => parseLines(ream(['search', '-i', 'docs.ream', ...flags, query], { cwd: dir }).stdout).map((h) => `${h.doc}:${h.page}`);
    expect(q('"index format"')).toEqual(['guide.pdf:1']);
    expect(q('merg*')).toEqual(['guide.pdf:2']);
    expect(q('shards OR engines')).toHaveLength(2);
    expect(q('index -notes')).toEqual(['guide.pdf:1']);
    expect(q('index doc:notes.pdf')).toEqual(['notes.pdf:1']);
    expect(q('index doc:guide*')).toEqual(['guide.pdf:1']);
    // a quoted value may hold spaces
    expect(q('index title:"Guide"')).toEqual(['guide.pdf:1']);
    expect(q('index doc:"notes.pdf"')).toEqual(['notes.pdf:1']);
    expect(q('index', '-k', '1', '--offset', '1')).toEqual(['notes.pdf:1']);
    const seen = new Set<string>();
    const best = q('the OR index OR shards').filter((h) => !seen.has(h.split(':')[0]!) && seen.add(h.split(':')[0]!));
    expect(best).toHaveLength(2);
    expect(q('the OR index OR shards', '--group-by', 'doc')).toEqual(best);
  });

  it('a filter on a field the index does not store is refused, not answered with nothing', () => {
    const r = ream(['search', '-i', 'docs.ream', 'index author:Knuth'], { cwd: dir });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('ream search: query: author: not a field of this index (its fields: doc, page, title; ream index --store adds fields)\n');
  });

  it('batch mode answers {"query"} lines from stdin, tagging hits', () => {
    const r = sh(`printf '{"query":"reduce"}\\n{"query":"\\\\"unclosed"}\\n{"query":"engines"}\\n' | ream search -i docs.ream`, { cwd: dir });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^ream search: stdin:2: query: unclosed quote\n$/);
    expect(parseLines(r.stdout).map((h) => [h.query, h.doc])).toEqual([['reduce', 'guide.pdf'], ['engines', 'notes.pdf']]);
    // The query record's other fields come along (to join answers back), but never over a hit's own.
    const tagged = sh(`printf '{"query":"reduce","id":7,"doc":"mine","topic":"mr"}\n' | ream search -i docs.ream`, { cwd: dir });
    expect(parseLines(tagged.stdout)).toEqual([expect.objectContaining({ doc: 'guide.pdf', title: 'Guide', rank: 1, query: 'reduce', id: 7, topic: 'mr' })]);
  });

  it('--cache sets what the indexes keep between queries, not the answers', () => {
    const batch = `printf '{"query":"index"}\\n{"query":"\\\\"index format\\\\""}\\n{"query":"index"}\\n'`;
    const answers = (flags: string) => sh(`${batch} | ream search -i docs.ream ${flags}`, { cwd: dir });
    const normal = answers('');
    expect(normal.status).toBe(0);
    expect(parseLines(normal.stdout).length).toBe(5);
    for (const flags of ['--cache 0', '--cache 512M']) expect(answers(flags).stdout).toBe(normal.stdout);
    const bad = answers('--cache lots');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--cache.*expected a size such as 256M or 1G/);
  });

  it('several indexes (a quoted glob) score like their merge', () => {
    const r = sh(
      `mkdir -p s && head -2 pages.ndjson | ream index -o s/1.ream >/dev/null && tail -1 pages.ndjson | ream index -o s/2.ream >/dev/null &&
       ream search -i 's/*.ream' 'index OR shards' && echo -- && ream search -i docs.ream 'index OR shards'`,
      { cwd: dir },
    );
    expect(r.status).toBe(0);
    const [shards, merged] = r.stdout.split('--\n').map((part) => parseLines(part).map((h) => [h.doc, h.page, h.score]));
    expect(shards!.length).toBe(3);
    expect(shards).toEqual(merged);
  });

  it('misuse and damage: one line, never a stack trace', () => {
    writeFileSync(join(dir, 'not.ream'), 'hello');
    const cases: [string[], number, RegExp][] = [
      [['search', '-i', 'not.ream', 'x'], 1, /^ream search: not\.ream: not a ream index\n$/],
      [['search', '-i', 'missing.ream', 'x'], 1, /^ream search: missing\.ream: no such file or directory\n$/],
      [['search', '-i', 'docs.ream', '--', '-only'], 2, /^ream search: query: the query needs at least one word to search for\n$/],
      [['search', '-i', 'docs.ream', '--analyzer', 'standard', 'x'], 0, /^$/],
    ];
    for (const [args, status, stderr] of cases) {
      const r = ream(args, { cwd: dir });
      expect(r.stderr).toMatch(stderr);
      expect(r.status).toBe(status);
    }
    const v = sh('cp docs.ream d2.ream && printf "Z" | dd of=d2.ream bs=1 seek=60 conv=notrunc 2>/dev/null && ream search --verify -i d2.ream index', { cwd: dir });
    expect(v.status).toBe(1);
    expect(v.stderr).toMatch(/^ream search: d2\.ream: checksum mismatch\n$/);
  });
});

describe('ream search --threads', () => {
  it('answers a batch of large phrases the same on one thread and on two, and exits when done', () => {
    // 48000 pages of a few of three words: every phrase of them is on more pages than a thread
    // pays for (PARALLEL_FROM_PAGES), in each half too; tokens go straight to `ream index`
    let seed = 7;
    const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296);
    const lines: string[] = [];
    for (let i = 0; i < 48000; i++) {
      const tokens = Array.from({ length: 4 + Math.floor(rand() * 6) }, () => 'abc'[Math.floor(rand() * 3)]);
      lines.push(JSON.stringify({ doc: `p${String(i).padStart(5, '0')}.pdf`, page: 1, analyzer: 'standard', tokens }));
    }
    writeFileSync(join(dir, 'many.ndjson'), lines.join('\n') + '\n');
    expect(sh('ream index -o many.ream many.ndjson', { cwd: dir }).status).toBe(0);
    const queries = Array.from({ length: 12 }, (_, i) => JSON.stringify({ query: ['"a b"', '"b a c"', '"c c" a', '"a a"'][i % 4], id: i })).join('\n') + '\n';
    const one = sh('ream search -i many.ream -k 5 --threads 1', { cwd: dir, input: queries, timeoutMs: 60000 });
    const two = sh('ream search -i many.ream -k 5 --threads 2', { cwd: dir, input: queries, timeoutMs: 60000 });
    expect(one.status).toBe(0);
    expect(two.status).toBe(0);
    expect(parseLines(one.stdout)).toHaveLength(60);
    expect(two.stdout).toBe(one.stdout);
    expect(two.stderr).toBe('');
    expect(ream(['search', '-i', join(dir, 'many.ream'), '--threads', '0', '"a b"']).status).toBe(2);
    // shards searched together share the one phrase thread
    expect(sh('head -n 24000 many.ndjson | ream index -o s1.ream && tail -n +24001 many.ndjson | ream index -o s2.ream', { cwd: dir }).status).toBe(0);
    const shardsOne = sh('ream search -i s1.ream -i s2.ream -k 5 --threads 1', { cwd: dir, input: queries, timeoutMs: 60000 });
    const shardsTwo = sh('ream search -i s1.ream -i s2.ream -k 5 --threads 2', { cwd: dir, input: queries, timeoutMs: 60000 });
    expect(shardsTwo.status).toBe(0);
    expect(shardsTwo.stdout).toBe(shardsOne.stdout);
    expect(parseLines(shardsTwo.stdout).map((h) => [h.doc, h.score])).toEqual(parseLines(one.stdout).map((h) => [h.doc, h.score]));
  }, 120000);
});

describe('bin/ream search: how node is started', () => {
  it('one query given as arguments gets its V8 flags, a batch from stdin none; both ask glibc for huge pages', () => {
    // a `node` first on PATH that prints what bin/ream gives it
    const fake = join(dir, 'fake-node');
    mkdirSync(fake, { recursive: true });
    writeFileSync(join(fake, 'node'), '#!/bin/sh\nprintf "%s\\n" "GLIBC_TUNABLES=$GLIBC_TUNABLES" "$@"\n', { mode: 0o755 });
    const env: NodeJS.ProcessEnv = { ...process.env, PATH: `${fake}:${process.env.PATH}` };
    delete env.GLIBC_TUNABLES;
    const started = (...args: string[]) => {
      const r = spawnSync(join(BIN, 'ream'), args, { encoding: 'utf8', env });
      expect(r.status, r.stderr).toBe(0);
      return r.stdout.split('\n');
    };
    const flag = '--max-inlined-bytecode-size-cumulative=0';
    for (const args of [['-i', 'x.ream', 'two words'], ['--index', 'x.ream', '-k', '5', 'word'], ['-i', 'x.ream', '--verify', '--', '-word'], ['word', '-i', 'x.ream']]) {
      const argv = started('search', ...args);
      expect(argv, args.join(' ')).toContain(flag);
      expect(argv[0]).toContain('glibc.malloc.hugetlb=1');
    }
    for (const args of [['-i', 'x.ream'], ['-i', 'x.ream', '-k', '5', '--offset', '2', '--no-snippet'], ['--index', 'x.ream', '--cache', '64M', '--threads', '2', '--']]) {
      const argv = started('search', ...args);
      expect(argv, args.join(' ')).not.toContain(flag);
      expect(argv[0]).toContain('glibc.malloc.hugetlb=1');
    }
    expect(started('terms', 'x.ream', 'word')).not.toContain(flag);
    expect(started('terms', 'x.ream')[0]).toBe('GLIBC_TUNABLES=');
  });

  it("bin/ream's one_query knows every search option that takes a value", async () => {
    // one it did not know would make `ream search --new-option VALUE` (a batch) look like a query
    // given as arguments, or the other way round: only the speed would change, so nothing else shows it
    const cmd = await buildCommand('search', createContext('search'), () => {});
    const valued = cmd.options.filter((o) => o.required || o.optional).flatMap((o) => [o.short, o.long].filter((f): f is string => f !== undefined));
    expect(valued.length).toBeGreaterThan(5);
    const launcher = readFileSync(join(BIN, 'ream'), 'utf8');
    const known = /^\s*(-i \| --index[^)]*)\) shift ;;$/m.exec(launcher)?.[1]?.split(' | ');
    expect(known, 'the case of one_query in bin/ream').toBeDefined();
    expect([...known!].sort()).toEqual([...valued].sort());
  });
});
