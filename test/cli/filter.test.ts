// `ream filter` end to end: the built binary in real pipelines.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseLines, ream, sh, workdir } from '../helpers.js';

let dir: string;
let cleanup: () => void;
const pages = [
  { doc: 'a.pdf', page: 1, lang: 'en', chars: 1200, text: 'Invoice 2024-01', meta: { author: 'Ada Lovelace' } },
  { doc: 'a.pdf', page: 2, lang: 'en', chars: 0, text: '' },
  { doc: 'b.pdf', page: 1, lang: 'de', chars: 300, text: 'Rechnung', meta: { author: 'Grace Hopper' } },
  { doc: 'c.pdf', page: 1, lang: 'fr', chars: 50, text: 'facture', tags: ['draft'] },
];
beforeAll(() => {
  ({ dir, cleanup } = workdir('ream-filter-'));
  // Spacing and key order as a producer wrote them: kept records must come out byte for byte.
  writeFileSync(join(dir, 'pages.ndjson'), pages.map((p) => JSON.stringify(p, null, 0).replace(/,"/g, ', "')).join('\n') + '\n');
});
afterAll(() => cleanup());

describe('ream filter', () => {
  it('keeps matching records as they were written', () => {
    const r = ream(['filter', 'chars > 100 and meta.author starts "Ada"', 'pages.ndjson'], { cwd: dir });
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(JSON.stringify(pages[0]).replace(/,"/g, ', "') + '\n');
  });

  it('chains in a pipeline with --invert and --count', () => {
    const r = sh(`cat pages.ndjson | ream filter 'lang in ["en", "de"]' | ream filter --invert 'len(text) == 0' | ream filter --count 'text imatches /^(invoice|rechnung)/'`, { cwd: dir });
    expect(r.stdout).toBe('{"count":2}\n');
    expect(r.status).toBe(0);
    const none = ream(['filter', '-c', 'tags contains "final"', 'pages.ndjson'], { cwd: dir });
    expect(parseLines(none.stdout)).toEqual([{ count: 0 }]);
  });

  it('handles missing fields sanely', () => {
    const r = ream(['filter', 'meta.author != "Ada Lovelace"', 'pages.ndjson'], { cwd: dir });
    expect(parseLines(r.stdout).map((p) => `${p.doc}:${p.page}`)).toEqual(['a.pdf:2', 'b.pdf:1', 'c.pdf:1']);
    const missing = ream(['filter', 'meta.author < "Z" or not exists(tags)', 'pages.ndjson'], { cwd: dir });
    expect(parseLines(missing.stdout).length).toBe(3);
  });

  it('shows a syntax error with a caret under the fault and exits 2 without reading input', () => {
    const expr = 'chars > 100 and (lang == "en"';
    const r = sh(`yes '{}' | ream filter '${expr}'`, { timeoutMs: 20_000 });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      `ream filter: syntax error in expression at column ${expr.length + 1}: expected ')', found the end of the expression\n` +
        `  ${expr}\n` +
        `  ${' '.repeat(expr.length)}^\n`,
    );
  });

  it('counts with bad input lines still reports them and exits 1', () => {
    const r = sh(`printf '{"n":1}\\nnope\\n{"n":2}\\n' | ream filter --count 'n > 0'`);
    expect(r.stdout).toBe('{"count":2}\n');
    expect(r.stderr).toMatch(/^ream filter: stdin:2: invalid JSON: [^\n]+\n$/);
    expect(r.status).toBe(1);
  });

  it('data never runs as code', () => {
    const input = '{"x":"process.exit(7)","constructor":1}\n{"x":"require(\'fs\')"}\n';
    const r = ream(['filter', 'x contains "(" and x != constructor'], { input });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(input);
  });

  it('has help with an example pipeline', () => {
    const r = ream(['filter', '--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/Usage: ream filter \[options\] <expr> \[file\.\.\.\]/);
    expect(r.stdout).toMatch(/ream extract .*\| ream filter/);
  });
});
