// The stream core end to end: the built binaries in real shell pipelines (head, xargs -P4 into a slow
// pipe, a 100 MB line, bad lines), checking output, exit codes and stderr.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync, openSync, writeSync, closeSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ROOT, parseLines, ream, sh, workdir } from '../helpers.js';

let dir: string;
let cleanup: () => void;
beforeAll(() => ({ dir, cleanup } = workdir('ream-core-')));
afterAll(() => cleanup());

describe('stream core, end to end', () => {
  it('`| head -1` on endless input: exit 0, empty stderr, stops reading', () => {
    // `yes` never ends: the pipeline finishes only if ream stops reading once head has gone.
    const r = sh(`{ yes '{"n":1,"text":"a page of words"}' | ream filter 'n == 1'; echo "ream=$?" >&2; } | head -1`, { cwd: dir, timeoutMs: 30_000 });
    expect(r.stdout).toBe('{"n":1,"text":"a page of words"}\n');
    expect(r.stderr).toBe('ream=0\n');
  });

  it('`| head -1` after millions of records have gone by', () => {
    const gen = `node -e 'const fs=require("fs");let s="";for(let i=0;i<3e6;i++){s+="{\\"n\\":"+i+"}\\n";if(s.length>65536){fs.writeSync(1,s);s=""}}fs.writeSync(1,s)'`;
    const r = sh(`{ ${gen} 2>/dev/null | ream filter 'n >= 2000000'; echo "ream=$?" >&2; } | head -1`, { cwd: dir, timeoutMs: 60_000 });
    expect(r.stdout).toBe('{"n":2000000}\n');
    expect(r.stderr).toBe('ream=0\n');
  });

  it('4 writers under xargs -P4 into one slow, non-blocking pipe never tear a line', () => {
    const perFile = 250;
    for (let f = 1; f <= 4; f++) {
      const lines = Array.from({ length: perFile }, (_, i) => JSON.stringify({ id: `f${f}-${i}`, t: String.fromCharCode(96 + f).repeat(3000 + (i % 50)) }));
      writeFileSync(join(dir, `f${f}.ndjson`), lines.join('\n') + '\n');
    }
    // Reads 2000 bytes a millisecond: the pipe is full most of the time, so writers block or get EAGAIN.
    writeFileSync(
      join(dir, 'slow-reader.mjs'),
      `import { readSync, writeSync } from 'node:fs';
const buf = Buffer.alloc(2000), nap = new Int32Array(new SharedArrayBuffer(4)), got = [];
for (;;) {
  let n;
  try { n = readSync(0, buf, 0, buf.length, null); } catch (e) { if (e.code === 'EAGAIN') { Atomics.wait(nap, 0, 0, 1); continue; } throw e; }
  if (n === 0) break;
  got.push(Buffer.from(buf.subarray(0, n)));
  Atomics.wait(nap, 0, 0, 1);
}
writeSync(1, Buffer.concat(got));
`,
    );
    // A Node process that touches process.stdout switches the shared pipe to O_NONBLOCK (as any
    // node script in the same pipeline would): ream's writes then see EAGAIN and must stay whole.
    const script = `{ node -e 'process.stdout; setInterval(() => {}, 1000)' & toucher=$!; sleep 0.3;
      printf '%s\\n' f1 f2 f3 f4 | xargs -P4 -I{} ream filter 'len(t) > 0' {}.ndjson; echo "xargs=$?" >&2; kill $toucher; } | node slow-reader.mjs`;
    const r = sh(script, { cwd: dir, timeoutMs: 120_000 });
    expect(r.stderr).toBe('xargs=0\n');
    const records = parseLines(r.stdout); // throws on a torn line
    expect(records.length).toBe(4 * perFile);
    expect(new Set(records.map((x) => x.id)).size).toBe(4 * perFile);
    for (const x of records) expect(x.t).toBe(String.fromCharCode(96 + Number(x.id[1]!)).repeat(3000 + (Number(x.id.split('-')[1]) % 50)));
  });

  it('passes records on as they come when input is slow (tail -f style)', () => {
    // The producer sends its second record only after the consumer has seen the first: this
    // completes only if ream writes what it has before waiting for more input.
    writeFileSync(
      join(dir, 'slow-producer.sh'),
      `rm -f ack; mkfifo ack
{ printf '{"n":1}\\n'; read -r _ < ack; printf '{"n":2}\\n'; } | ream filter 'n > 0' | { read -r first; echo "$first"; echo go > ack; cat; }
`,
    );
    // timeout(1) kills the whole process group if the pipeline deadlocks, so nothing is left behind.
    const r = sh('timeout 20 sh slow-producer.sh', { cwd: dir, timeoutMs: 40_000 });
    expect(r.stdout).toBe('{"n":1}\n{"n":2}\n');
    expect(r.status).toBe(0);
  });

  it('a 100 MB line goes through whole, in bounded memory', () => {
    const file = join(dir, 'big.ndjson');
    const fd = openSync(file, 'w');
    writeSync(fd, '{"id":1,"text":"short"}\n{"id":2,"text":"');
    const block = Buffer.alloc(1 << 20, 'abcdefgh');
    for (let i = 0; i < 100; i++) writeSync(fd, block);
    writeSync(fd, '"}\n{"id":3,"text":"x"}\n{"id":4,"text":"unterminated ');
    for (let i = 0; i < 100; i++) writeSync(fd, block);
    writeSync(fd, '\n{"id":5}\n');
    closeSync(fd);
    const r = sh(`/usr/bin/time -f 'rss_kb=%M' ream filter 'len(text) > 1000 or id == 5' big.ndjson | node -e '
      let bytes = 0, lines = []; const fs = require("fs"); const b = Buffer.alloc(1 << 20);
      for (let n; (n = fs.readSync(0, b)) > 0; ) { for (let i = 0; i < n; i++) if (b[i] === 10) lines.push(bytes + i); bytes += n; }
      console.log(JSON.stringify({ bytes, lines }))'`, { cwd: dir, timeoutMs: 120_000 });
    const { bytes, lines } = JSON.parse(r.stdout);
    const longLine = '{"id":2,"text":"'.length + 100 * (1 << 20) + 2;
    expect(lines).toEqual([longLine, longLine + 1 + '{"id":5}'.length]);
    expect(bytes).toBe(longLine + 1 + '{"id":5}\n'.length);
    // One short line about the bad 100 MB line, then the memory figure.
    const [complaint, status, rss, ...rest] = r.stderr.trim().split('\n');
    expect(complaint).toMatch(/^ream filter: big\.ndjson:4: invalid JSON: /);
    expect(complaint!.length).toBeLessThan(300);
    expect(status).toBe('Command exited with non-zero status 1'); // GNU time reports ream's exit 1
    expect(rest).toEqual([]);
    // Line + its string + parsed copy + output buffer is ~4-5x the line; far from unbounded.
    expect(Number(rss!.replace('rss_kb=', '')) / 1024).toBeLessThan(1200);
  });

  it('bad lines: one stderr line each, the rest still processed, exit 1; --strict stops', () => {
    writeFileSync(join(dir, 'mixed.ndjson'), '{"n":1}\n{"n":2\n\n[3]\n{"n":4}\r\n');
    const r = ream(['filter', 'true', 'mixed.ndjson'], { cwd: dir });
    expect(r.status).toBe(1);
    expect(parseLines(r.stdout)).toEqual([{ n: 1 }, { n: 4 }]);
    expect(r.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^ream filter: mixed\.ndjson:2: invalid JSON: .+/),
      'ream filter: mixed.ndjson:4: expected a JSON object',
    ]);
    const strict = ream(['filter', '--strict', 'true', 'mixed.ndjson'], { cwd: dir });
    expect(strict.status).toBe(1);
    expect(parseLines(strict.stdout)).toEqual([{ n: 1 }]);
    expect(strict.stderr.trim().split('\n').length).toBe(1);
  });

  it('a file full of bad lines: the first 20 of a kind shown, the rest counted and summed up at the end', () => {
    const lines = ['{"n":1}', ...Array.from({ length: 30 }, (_, i) => `not json ${i}`), '[1]', '{"n":2}'];
    writeFileSync(join(dir, 'garbage.ndjson'), lines.join('\n') + '\n');
    const r = ream(['filter', 'true', 'garbage.ndjson'], { cwd: dir });
    expect(r.status).toBe(1);
    expect(parseLines(r.stdout)).toEqual([{ n: 1 }, { n: 2 }]);
    const err = r.stderr.trim().split('\n');
    expect(err.slice(0, 20).every((l) => /^ream filter: garbage\.ndjson:\d+: invalid JSON: /.test(l))).toBe(true);
    expect(err.slice(20)).toEqual([
      'ream filter: more failures like these (bad_json) are counted, not shown',
      'ream filter: garbage.ndjson:32: expected a JSON object',
      'ream filter: 30 failures (bad_json) in all, 10 not shown',
    ]);
  });

  it('a PDF given where records are expected: one line for the file, the other inputs still read', () => {
    writeFileSync(join(dir, 'fake.pdf'), '%PDF-1.7\n%\u00e2\u00e3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n'.repeat(50));
    writeFileSync(join(dir, 'ok.ndjson'), '{"doc":"a","page":1,"text":"fine"}\n');
    const r = sh('cat fake.pdf | ream tokenize - ok.ndjson', { cwd: dir });
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('ream tokenize: stdin: a PDF file, not NDJSON records: extract its text first (ream extract FILE.pdf | ream …)\n');
    expect(parseLines(r.stdout)).toEqual([{ doc: 'a', page: 1, tokens: ['fine'], analyzer: 'standard/1' }]);
  });

  it('reads stdin for none or -, files and .gz, and reports unreadable inputs without a stack trace', () => {
    writeFileSync(join(dir, 'a.ndjson.gz'), gzipSync('{"n":1}\n{"n":2}\n'));
    const r = sh(`printf '{"n":3}\\n' | ream filter 'n > 0' a.ndjson.gz - no-such-file . ; echo "status=$?"`, { cwd: dir });
    expect(r.stdout).toBe('{"n":1}\n{"n":2}\n{"n":3}\nstatus=1\n');
    expect(r.stderr).toBe('ream filter: no-such-file: no such file or directory\nream filter: .: is a directory\n');
  });

  it('exit 2 with one line for usage errors, never a stack trace', () => {
    for (const args of [['filter'], ['filter', '--nope', 'true'], ['nosuch'], ['csv', '--delimiter', 'ab']]) {
      const r = ream(args, { cwd: dir });
      expect([args, r.status]).toEqual([args, 2]);
      expect(r.stderr.trim().split('\n').length).toBe(1);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('the dispatcher answers --version and --help without a command', () => {
    expect(ream(['--version']).stdout).toMatch(/^\d+\.\d+\.\d+/);
    const help = ream(['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^ {2}filter +keep the records/m);
    expect(ream([]).status).toBe(2);
  });

  it('every command has its own executable', () => {
    const r = sh(`printf '{"n":1}\\n{"n":2}\\n' | ream-filter 'n == 2'`);
    expect(r.stdout).toBe('{"n":2}\n');
    expect(r.status).toBe(0);
  });

  it('a symlinked executable works (npm link, /usr/local/bin)', () => {
    const r = sh(`ln -s "$(command -v ream-filter)" ${dir}/linked-filter && printf '{"n":1}\\n{"n":2}\\n' | ${dir}/linked-filter 'n == 1'`);
    expect(r.stdout).toBe('{"n":1}\n');
    expect(r.status).toBe(0);
  });

  it('drops NODE_EXTRA_CA_CERTS (70 ms per start) unless an https URL or REAM_KEEP_CA_CERTS asks for it', () => {
    // Node warns on stderr when it reads a certificate file that does not exist: the warning shows it was read.
    const env = { NODE_EXTRA_CA_CERTS: join(dir, 'no-such-bundle.pem') };
    const dropped = ream(['filter', 'true'], { input: '{"n":1}\n', env });
    expect(dropped.stderr).toBe('');
    expect(dropped.stdout).toBe('{"n":1}\n');
    expect(ream(['filter', 'true'], { input: '', env: { ...env, REAM_KEEP_CA_CERTS: '1' } }).stderr).toMatch(/extra certs/);
    expect(ream(['filter', 'url != "https://example.org/"'], { input: '', env }).stderr).toMatch(/extra certs/);
  });

  it("starts from V8's code cache: written by the first run, replaced when V8 cannot use it", () => {
    const cmds = join(ROOT, 'dist', 'cmd');
    const caches = () => readdirSync(cmds).filter((f) => f.startsWith('count.cjs.') && f.endsWith('.v8cache'));
    for (const f of caches()) rmSync(join(cmds, f), { force: true });
    // gzip input: the bundle's lazy import of node:zlib must work from the cached code too
    const input = gzipSync('{"tokens":["a","b","a"]}\n');
    const first = ream(['count'], { input });
    expect(first).toMatchObject({ status: 0, stderr: '', stdout: '{"term":"a","count":2}\n{"term":"b","count":1}\n' });
    const [cache] = caches();
    expect(cache).toBeDefined();
    const path = join(cmds, cache!);
    expect(statSync(path).size).toBeGreaterThan(10_000);
    expect(ream(['count'], { input })).toEqual(first);
    writeFileSync(path, 'not a code cache');
    expect(ream(['count'], { input })).toEqual(first);
    expect(readFileSync(path, 'latin1')).not.toBe('not a code cache');
  });

  it('loses nothing queued at exit: every record of a large run reaches a pipe', () => {
    const gen = `node -e 'const fs=require("fs");let s="";for(let i=0;i<400000;i++){s+="{\\"n\\":"+i+",\\"pad\\":\\"xxxxxxxxxxxxxxxxxxxxxxxx\\"}\\n";if(s.length>65536){fs.writeSync(1,s);s=""}}fs.writeSync(1,s)'`;
    const r = sh(`${gen} | ream filter 'n % 2 == 0' | wc -l`, { timeoutMs: 60_000 });
    expect(r.stdout.trim()).toBe('200000');
  });
});
