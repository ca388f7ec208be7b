import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { metricsPath, previousSuccess, writeAtomically } from '../../src/metrics/textfile.js';
import { workdir } from '../helpers.js';

let cleanup = (): void => {};
afterEach(() => cleanup());

describe('metricsPath', () => {
  it('names one file per process under DIR/, and expands %p %h %c in a file name', () => {
    expect(metricsPath('m/', 'extract', 42, 'box.lan')).toBe('m/extract-box.lan-42.prom');
    expect(metricsPath('out/%c-%h-%p.prom', 'index', 7, 'a/b')).toBe('out/index-a_b-7.prom');
    expect(metricsPath('100%%.prom', 'x', 1, 'h')).toBe('100%.prom');
  });
});

describe('writeAtomically', () => {
  it('replaces the file whole and leaves no temp file behind', () => {
    const w = workdir();
    cleanup = w.cleanup;
    const path = join(w.dir, 'x.prom');
    writeFileSync(path, 'old\n');
    writeAtomically(path, 'new\n');
    expect(readFileSync(path, 'utf8')).toBe('new\n');
    expect(readdirSync(w.dir)).toEqual(['x.prom']);
  });
});

describe('previousSuccess', () => {
  it('finds the success time of the same command in the file being replaced', () => {
    const w = workdir();
    cleanup = w.cleanup;
    const path = join(w.dir, 'x.prom');
    expect(previousSuccess(path, 'extract')).toBeUndefined();
    writeFileSync(path, 'ream_last_success_timestamp_seconds{command="index"} 5\nream_last_success_timestamp_seconds{command="extract"} 9\n');
    expect(previousSuccess(path, 'extract')).toBe(9);
    writeFileSync(path, 'not { metrics\n');
    expect(previousSuccess(path, 'extract')).toBeUndefined();
  });
});
