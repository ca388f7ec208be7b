import { afterAll, describe, expect, it } from 'vitest';
import { parseLines, sh, workdir } from '../helpers.js';

const { dir, cleanup } = workdir();
afterAll(cleanup);

describe('ream docs', () => {
  it('lists the document table in (doc, page) order with stored fields and, on request, text', () => {
    const input = ['{"doc":"b","page":2,"title":"B","text":"two words"}', '{"doc":"b","page":1,"title":"B","text":"one"}', '{"doc":"a","text":"no page"}'].join('\n') + '\n';
    const r = sh(`ream index --store title,text -o d.ream >/dev/null && ream docs d.ream && echo -- && ream docs --text d.ream | head -1`, { cwd: dir, input });
    expect(r.status).toBe(0);
    const [all, first] = r.stdout.split('--\n').map(parseLines);
    expect(all).toEqual([
      { doc: 'a', length: 2 },
      { doc: 'b', page: 1, length: 1, title: 'B' },
      { doc: 'b', page: 2, length: 2, title: 'B' },
    ]);
    expect(first).toEqual([{ doc: 'a', length: 2, text: 'no page' }]);
  });
});
