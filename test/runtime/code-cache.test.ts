// requireWithCodeCache (src/runtime/code-cache.ts, built as dist/code-cache.cjs): a CommonJS file loaded through V8's code cache must behave exactly as the file
// does — first run, cached run, unusable cache, rebuilt file — and ream's own start-ups must use it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { textPdf } from '../fixtures/pdfs.js';
import { ROOT, parseLines, ream, workdir } from '../helpers.js';

let dir: string;
let cleanup: () => void;
beforeAll(() => ({ dir, cleanup } = workdir('ream-code-cache-')));
afterAll(() => cleanup());

const cachesOf = (folder: string, file: string): string[] => readdirSync(folder).filter((f) => f.startsWith(`${file}.`) && f.endsWith('.v8cache'));

/** Loads `file` in a new process (V8 also caches compilations within one isolate), as bin/ream.cjs
 *  does: its exports as JSON, after saving the cache unless told not to. */
function load(file: string, save = true, flags: string[] = []): unknown {
  const script = `const m = require(${JSON.stringify(join(ROOT, 'dist', 'code-cache.cjs'))}).requireWithCodeCache(${JSON.stringify(file)});
process.stdout.write(JSON.stringify(m.exports)); ${save ? 'm.saveCache();' : ''}`;
  const r = spawnSync(process.execPath, [...flags, '-e', script], { encoding: 'utf8' });
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout);
}

describe('requireWithCodeCache', () => {
  it('runs the file as require() would, writes a cache once, and starts from it', () => {
    const file = join(dir, 'a.cjs');
    writeFileSync(file, "const path = require('node:path'); module.exports = { base: path.basename(__filename), twice: 2 * 21 };");
    expect(load(file, false)).toEqual({ base: 'a.cjs', twice: 42 });
    expect(cachesOf(dir, 'a.cjs')).toEqual([]);
    expect(load(file)).toEqual({ base: 'a.cjs', twice: 42 });
    const [cache] = cachesOf(dir, 'a.cjs');
    expect(cache).toBeDefined();
    utimesSync(join(dir, cache!), new Date(0), new Date(0));
    // V8 takes the cache: nothing is written again
    expect(load(file)).toEqual({ base: 'a.cjs', twice: 42 });
    expect(statSync(join(dir, cache!)).mtimeMs).toBe(0);
  });

  it('replaces a cache V8 cannot use, and never runs a stale one for a rebuilt file', () => {
    const file = join(dir, 'b.cjs');
    writeFileSync(file, 'module.exports = "old";');
    utimesSync(file, new Date(1_000_000), new Date(1_000_000));
    expect(load(file)).toBe('old');
    const [cache] = cachesOf(dir, 'b.cjs');
    writeFileSync(join(dir, cache!), 'not a code cache');
    expect(load(file)).toBe('old');
    expect(readFileSync(join(dir, cache!), 'latin1')).not.toBe('not a code cache');

    // same length, new content: V8 would accept the old cache (it checks the length), the name does not
    writeFileSync(file, 'module.exports = "new";');
    expect(load(file)).toBe('new');
  });

  it('keeps a cache per set of V8 flags: runs alternating between two sets each start from their own', () => {
    const file = join(dir, 'c.cjs');
    writeFileSync(file, 'module.exports = [1, 2, 3].map((x) => x * 2);');
    const flags = ['--max-inlined-bytecode-size-cumulative=0'];
    expect(load(file)).toEqual([2, 4, 6]);
    expect(load(file, true, flags)).toEqual([2, 4, 6]);
    const caches = cachesOf(dir, 'c.cjs');
    // one cache each (a shared one would have been rejected and written by every other run)
    expect(caches).toHaveLength(2);
    for (const c of caches) utimesSync(join(dir, c), new Date(0), new Date(0));
    expect(load(file)).toEqual([2, 4, 6]);
    expect(load(file, true, flags)).toEqual([2, 4, 6]);
    expect(cachesOf(dir, 'c.cjs').map((c) => statSync(join(dir, c)).mtimeMs)).toEqual([0, 0]);
  });
});

describe('ream start-up through the code cache', () => {
  it('ream extract writes the caches of its bundle and of pdf.js, and extracts the same from them', async () => {
    const dist = join(ROOT, 'dist');
    for (const f of cachesOf(dist, 'pdfjs.cjs')) rmSync(join(dist, f), { force: true });
    const pdf = join(dir, 'two.pdf');
    writeFileSync(pdf, await textPdf(['first page words', 'second page words']));
    const first = ream(['extract', pdf]);
    expect(first.status, first.stderr).toBe(0);
    expect(parseLines(first.stdout).map((r) => r.page)).toEqual([1, 2]);
    expect(cachesOf(dist, 'pdfjs.cjs')).toHaveLength(1);
    expect(cachesOf(join(dist, 'cmd'), 'extract.cjs').length).toBeGreaterThan(0);
    expect(ream(['extract', pdf])).toEqual(first);
  });
});
