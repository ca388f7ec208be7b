// The progress line of `ream extract` and `ream index`: shown on a terminal (a real pty from
// script(1)), never on a plain stderr unless asked, plain lines when asked.
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CORPUS, describeWithCorpus, haveCommand, sh, workdir } from '../helpers.js';

const slow = 180_000;

describeWithCorpus('progress line', () => {
  const longPdf = join(CORPUS, 'good', 'why3-manual.pdf');
  // Paths that arrive 1.5 s apart: the run outlasts the one second before a line is drawn however fast
  // extract gets (one long file stopped doing so once extract got faster).
  const slowPaths = `(echo ${longPdf}; sleep 1.5; echo ${longPdf})`;
  const shortPdfs = ['js-fop.pdf', 'pp-bitcoin-ooo24.pdf'].map((f) => join(CORPUS, 'good', f)).join(' ');
  let dir: string;
  let cleanup: () => void;
  /** Runs CMD with stdin, stdout and stderr on a pseudo-terminal; returns what the terminal showed. */
  const onTerminal = (cmd: string) => sh(`script -qec ${JSON.stringify(cmd)} /dev/null`, { cwd: dir, timeoutMs: slow });

  beforeAll(() => ({ dir, cleanup } = workdir('ream-progress-')));
  afterAll(() => cleanup());

  it('extract: nothing on stderr when it is not a terminal', () => {
    const r = sh(`${slowPaths} | ream extract --files-from - > /dev/null`, { cwd: dir, timeoutMs: slow });
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
  }, slow);

  it('extract --progress into a log: plain lines with files done of the total, pages and rate, and a last line', () => {
    const r = sh(`ream extract --progress ${shortPdfs} > /dev/null`, { cwd: dir, timeoutMs: slow });
    expect(r.status).toBe(0);
    const lines = r.stderr.split('\n').filter(Boolean);
    expect(lines.length).toBeGreaterThanOrEqual(2);
    for (const l of lines) expect(l).toMatch(/^ream extract: [012]\/2 files, [\d,]+ pages, [\d.,]+ pages\/s, \d+%(, ETA \S+)?, \S+$/);
    expect(lines.at(-1)).toMatch(/^ream extract: 2\/2 files, [\d,]+ pages, .* 100%, /);
    expect(r.stderr).not.toContain('\r');
  }, slow);

  it.runIf(haveCommand('script'))('extract on a terminal: a line redrawn in place, erased at the end; --no-progress: none', () => {
    const shown = onTerminal(`${slowPaths} | ream extract --files-from - > /dev/null`);
    expect(shown.status).toBe(0);
    expect(shown.stdout).toMatch(/\rream extract: [12] files, [\d,]+ pages, [\d.,]+ pages\/s/);
    expect(shown.stdout).toMatch(/\r\x1b\[K\s*$/);
    const quiet = onTerminal(`${slowPaths} | ream extract --no-progress --files-from - > /dev/null`);
    expect(quiet.status).toBe(0);
    expect(quiet.stdout).not.toContain('ream extract:');
  }, slow);

  it('index --progress reading a file: pages, rate and the fraction of the input read', () => {
    const r = sh(
      `ream extract ${shortPdfs} | ream tokenize > tokens.ndjson && ream index --progress -o long.ream < tokens.ndjson > /dev/null`,
      { cwd: dir, timeoutMs: slow },
    );
    expect(r.status).toBe(0);
    const lines = r.stderr.split('\n').filter(Boolean);
    expect(lines.length).toBeGreaterThanOrEqual(1);
    expect(lines.at(-1)).toMatch(/^ream index: [\d,]+ pages, [\d.,]+ pages\/s, 100%, \S+$/);
  }, slow);

  it('index --progress reading a pipe: pages and rate, no fraction', () => {
    const r = sh(`cat tokens.ndjson | ream index --progress -o pipe.ream > /dev/null`, { cwd: dir, timeoutMs: slow });
    expect(r.status).toBe(0);
    expect(r.stderr.split('\n').filter(Boolean).at(-1)).toMatch(/^ream index: [\d,]+ pages, [\d.,]+ pages\/s, \S+$/);
  }, slow);
});
