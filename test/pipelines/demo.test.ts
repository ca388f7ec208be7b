// `make demo`'s script on the generated sample PDFs: hits with page numbers and snippets, a metrics
// summary, and a second run that re-indexes nothing. Also the sample generator's reproducibility.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, sh, workdir } from '../helpers.js';

describe('make demo (scripts/demo.sh)', () => {
  let dir: string;
  let cleanup: () => void;
  const demo = () => sh(`${ROOT}/scripts/demo.sh`, { env: { DEMO_OUT: dir }, timeoutMs: 120_000 });

  beforeAll(() => ({ dir, cleanup } = workdir('ream-demo-')));
  afterAll(() => cleanup());

  it('generates the sample PDFs, indexes them with the Makefile and prints hits with pages and snippets', () => {
    const r = demo();
    expect(r.stderr).not.toMatch(/ream \w+: /); // no ream command complained
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/indexing 5 PDFs/);
    // One block per query; every query of the demo finds its page.
    expect(r.stdout).toMatch(/river delta'\n\s+1\. \S+field-guide-to-rivers\.pdf\s+page 3\s+score/);
    expect(r.stdout).toMatch(/"pipe buffer"'\n\s+1\. \S+pipes-and-filters\.pdf\s+page 1\s+score/);
    expect(r.stdout).toMatch(/волга'\n\s+1\. \S+reka-volga\.pdf\s+page \d\s+score/);
    expect(r.stdout).toMatch(/soupe pistou'\n\s+1\. \S+recettes\.pdf\s+page 2\s+score/);
    expect(r.stdout).toMatch(/score [\d.]+\n\s{5}\S.*(delta|Delta)/); // a snippet line under the hit
    expect(r.stdout).toMatch(/^\s+extract\s+5\s+5\s+\d+\s/m); // 5 processes, 5 files in
    expect(r.stdout).toMatch(/5 PDFs, 16 pages/);
  }, 180_000);

  it('indexes nothing the second time', () => {
    const r = demo();
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/0 written, 5 unchanged/);
    expect(r.stdout).not.toMatch(/^extract /m);
    expect(r.stdout).toMatch(/nothing was rebuilt/);
  }, 180_000);

  it('the sample generator writes the same bytes every time', () => {
    const again = join(dir, 'again');
    expect(sh(`node ${ROOT}/scripts/sample-pdfs.mjs ${again}`).status).toBe(0);
    for (const f of ['rivers/field-guide-to-rivers.pdf', 'reka/reka-volga.pdf']) {
      expect(readFileSync(join(again, f)).equals(readFileSync(join(dir, 'pdfs', f)))).toBe(true);
    }
  }, 180_000);
});
