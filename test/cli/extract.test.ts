// `ream extract` end to end: the built binary in real shell pipelines, on generated fixtures and on
// the shared corpus (whose good/ files are also compared with pdftotext).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CORPUS, describeWithCorpus, haveCommand, parseLines, ream, sh, workdir } from '../helpers.js';
import { brokenPdf, encryptedPdf, formPdf, nestedFormsPdf, textPdf, writePdf } from '../fixtures/pdfs.js';
import { wordF1 } from '../pdf/word-f1.js';
import { MAX_ATOMIC_RECORD_BYTES } from '../../src/stream/output.js';

const { dir, cleanup } = workdir('ream-extract-');
afterAll(cleanup);
const f = (name: string) => join(dir, name);

const LONG_PAGE = Array.from({ length: 900 }, (_, i) => `Sentence ${i} of a long page with infor-\nmation spread over many lines.`).join(' ');

beforeAll(async () => {
  writePdf(f('a.pdf'), await textPdf(['Alpha page one', 'Alpha page two'], { title: 'Alpha', author: 'Ada Lovelace' }));
  writePdf(f('b b.pdf'), await textPdf(['Beta only page']));
  writePdf(f('scan.pdf'), await textPdf(['', 'Text after a scanned page']));
  writePdf(f('long.pdf'), await textPdf([LONG_PAGE], { fontSize: 4 }));
  writePdf(f('enc.pdf'), await encryptedPdf(['Top secret text'], 'pw-123'));
  writePdf(f('form.pdf'), await formPdf({ fields: { name: 'Alan Turing' }, note: 'Check this' }));
  writePdf(f('trunc.pdf'), await brokenPdf('truncated'));
  writePdf(f('garbage.pdf'), await brokenPdf('garbage'));
  writePdf(f('slow.pdf'), await nestedFormsPdf(8, 10));
  writeFileSync(f('pw.txt'), 'pw-123\n');
});

