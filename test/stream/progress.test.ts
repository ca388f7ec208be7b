import { describe, expect, it } from 'vitest';
import { Progress, formatDuration, progressWanted, regularInputBytes, type ProgressSpec } from '../../src/stream/progress.js';

function clocked(spec: ProgressSpec, terminal: boolean) {
  let now = 0;
  const written: string[] = [];
  const progress = new Progress('extract', spec, { terminal, now: () => now, write: (t) => written.push(t) });
  return { progress, written, tick: (ms: number) => (now += ms) };
}

const filesAndPages: ProgressSpec = { counters: [{ name: 'files', total: 4 }, { name: 'pages' }], rate: 'pages' };

describe('Progress', () => {
  it('stays silent during the first second, so short runs print nothing', () => {
    const { progress, written, tick } = clocked(filesAndPages, true);
    progress.add('pages', 10);
    tick(900);
    progress.add('files');
    progress.end();
    expect(written).toEqual([]);
  });

  it('shows done/total, the rate, the fraction and an ETA, redrawn in place and erased at the end', () => {
    const { progress, written, tick } = clocked(filesAndPages, true);
    progress.add('pages', 300);
    tick(2000);
    progress.add('files');
    expect(written).toEqual(['\rream extract: 1/4 files, 300 pages, 150 pages/s, 25%, ETA 6s, 2s\x1b[K']);
    progress.end();
    expect(written.at(-1)).toBe('\r\x1b[K');
  });

  it('redraws at most every 250 ms on a terminal', () => {
    const { progress, written, tick } = clocked(filesAndPages, true);
    tick(1000);
    for (let i = 0; i < 100; i++) {
      progress.add('pages');
      tick(10);
    }
    expect(written.length).toBe(4); // at 1.00, 1.25, 1.50, 1.75 s
  });

  it('writes plain lines every 5 s, and a last one, when asked for progress into a log', () => {
    const { progress, written, tick } = clocked({ counters: [{ name: 'pages' }], rate: 'pages' }, false);
    for (let i = 0; i < 12; i++) {
      tick(1000);
      progress.add('pages', 50);
    }
    progress.end();
    expect(written).toEqual(['ream extract: 50 pages, 50.0 pages/s, 1s\n', 'ream extract: 300 pages, 50.0 pages/s, 6s\n', 'ream extract: 550 pages, 50.0 pages/s, 11s\n', 'ream extract: 600 pages, 50.0 pages/s, 12s\n']);
    expect(written.every((l) => !l.includes('\r'))).toBe(true);
  });

  it('takes the fraction from a hidden counter (bytes of a file being read)', () => {
    const { progress, tick } = clocked({ counters: [{ name: 'pages' }, { name: 'bytes', total: 1000, hidden: true }], rate: 'pages' }, true);
    tick(4000);
    progress.add('pages', 2000);
    progress.set('bytes', 800);
    expect(progress.line()).toBe('ream extract: 2,000 pages, 500 pages/s, 80%, ETA 1s, 4s');
  });

  it('does nothing at all when disabled', () => {
    const progress = new Progress('index', filesAndPages, null);
    progress.add('files');
    progress.end();
    expect(progress.enabled).toBe(false);
  });
});

describe('progressWanted', () => {
  it('follows --progress / --no-progress, else whether the fd is a terminal', () => {
    expect(progressWanted(true, 999)).toBe(true);
    expect(progressWanted(false, 999)).toBe(false);
    expect(progressWanted(undefined, 999)).toBe(false); // not a terminal (not even open)
  });
});

describe('formatDuration', () => {
  it('reads like a clock', () => {
    expect([formatDuration(41.4), formatDuration(185), formatDuration(7620)]).toEqual(['41s', '3m05s', '2h07m']);
  });
});

describe('regularInputBytes', () => {
  it('adds up regular files and gives up on pipes and compressed input', async () => {
    const { writeFileSync, mkdtempSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'ream-progress-'));
    writeFileSync(join(dir, 'a.ndjson'), 'x'.repeat(100));
    writeFileSync(join(dir, 'b.ndjson'), 'y'.repeat(23));
    expect(regularInputBytes([join(dir, 'a.ndjson'), join(dir, 'b.ndjson')])).toBe(123);
    expect(regularInputBytes([join(dir, 'a.ndjson.gz')])).toBeUndefined();
    expect(regularInputBytes([join(dir, 'missing')])).toBeUndefined();
    expect(regularInputBytes([dir])).toBeUndefined();
  });
});
