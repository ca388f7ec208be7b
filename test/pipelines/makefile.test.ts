// examples/Makefile run for real over a few small PDFs of the shared corpus: full build, incremental
// rebuilds, deletion, -j4 against -j1, failing PDFs and an interrupted build.
import { spawn } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { BIN, CORPUS, describeWithCorpus, parseLines, PATH_WITH_REAM, ream, sh, workdir } from '../helpers.js';
import { copyCorpusPdfs, docsOf, expectSuccess, MAKEFILE, searchAll, smallGoodPdfs } from './support.js';

const make = (cwd: string, args = '') => sh(`make -f ${MAKEFILE} PDFS=pdfs INDEX=out.ream ${args}`, { cwd, timeoutMs: 120_000 });
const base = (pdf: string) => pdf.replace(/\.pdf$/, '');
const textOf = (pdf: string) => `out.build/text/${base(pdf)}.ndjson`;
const shardOf = (pdf: string) => `out.build/shards/${base(pdf)}.ream`;
const mtime = (path: string) => statSync(path, { bigint: true }).mtimeNs;

describeWithCorpus('examples/Makefile', () => {
  const pdfs = smallGoodPdfs({ maxPages: 10, maxBytes: 200_000, count: 8 });
  const slow = 240_000; // make runs several ream processes per PDF, on a shared 2-core machine
  let dir: string;
  let cleanup: () => void;
  const at = (p: string) => join(dir, p);
  const current = () => readdirSync(at('pdfs')).sort();
  /** Runs `fn` in a fresh work dir holding a copy of the PDFs as they are now. */
  const inCopy = async (prefix: string, fn: (fresh: string) => void | Promise<void>) => {
    const { dir: fresh, cleanup: done } = workdir(prefix);
    try {
      cpSync(at('pdfs'), join(fresh, 'pdfs'), { recursive: true });
      await fn(fresh);
    } finally {
      done();
    }
  };
  const sameIndex = (fresh: string) => readFileSync(join(fresh, 'out.ream')).equals(readFileSync(at('out.ream')));

  beforeAll(() => {
    ({ dir, cleanup } = workdir('ream-make-'));
    copyCorpusPdfs(pdfs, at('pdfs'));
  }, slow);
  afterAll(() => cleanup());

  it('builds one text file and one shard per PDF, and the merged index (make -j4)', () => {
    expect(pdfs.length).toBe(8);
    const r = make(dir, '-j4');
    expectSuccess(r);
    for (const pdf of pdfs) {
      const pages = parseLines(readFileSync(at(textOf(pdf)), 'utf8'));
      expect(pages.length).toBeGreaterThan(0);
      expect(pages.every((p) => p.doc === `pdfs/${pdf}`)).toBe(true);
      expect(existsSync(at(shardOf(pdf)))).toBe(true);
    }
    expect(docsOf('out.ream', dir)).toEqual(new Set(pdfs.map((p) => `pdfs/${p}`)));
  }, slow);

  it('runs nothing when nothing changed', () => {
    const before = mtime(at('out.ream'));
    const r = make(dir, '-j4');
    expect(r.status).toBe(0);
    expect(r.stdout).not.toMatch(/extract|index|merge/);
    expect(mtime(at('out.ream'))).toBe(before);
  }, slow);

  it('touching one PDF re-extracts and re-indexes only that PDF, then re-merges', () => {
    const outputs = pdfs.flatMap((p) => [textOf(p), shardOf(p)]).concat('out.ream');
    const before = new Map(outputs.map((o) => [o, mtime(at(o))]));
    const touched = pdfs[2]!;
    const now = new Date();
    utimesSync(at(`pdfs/${touched}`), now, now); // touch(1)
    const r = make(dir, '-j4');
    expect(r.status).toBe(0);
    const changed = outputs.filter((o) => mtime(at(o)) !== before.get(o));
    expect(changed.sort()).toEqual([textOf(touched), shardOf(touched), 'out.ream'].sort());
    expect(r.stdout.match(/^extract .*/gm)).toEqual([`extract  pdfs/${touched}`]);
  }, slow);

  it('deleting a PDF removes its pages from the index and from search results', () => {
    const gone = pdfs[5]!;
    // The query: the words of the deleted PDF that are found in the fewest pages.
    const terms = parseLines(ream(['terms', shardOf(gone)], { cwd: dir }).stdout).filter((t) => /^\p{L}{4,}$/u.test(t.term));
    const query = terms.sort((a, b) => a.df - b.df)[0]!.term;
    const hitDocs = () => searchAll('out.ream', [query], 50, dir).get(query)!.map((h) => h.doc);
    expect(hitDocs()).toContain(`pdfs/${gone}`);
    rmSync(at(`pdfs/${gone}`));
    const r = make(dir, '-j4');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/merge +7 shards/);
    expect(docsOf('out.ream', dir).has(`pdfs/${gone}`)).toBe(false);
    expect(hitDocs()).not.toContain(`pdfs/${gone}`);
    expect(existsSync(at(textOf(gone)))).toBe(false);
    expect(existsSync(at(shardOf(gone)))).toBe(false);
  }, slow);

  it('make -j1 from scratch gives the same bytes as the -j4 build that was updated incrementally', () =>
    inCopy('ream-make-j1-', (fresh) => {
      expect(make(fresh, '-j1').status).toBe(0);
      expect(sameIndex(fresh)).toBe(true);
    }), slow);

  it('a bad PDF: the others are indexed, the failure is listed, make exits non-zero and retries it next time', () => {
    copyFileSync(join(CORPUS, 'bad', 'text-not-pdf.pdf'), at('pdfs/zz-text-not-pdf.pdf'));
    copyFileSync(join(CORPUS, 'bad', 'truncated-4k-bitcoin.pdf'), at('pdfs/aa-truncated.pdf'));
    const first = make(dir, '-j4');
    expect(first.status).not.toBe(0);
    expect(first.stderr).toMatch(/2 PDF\(s\) failed/);
    expect(first.stderr).toMatch(/ream extract: pdfs\/zz-text-not-pdf\.pdf: /);
    expect(first.stderr).toMatch(/ream extract: pdfs\/aa-truncated\.pdf: /);
    expect(docsOf('out.ream', dir)).toEqual(new Set(current().filter((p) => !/^(aa|zz)-/.test(p)).map((p) => `pdfs/${p}`)));
    expect(existsSync(at(textOf('zz-text-not-pdf.pdf')))).toBe(false);
    expect(readdirSync(at('out.build/text')).filter((f) => /\.(tmp|err)$/.test(f))).toEqual([]);

    const second = make(dir, '-j4');
    expect(second.status).not.toBe(0);
    expect(second.stdout.match(/^extract .*/gm)?.sort()).toEqual(['extract  pdfs/aa-truncated.pdf', 'extract  pdfs/zz-text-not-pdf.pdf']);

    rmSync(at('pdfs/zz-text-not-pdf.pdf'));
    rmSync(at('pdfs/aa-truncated.pdf'));
    const fixed = make(dir, '-j4');
    expectSuccess(fixed);
    expect(existsSync(at('out.build/failed'))).toBe(false);
  }, slow);

  it('a build interrupted with Ctrl-C leaves no half-written target, and the next make completes it', () =>
    inCopy('ream-make-int-', async (fresh) => {
      // The merge first waits, so that the interrupt always lands before the index is written: on a
      // loaded machine the whole build could otherwise end before the poll below sees a shard.
      mkdirSync(join(fresh, 'shim'));
      writeFileSync(join(fresh, 'shim/ream'), `#!/bin/sh\n[ "$1" = merge ] && sleep 60\nexec ${JSON.stringify(join(BIN, 'ream'))} "$@"\n`, { mode: 0o755 });
      const child = spawn('make', ['-f', MAKEFILE, 'PDFS=pdfs', 'INDEX=out.ream', '-j2'], {
        cwd: fresh,
        detached: true, // its own process group, as a terminal's Ctrl-C would signal
        stdio: 'ignore',
        env: { ...process.env, PATH: `${join(fresh, 'shim')}:${PATH_WITH_REAM}` },
      });
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      for (let i = 0; i < 200 && !existsSync(join(fresh, 'out.build/shards')); i++) await new Promise((r) => setTimeout(r, 25));
      process.kill(-child.pid!, 'SIGINT');
      expect(await exited).not.toBe(0);
      expect(existsSync(join(fresh, 'out.ream'))).toBe(false);
      // Whatever was left is whole: every text file has all its pages, every shard opens.
      const texts = sh('find out.build/text -name "*.ndjson"', { cwd: fresh }).stdout.split('\n').filter(Boolean);
      for (const t of texts) {
        const pages = parseLines(readFileSync(join(fresh, t), 'utf8')).filter((p) => p.chunk === undefined || p.chunk === 0);
        expect(pages.length, t).toBe(pages[0].pages);
      }
      for (const s of sh('find out.build/shards -name "*.ream"', { cwd: fresh }).stdout.split('\n').filter(Boolean)) {
        expect(ream(['docs', s], { cwd: fresh }).status, s).toBe(0);
      }
      expect(make(fresh, '-j2').status).toBe(0);
      expect(sameIndex(fresh)).toBe(true);
    }), slow);
});