describe('ream extract', () => {
  it('emits one record per page with doc, page, pages, text and chars; empty pages flagged', () => {
    const r = ream(['extract', f('a.pdf'), f('scan.pdf')]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(parseLines(r.stdout)).toEqual([
      { doc: f('a.pdf'), page: 1, pages: 2, text: 'Alpha page one', chars: 14 },
      { doc: f('a.pdf'), page: 2, pages: 2, text: 'Alpha page two', chars: 14 },
      { doc: f('scan.pdf'), page: 1, pages: 2, text: '', chars: 0, empty: true },
      { doc: f('scan.pdf'), page: 2, pages: 2, text: 'Text after a scanned page', chars: 25 },
    ]);
  });

  it('reads one PDF from stdin given as -, named stdin, with both engines; the temp copy is removed', () => {
    const tmp = join(dir, 'tmp');
    const r = sh(`mkdir -p "$TMPDIR" && cat "$A" | ream extract - "$B"`, { env: { A: f('a.pdf'), B: f('b b.pdf'), TMPDIR: tmp } });
    expect(r.stderr).toBe('');
    expect(parseLines(r.stdout).map((p) => [p.doc, p.page, p.text])).toEqual([
      ['stdin', 1, 'Alpha page one'],
      ['stdin', 2, 'Alpha page two'],
      [f('b b.pdf'), 1, 'Beta only page'],
    ]);
    expect(readdirSync(tmp)).toEqual([]);
    if (haveCommand('pdftotext')) {
      const p = sh(`cat "$A" | ream extract --engine pdftotext -`, { env: { A: f('a.pdf') } });
      expect(parseLines(p.stdout).map((x) => [x.doc, x.page])).toEqual([['stdin', 1], ['stdin', 2]]);
    }
    const bad = sh('printf "not a pdf" | ream extract -');
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/^ream extract: stdin: .*not a PDF/);
    expect(ream(['extract', '-', '-']).stderr).toBe("ream extract: '-' (a PDF on stdin) can be given once\n");
  });

  it('past 20 failures of a kind, counts the rest and says where the full list is', () => {
    const bad = Array.from({ length: 25 }, (_, i) => f(`bad${i}.pdf`));
    for (const b of bad) writeFileSync(b, 'not a pdf\n');
    const r = ream(['extract', '--errors', f('all-errors.ndjson'), ...bad]);
    expect(r.status).toBe(1);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(22);
    expect(lines[21]).toBe(`ream extract: 25 failures (not_pdf) in all, 5 not shown (all are in ${f('all-errors.ndjson')})`);
    expect(readFileSync(f('all-errors.ndjson'), 'utf8').trim().split('\n')).toHaveLength(25);
  });

  it('reads paths from stdin, newline- or NUL-separated', () => {
    const nl = sh(`printf '%s\\n' "$A" "$B" | ream extract --files-from - | jq -r .text`, { env: { A: f('a.pdf'), B: f('b b.pdf') } });
    expect(nl.stdout).toBe('Alpha page one\nAlpha page two\nBeta only page\n');
    const nul = sh(`cd "$D" && find . -name 'b*.pdf' -print0 | ream extract --files-from - -0 | jq -r .doc`, { env: { D: dir } });
    expect(nul.stdout).toBe('./b b.pdf\n');
  });

  it('--info gives one record per document, --meta adds metadata to pages', () => {
    const info = parseLines(ream(['extract', '--info', f('a.pdf'), f('form.pdf')]).stdout);
    expect(info).toHaveLength(2);
    expect(info[0]).toMatchObject({ doc: f('a.pdf'), pages: 2, title: 'Alpha', author: 'Ada Lovelace', created: '2024-03-01T12:00:00.000Z', encrypted: false, forms: false });
    expect(info[0]!.sha256).toBe(sh(`sha256sum "$F" | cut -d' ' -f1`, { env: { F: f('a.pdf') } }).stdout.trim());
    expect(info[1]!.forms).toBe('acroform');
    const pages = parseLines(ream(['extract', '--meta', f('a.pdf')]).stdout);
    expect(pages[1]).toMatchObject({ page: 2, title: 'Alpha', author: 'Ada Lovelace' });
  });

  it('includes form values and notes by default, not with --no-annotations', () => {
    expect(ream(['extract', f('form.pdf')]).stdout).toContain('Alan Turing');
    expect(ream(['extract', '--no-annotations', f('form.pdf')]).stdout).not.toContain('Alan Turing');
  });

  it('splits a long page into chunk records that fit one atomic write and reassemble', () => {
    const r = ream(['extract', f('long.pdf')]);
    expect(r.status).toBe(0);
    const lines = r.stdout.split('\n').filter(Boolean);
    expect(lines.length).toBeGreaterThan(3);
    for (const l of lines) expect(Buffer.byteLength(l)).toBeLessThanOrEqual(MAX_ATOMIC_RECORD_BYTES);
    const recs = parseLines(r.stdout).filter((c) => c.page === 1);
    recs.forEach((c, i) => expect(c).toMatchObject({ page: 1, chunk: i, chunks: recs.length }));
    const text = recs.map((c) => c.text).join('');
    expect(recs.every((c) => text.slice(c.offset).startsWith(c.text))).toBe(true);
    expect(text.replace(/\s+/g, ' ')).toContain('Sentence 100 of a long page');
    expect(recs[0]!.chars).toBe(text.length);
  });

  it('reports each bad file on one line, extracts the rest, exits 1, and writes --errors', () => {
    const r = ream(['extract', '--errors', f('errors.ndjson'), f('trunc.pdf'), f('a.pdf'), f('garbage.pdf'), f('enc.pdf'), f('missing.pdf'), f('b b.pdf')]);
    expect(r.status).toBe(1);
    expect(r.stderr.split('\n').filter(Boolean)).toEqual([
      `ream extract: ${f('trunc.pdf')}: damaged PDF: Invalid PDF structure.`,
      `ream extract: ${f('garbage.pdf')}: not a PDF (unknown data)`,
      `ream extract: ${f('enc.pdf')}: encrypted, needs a password (--password)`,
      `ream extract: ${f('missing.pdf')}: no such file or directory`,
    ]);
    expect(parseLines(r.stdout).map((p) => p.text)).toEqual(['Alpha page one', 'Alpha page two', 'Beta only page']);
    expect(parseLines(readFileSync(f('errors.ndjson'), 'utf8')).map((e) => [e.doc, e.reason])).toEqual([
      [f('trunc.pdf'), 'damaged'],
      [f('garbage.pdf'), 'not_pdf'],
      [f('enc.pdf'), 'encrypted'],
      [f('missing.pdf'), 'unreadable'],
    ]);
  });

  it('opens encrypted files with --password, --password-file or REAM_PDF_PASSWORD', () => {
    expect(parseLines(ream(['extract', '--password', 'pw-123', f('enc.pdf')]).stdout)[0]!.text).toBe('Top secret text');
    expect(parseLines(ream(['extract', '--password-file', f('pw.txt'), f('enc.pdf')]).stdout)[0]!.text).toBe('Top secret text');
    expect(parseLines(ream(['extract', f('enc.pdf')], { env: { REAM_PDF_PASSWORD: 'pw-123' } }).stdout)[0]!.text).toBe('Top secret text');
    const wrong = ream(['extract', '--password', 'nope', f('enc.pdf')]);
    expect([wrong.status, wrong.stderr]).toEqual([1, `ream extract: ${f('enc.pdf')}: encrypted, wrong password\n`]);
  });

  it('kills a document that runs past its time limit and goes on with the next', () => {
    // slow.pdf: 40,000 link annotations on one page keep pdf.js busy for minutes.
    const r = ream(['extract', '--timeout', '2', f('slow.pdf'), f('b b.pdf')]);
    expect(r.status).toBe(1);
    // Whether pdf.js got as far as counting the pages before the limit depends on the machine's load.
    expect(r.stderr.replace(f('slow.pdf'), 'SLOW')).toMatch(/^ream extract: SLOW: timed out after 2\.0 s( \(1 page\))?; --timeout\n$/);
    expect(parseLines(r.stdout).map((p) => p.text)).toEqual(['Beta only page']);
  });

  it('runs several workers (-j) and replaces them (--recycle), pages in order per document', () => {
    const r = ream(['extract', '-j', '2', '--recycle', '1', f('a.pdf'), f('b b.pdf'), f('scan.pdf'), f('long.pdf'), f('a.pdf')]);
    expect([r.status, r.stderr]).toEqual([0, '']);
    const recs = parseLines(r.stdout);
    const byDoc = new Map<string, number[]>();
    for (const x of recs) if (!x.chunk) byDoc.set(x.doc, [...(byDoc.get(x.doc) ?? []), x.page]);
    expect(byDoc.get(f('a.pdf'))).toEqual([1, 2, 1, 2]);
    expect(byDoc.get(f('scan.pdf'))).toEqual([1, 2]);
    expect(recs.filter((x) => x.doc === f('b b.pdf')).map((x) => x.text)).toEqual(['Beta only page']);
  });

  it('stops quietly when the reader goes away', () => {
    const r = sh(`ream extract "$L" "$L" "$L" | head -1 | wc -l`, { env: { L: f('long.pdf') } });
    expect([r.status, r.stdout.trim(), r.stderr]).toEqual([0, '1', '']);
  });

  it('refuses bad usage with status 2', () => {
    expect(ream(['extract']).status).toBe(2);
    expect(ream(['extract', '--files-from', '-', f('a.pdf')]).status).toBe(2);
    expect(ream(['extract', '-j', '0', f('a.pdf')]).status).toBe(2);
  });
});

