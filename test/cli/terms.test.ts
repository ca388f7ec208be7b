import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { parseLines, sh, workdir } from '../helpers.js';

const { dir, cleanup } = workdir();
afterAll(cleanup);

describe('ream terms', () => {
  it('lists terms in byte order with df and cf, filtered by prefix', () => {
    const input = ['{"doc":"a","page":1,"text":"zebra apple apple Äpfel"}', '{"doc":"b","page":1,"text":"apple banana"}'].join('\n') + '\n';
    const r = sh(`ream index -o t.ream >/dev/null && ream terms t.ream && echo -- && ream terms t.ream --prefix ap`, { cwd: dir, input });
    expect(r.status).toBe(0);
    const [all, some] = r.stdout.split('--\n').map(parseLines);
    expect(all).toEqual([
      { term: 'apple', df: 2, cf: 3 },
      { term: 'banana', df: 1, cf: 1 },
      { term: 'zebra', df: 1, cf: 1 },
      { term: 'äpfel', df: 1, cf: 1 },
    ]);
    expect(some).toEqual([{ term: 'apple', df: 2, cf: 3 }]);
    expect(sh(`ream terms ${join(dir, 't.ream')} | head -1`).status).toBe(0);
  });
});
