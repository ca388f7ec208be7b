// `ream csv` end to end: spreadsheets exports into the pipeline.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { parseLines, ream, sh, workdir } from '../helpers.js';

let dir: string;
let cleanup: () => void;
beforeAll(() => ({ dir, cleanup } = workdir('ream-csv-')));
afterAll(() => cleanup());

describe('ream csv', () => {
  it('turns a spreadsheet export (BOM, CRLF, quoted fields) into records of strings', () => {
    writeFileSync(join(dir, 'catalogue.csv'), '\ufeffdoc,title,year,zip\r\na.pdf,"Annual report, 2024",2024,007\r\nb.pdf,"He said ""hi""\nand left",1999,\r\n');
    const r = ream(['csv', 'catalogue.csv'], { cwd: dir });
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    expect(parseLines(r.stdout)).toEqual([
      { doc: 'a.pdf', title: 'Annual report, 2024', year: '2024', zip: '007' },
      { doc: 'b.pdf', title: 'He said "hi"\nand left', year: '1999', zip: '' },
    ]);
  });

  it('types numbers only with --typed, and only exact ones', () => {
    const r = ream(['csv', '--typed'], { input: 'a,b,c,d,e\n12,-0.5,007,1e999,1.5e3\n' });
    expect(parseLines(r.stdout)).toEqual([{ a: 12, b: -0.5, c: '007', d: '1e999', e: 1500 }]);
  });

  it('reports ragged rows with their line number, skips them, goes on, exits 1', () => {
    writeFileSync(join(dir, 'ragged.csv'), 'a,b,c\n1,2,3\n4,5\n6,7,8,9\n10,11,12\n');
    const r = ream(['csv', 'ragged.csv'], { cwd: dir });
    expect(r.status).toBe(1);
    expect(parseLines(r.stdout).map((x) => x.a)).toEqual(['1', '10']);
    expect(r.stderr).toBe('ream csv: ragged.csv:3: row has 2 fields, the header has 3; skipped\nream csv: ragged.csv:4: row has 4 fields, the header has 3; skipped\n');
    const strict = ream(['csv', '--strict', 'ragged.csv'], { cwd: dir });
    expect(strict.status).toBe(1);
    expect(parseLines(strict.stdout).map((x) => x.a)).toEqual(['1']);
    expect(strict.stderr.trim().split('\n').length).toBe(1);
  });

  it('reads TSV, other delimiters, no quoting, gzip and stdin', () => {
    writeFileSync(join(dir, 'list.tsv.gz'), gzipSync('name\tnote\nx\t"quoted" as is\n'));
    const tsv = ream(['csv', '--tsv', '--quote', '', 'list.tsv.gz'], { cwd: dir });
    expect(parseLines(tsv.stdout)).toEqual([{ name: 'x', note: '"quoted" as is' }]);
    const semi = sh(`printf 'a;b\\n1;2\\n' | ream csv -d ';' -`);
    expect(parseLines(semi.stdout)).toEqual([{ a: '1', b: '2' }]);
  });

  it('joins the pipeline: csv | filter | count', () => {
    writeFileSync(join(dir, 'docs.csv'), 'doc,year\n' + Array.from({ length: 100 }, (_, i) => `d${i}.pdf,${1950 + i}`).join('\n') + '\n');
    const r = sh(`ream csv --typed docs.csv | ream filter --count 'year >= 2000'`, { cwd: dir });
    expect(r.stdout).toBe('{"count":50}\n');
    expect(r.status).toBe(0);
  });

  it('refuses a header naming a column twice, and bad options with exit 2', () => {
    const dup = ream(['csv'], { input: 'a,b,a\n1,2,3\n' });
    expect(dup.status).toBe(1);
    expect(dup.stderr).toBe('ream csv: stdin:1: the header names column "a" twice\n');
    const bad = ream(['csv', '--delimiter', '::']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe('ream csv: the delimiter must be one character, got "::"\n');
  });
});