describe.skipIf(!haveCommand('pdftotext'))('ream extract --engine pdftotext', () => {
  const poppler = (args: string[], opts = {}) => ream(['extract', '--engine', 'pdftotext', ...args], opts);

  it('gives the same page records as pdf.js on plain text pages, empty pages flagged', () => {
    const r = poppler([f('a.pdf'), f('scan.pdf')]);
    expect([r.status, r.stderr]).toEqual([0, '']);
    expect(parseLines(r.stdout)).toEqual(parseLines(ream(['extract', f('a.pdf'), f('scan.pdf')]).stdout));
  });

  it('reports each bad file on one line, extracts the rest, exits 1, and writes --errors', () => {
    const r = poppler(['--errors', f('errors-p.ndjson'), f('trunc.pdf'), f('a.pdf'), f('garbage.pdf'), f('enc.pdf'), f('missing.pdf'), f('b b.pdf')]);
    expect(r.status).toBe(1);
    const lines = r.stderr.split('\n').filter(Boolean);
    expect(lines.map((l) => l.slice(0, l.indexOf(': ', 'ream extract: '.length)))).toEqual(
      ['trunc.pdf', 'garbage.pdf', 'enc.pdf', 'missing.pdf'].map((n) => `ream extract: ${f(n)}`),
    );
    expect(lines[0]).toMatch(/: damaged PDF: \S/);
    expect(lines.slice(1)).toEqual([
      `ream extract: ${f('garbage.pdf')}: not a PDF (unknown data)`,
      `ream extract: ${f('enc.pdf')}: encrypted, needs a password (--engine pdfjs --password)`,
      `ream extract: ${f('missing.pdf')}: no such file or directory`,
    ]);
    expect(parseLines(r.stdout).map((p) => p.text)).toEqual(['Alpha page one', 'Alpha page two', 'Beta only page']);
    expect(parseLines(readFileSync(f('errors-p.ndjson'), 'utf8')).map((e) => e.reason)).toEqual(['damaged', 'not_pdf', 'encrypted', 'unreadable']);
  });

  it('chunks long pages like pdf.js, runs -j processes, stops quietly under head', () => {
    const lines = poppler(['-j', '2', f('long.pdf'), f('a.pdf')]).stdout.split('\n').filter(Boolean);
    expect(lines.length).toBeGreaterThan(3);
    for (const l of lines) expect(Buffer.byteLength(l)).toBeLessThanOrEqual(MAX_ATOMIC_RECORD_BYTES);
    const text = parseLines(lines.join('\n')).filter((x) => x.doc === f('long.pdf')).map((x) => x.text).join('');
    expect(text.replace(/\s+/g, ' ')).toContain('Sentence 100 of a long page');
    const r = sh(`ream extract --engine pdftotext "$L" "$L" "$L" | head -1 | wc -l`, { env: { L: f('long.pdf') } });
    expect([r.status, r.stdout.trim(), r.stderr]).toEqual([0, '1', '']);
  });

  it('-l stops early but still reports the document\'s page count', () => {
    expect(parseLines(poppler(['-l', '1', f('a.pdf')]).stdout).map((p) => [p.page, p.pages])).toEqual([[1, 2]]);
  });

  it('refuses what pdftotext cannot do (and a password in argv) with status 2', () => {
    for (const flag of [['--info'], ['--meta'], ['--password', 'pw-123']]) {
      const r = poppler([...flag, f('a.pdf')]);
      expect([r.status, r.stderr]).toEqual([2, `ream extract: ${flag[0]} needs --engine pdfjs\n`]);
    }
    expect(ream(['extract', '--engine', 'mutool', f('a.pdf')]).status).toBe(2);
  });
});

