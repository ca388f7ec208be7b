// Extraction of generated fixture PDFs, in process (no worker thread).
import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { extractDocument, ExtractFailure } from '../../src/pdf/reader.js';
import type { ExtractJob, PageResult } from '../../src/pdf/protocol.js';
import { brokenPdf, cjkPdf, encryptedPdf, formPdf, stampPdf, textPdf, writePdf } from '../fixtures/pdfs.js';
import { workdir } from '../helpers.js';

const { dir, cleanup } = workdir('ream-reader-');
afterAll(cleanup);

async function extract(path: string, over: Partial<ExtractJob> = {}) {
  const pages: PageResult[] = [];
  let count = -1;
  let info: Record<string, unknown> | undefined;
  const warning = await extractDocument(
    { id: 1, path, info: false, annotations: true, meta: false, ...over },
    { open: (n) => void (count = n), page: (p) => void pages.push(p), info: (r) => void (info = r) },
  );
  return { pages, count, info, warning };
}

async function failure(path: string, over: Partial<ExtractJob> = {}): Promise<ExtractFailure> {
  try {
    await extract(path, over);
  } catch (err) {
    if (err instanceof ExtractFailure) return err;
    throw err;
  }
  throw new Error(`${path} did not fail`);
}

describe('extractDocument', () => {
  it('gives every page in order, an empty page flagged by chars 0', async () => {
    const path = writePdf(join(dir, 'three.pdf'), await textPdf(['First page about quantum gravity.', '', 'Third page: naïve café']));
    const { pages, count } = await extract(path);
    expect(count).toBe(3);
    expect(pages.map((p) => p.page)).toEqual([1, 2, 3]);
    expect(pages[0]!.text).toBe('First page about quantum gravity.');
    expect(pages[1]).toMatchObject({ text: '', chars: 0 });
    expect(pages[2]!.text).toBe('Third page: naïve café');
  });

  it('reports metadata with ISO dates, sha256 and forms', async () => {
    const bytes = await textPdf(['x'], { title: 'A Title', author: 'Ada', keywords: 'k1, k2' });
    const path = writePdf(join(dir, 'meta.pdf'), bytes);
    const { info } = await extract(path, { info: true });
    expect(info).toMatchObject({ doc: path, pages: 1, title: 'A Title', author: 'Ada', keywords: 'k1, k2', created: '2024-03-01T12:00:00.000Z', encrypted: false, forms: false, bytes: bytes.length });
    expect(info!.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(info!.version).toMatch(/^1\.\d$/);
  });

  it('keeps CJK text from a CID font that needs a CMap', async () => {
    const path = writePdf(join(dir, 'cjk.pdf'), await cjkPdf('中文文本提取\n汉字测试'));
    const { pages } = await extract(path);
    expect(pages[0]!.text.replace(/\s/g, '')).toBe('中文文本提取汉字测试');
  });

  it('adds form field values and annotation text unless told not to', async () => {
    const path = writePdf(join(dir, 'form.pdf'), await formPdf({ fields: { name: 'Grace Hopper', city: 'Arlington' }, note: 'Reviewer note: approved' }));
    const withAnnots = (await extract(path)).pages[0]!.text;
    expect(withAnnots).toContain('Application form');
    expect(withAnnots).toContain('Grace Hopper');
    expect(withAnnots).toContain('Arlington');
    expect(withAnnots).toContain('Reviewer note: approved');
    const without = (await extract(path, { annotations: false })).pages[0]!.text;
    expect(without).not.toContain('Grace Hopper');
    const { info } = await extract(path, { info: true });
    expect(info!.forms).toBe('acroform');
  });

  it('adds the text a stamp draws in its appearance, which has no other text', async () => {
    const path = writePdf(join(dir, 'stamp.pdf'), await stampPdf('APPROVED'));
    expect((await extract(path)).pages[0]!.text).toBe('Purchase order 4711\n\nAPPROVED');
    expect((await extract(path, { annotations: false })).pages[0]!.text).toBe('Purchase order 4711');
  });

  it('opens an encrypted PDF with the password and explains without it', async () => {
    const path = writePdf(join(dir, 'enc.pdf'), await encryptedPdf(['Classified content'], 's3cret'));
    expect((await failure(path)).message).toBe('encrypted, needs a password (--password)');
    expect((await failure(path, { password: 'wrong' })).message).toBe('encrypted, wrong password');
    expect((await extract(path, { password: 's3cret' })).pages[0]!.text).toBe('Classified content');
    expect((await extract(path, { password: 's3cret', info: true })).info!.encrypted).toBe(true);
  });

  it.each([
    ['empty', 'not_pdf', /empty file/],
    ['garbage', 'not_pdf', /not a PDF/],
    ['truncated', 'damaged', /damaged PDF/],
    ['no-xref', 'damaged', /damaged PDF/],
  ] as const)('fails a %s file as %s', async (kind, reason, message) => {
    const path = writePdf(join(dir, `broken-${kind}.pdf`), await brokenPdf(kind));
    const err = await failure(path);
    expect(err.reason).toBe(reason);
    expect(err.message).toMatch(message);
  });

  it('reports a missing file as unreadable', async () => {
    const err = await failure(join(dir, 'nope.pdf'));
    expect([err.reason, err.message]).toEqual(['unreadable', 'no such file or directory']);
  });
});