// ---- shared corpus --------------------------------------------------------------------------------

/** Pages per file compared with pdftotext and used for the xargs run (keeps the test under ~2 minutes). */
const FIRST_PAGES = 3;
/** Short enough that a bad file that makes pdf.js spin does not hold the run up for long. */
const TIMEOUT = '20';
/**
 * bad/ files pdf.js reads in full, as mutool does (poppler cannot): no trailer, but every object is
 * there. ream used to fail it only by timing out on its 32,768 link annotations, which it now skips.
 */
const READABLE_BAD = ['bad/broken-notrailer-bug1978317.pdf'];

/** good/ files where pdftotext is not the right reference; docs/extract.md says why for each. */
const EXPLAINED_LOW_F1 = [
  'good/js-enc-empty-userpw-pdfsharp.pdf', // three words of page text, and two comments pdftotext does not print (F1 0.50)
];
/** The target; measured 0.961 (docs/extract.md, "Against pdftotext"). */
const MIN_MEAN_F1 = 0.96;

function pagesByDoc(records: Record<string, any>[]): Map<string, string[]> {
  const docs = new Map<string, string[]>();
  for (const r of records) {
    const pages = docs.get(r.doc) ?? [];
    pages[r.page - 1] = (pages[r.page - 1] ?? '') + r.text;
    docs.set(r.doc, pages);
  }
  return docs;
}

describeWithCorpus('ream extract on the shared corpus', () => {
  let sequential: { status: number | null; stdout: string; stderr: string };
  const manifest = readFileSync(join(CORPUS, 'MANIFEST.tsv'), 'utf8').split('\n').slice(1).map((l) => l.split('\t')[0]!);
  const good = manifest.filter((p) => p.startsWith('good/'));
  const bad = manifest.filter((p) => p.startsWith('bad/'));

  beforeAll(() => {
    sequential = sh(`cd "$C" && ls good/*.pdf bad/*.pdf | ream extract --files-from - -l ${FIRST_PAGES} --timeout ${TIMEOUT}`, { env: { C: CORPUS }, timeoutMs: 600_000 });
  }, 600_000);

  it('extracts every good file and gives every bad file one line, exit 1', () => {
    expect(sequential.status).toBe(1);
    const docs = pagesByDoc(parseLines(sequential.stdout));
    for (const g of good) expect(docs.has(g), g).toBe(true);
    const failed = sequential.stderr.split('\n').filter((l) => l && !/: repaired damaged PDF|pages could not be read/.test(l));
    expect(failed.map((l) => l.split(': ')[1]).sort()).toEqual(bad.filter((b) => !READABLE_BAD.includes(b)).sort());
    for (const b of READABLE_BAD) expect(docs.get(b)?.join('') ?? '', b).toContain('Hello World');
    for (const line of failed) expect(line).toMatch(/^ream extract: bad\/[^:]+: (damaged PDF|not a PDF|empty file|encrypted|timed out)/);
  });

  it.skipIf(!haveCommand('pdftotext'))('--engine pdftotext: every good file, its page count, and one line per bad file', () => {
    const r = sh(`cd "$C" && ls good/*.pdf bad/*.pdf | ream extract --engine pdftotext --files-from - -l ${FIRST_PAGES}`, { env: { C: CORPUS }, timeoutMs: 300_000 });
    expect(r.status).toBe(1);
    const records = parseLines(r.stdout);
    const pages = readFileSync(join(CORPUS, 'MANIFEST.tsv'), 'utf8').split('\n').slice(1).filter((l) => l.startsWith('good/')).map((l) => l.split('\t'));
    for (const [g, , count] of pages) {
      const got = records.filter((x) => x.doc === g);
      expect(got.length, g).toBeGreaterThan(0);
      expect(got[0]!.pages, g).toBe(Number(count));
    }
    const failed = r.stderr.split('\n').filter((l) => l && !/: repaired by pdftotext/.test(l));
    expect(failed.map((l) => l.split(': ')[1]).sort()).toEqual(bad.slice().sort());
    for (const line of failed) expect(line).toMatch(/^ream extract: bad\/[^:]+: (damaged PDF: \S|not a PDF \(|empty file|encrypted)/);
  }, 300_000);

  it.skipIf(!haveCommand('pdftotext'))('--engine pdftotext: kills a document at its time limit and goes on', () => {
    const r = sh(`cd "$C" && ream extract --engine pdftotext --timeout 2 good/r-refman.pdf good/ar-alkalami-sample.pdf | wc -l`, { env: { C: CORPUS } });
    expect(r.stderr).toBe('ream extract: good/r-refman.pdf: timed out after 2.0 s; --timeout\n');
    expect(Number(r.stdout.trim())).toBeGreaterThanOrEqual(1);
  });

  it('reports a document past --max-memory as out of memory and goes on with the next', () => {
    // r-refman.pdf (2,415 pages) needs more than 32 MB of heap just to open; r-intro.pdf does not.
    const r = ream(['extract', '--max-memory', '32M', join(CORPUS, 'good/r-refman.pdf'), join(CORPUS, 'good/r-intro.pdf')]);
    expect(r.status).toBe(1);
    expect(r.stderr.replace(CORPUS, 'C')).toBe('ream extract: C/good/r-refman.pdf: out of memory (over 32 MB heap; --max-memory)\n');
    const pages = parseLines(r.stdout).filter((x) => !x.chunk);
    expect(pages.map((x) => x.doc)).toEqual(Array(113).fill(join(CORPUS, 'good/r-intro.pdf')));
  });

  it('opens the user-password files with their passwords', () => {
    const r = sh(`cd "$C" && ream extract -l 1 --password ELXRTQWS bad/userpw-issue3371.pdf && ream extract -l 1 --password 123456 bad/userpw-123456.pdf`, { env: { C: CORPUS } });
    expect(r.status).toBe(0);
    expect(parseLines(r.stdout).length).toBe(2);
  });

  it.skipIf(!haveCommand('pdftotext'))(`matches pdftotext words (F1 over the first ${FIRST_PAGES} pages of good/)`, () => {
    const docs = pagesByDoc(parseLines(sequential.stdout));
    const scores: Array<[string, number]> = [];
    for (const g of good) {
      const ran = sh(`pdftotext -l ${FIRST_PAGES} -enc UTF-8 "$F" -`, { env: { F: join(CORPUS, g) } });
      // Without Debian's poppler-data, pdftotext drops CJK text of non-embedded fonts: no reference then.
      if (/Missing language pack/.test(ran.stderr)) {
        process.stderr.write(`extract vs pdftotext: ${g} skipped, pdftotext lacks poppler-data\n`);
        continue;
      }
      const ref = ran.stdout;
      const ours = (docs.get(g) ?? []).join('\n');
      if (ref.trim() === '' && ours.trim() === '') continue;
      scores.push([g, wordF1(ours, ref)]);
    }
    const mean = scores.reduce((s, [, x]) => s + x, 0) / scores.length;
    const low = scores.filter(([, x]) => x < 0.5).map(([g, x]) => `${g} ${x.toFixed(2)}`);
    process.stderr.write(`extract vs pdftotext: mean word F1 ${mean.toFixed(3)} over ${scores.length} files; below 0.5: ${low.join(', ') || 'none'}\n`);
    expect(mean).toBeGreaterThanOrEqual(MIN_MEAN_F1);
    expect(low.filter((l) => !EXPLAINED_LOW_F1.some((e) => l.startsWith(e)))).toEqual([]);
  });

  it('never tears a record under xargs -P4 into a slow reader, and reassembles to the sequential text', () => {
    const r = sh(
      `cd "$C" && ls good/*.pdf | tr '\\n' '\\0' | xargs -0 -P4 -n3 ream extract -l ${FIRST_PAGES} --timeout 300 | while IFS= read -r line; do printf '%s\\n' "$line"; sleep 0.001; done`,
      { env: { C: CORPUS }, timeoutMs: 600_000 },
    );
    const records = parseLines(r.stdout); // throws on a torn line
    const parallel = pagesByDoc(records);
    const seq = pagesByDoc(parseLines(sequential.stdout).filter((x) => x.doc.startsWith('good/')));
    expect([...parallel.keys()].sort()).toEqual([...seq.keys()].sort());
    for (const [doc, pages] of seq) expect(parallel.get(doc), doc).toEqual(pages);
  }, 600_000);
});
