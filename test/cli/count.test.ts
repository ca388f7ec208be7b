import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { CORPUS, describeWithCorpus, parseLines, ream, sh, workdir } from '../helpers.js';

const records = (...rs: object[]): string => rs.map((r) => JSON.stringify(r) + '\n').join('');

describe('ream count', () => {
  it('counts tokens, most frequent first, ties in byte order', () => {
    const r = ream(['count'], { input: records({ tokens: ['b', 'a', 'b'] }, { tokens: ['c', 'a', 'é'] }) });
    expect(r.status).toBe(0);
    expect(parseLines(r.stdout)).toEqual([
      { term: 'a', count: 2 }, { term: 'b', count: 2 }, { term: 'c', count: 1 }, { term: 'é', count: 1 },
    ]);
  });

  it('--by a field, --top N', () => {
    const r = ream(['count', '--by', 'doc', '--top', '1'], { input: records({ doc: 'x' }, { doc: 'y' }, { doc: 'y' }, { page: 3 }) });
    expect(parseLines(r.stdout)).toEqual([{ term: 'y', count: 2 }]);
    expect(r.stderr).toBe('');
  });

  it('says so when no record has the field (a typo, or text not tokenized yet), exit 0', () => {
    const typo = ream(['count', '--by', 'dco'], { input: records({ doc: 'x' }) });
    expect([typo.status, typo.stdout, typo.stderr]).toEqual([0, '', "ream count: no record has 'dco'\n"]);
    const untokenized = ream(['count'], { input: records({ doc: 'x', text: 'words here' }) });
    expect(untokenized.stderr).toBe("ream count: no record has 'tokens' (count tokenized records, or name a field with --by)\n");
    expect(ream(['count'], { input: '' }).stderr).toBe('');
  });

  it('its output reduces with --by term --sum count (partial counts from parallel jobs combine)', () => {
    const { dir, cleanup } = workdir();
    try {
      const r = sh(
        `printf '%s\\n' '{"tokens":["a","b","a"]}' '{"tokens":["b","c"]}' > ${dir}/1.ndjson
         printf '%s\\n' '{"tokens":["a","c","c"]}' > ${dir}/2.ndjson
         printf '%s\\n' ${dir}/1.ndjson ${dir}/2.ndjson | xargs -P2 -I{} sh -c 'ream count {} > {}.counts'
         cat ${dir}/*.counts | ream count --by term --sum count`,
      );
      expect(r.status).toBe(0);
      expect(parseLines(r.stdout)).toEqual([{ term: 'a', count: 3 }, { term: 'c', count: 3 }, { term: 'b', count: 2 }]);
    } finally {
      cleanup();
    }
  });

  it('--counters bounds memory and shows the possible overcount', () => {
    const input = records({ tokens: ['a', 'a', 'a', 'a', 'b', 'c', 'd', 'e', 'a'] });
    const r = ream(['count', '--counters', '2', '--top', '1'], { input });
    const [top] = parseLines(r.stdout);
    expect(top!.term).toBe('a');
    expect(top!.count - top!.error).toBeLessThanOrEqual(5);
    expect(top!.count).toBeGreaterThanOrEqual(5);
    expect(ream(['count', '--counters', '2', '--top', '3']).status).toBe(2);
  });

  it('reports a non-numeric --sum field and goes on', () => {
    const r = ream(['count', '--by', 'term', '--sum', 'count'], { input: records({ term: 'a', count: 'x' }, { term: 'a', count: 2 }) });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("ream count: stdin:1: 'count' is not a number");
    expect(parseLines(r.stdout)).toEqual([{ term: 'a', count: 2 }]);
  });
});

describeWithCorpus('ream count against sort | uniq -c', () => {
  const { dir, cleanup } = workdir();
  afterAll(cleanup);

  it('agrees with tr | sort | uniq -c on the plain ASCII text of the tokenized corpus', () => {
    // plain ASCII words: every non-letter becomes a space, so tr and the standard analyzer see the same words
    const files = ['pp-bitcoin-ooo24.pdf', 'r-intro.pdf', 'js-tracemonkey-2col.pdf', 'de-texlive-de.pdf'];
    const text = join(dir, 'ascii.txt');
    const prep = files.map((f) => `pdftotext -q -enc UTF-8 '${join(CORPUS, 'good', f)}' -`).join('; ');
    expect(sh(`(${prep}) | LC_ALL=C tr -c 'A-Za-z\\n' ' ' > ${text}`).status).toBe(0);
    const ours = sh(`jq -Rc '{text: .}' ${text} | ream tokenize | ream count | jq -r '"\\(.count) \\(.term)"'`);
    const theirs = sh(`LC_ALL=C tr -cs '[:alpha:]' '\\n' < ${text} | tr A-Z a-z | grep -v '^$' | LC_ALL=C sort | LC_ALL=C uniq -c | LC_ALL=C sort -k1,1nr -k2,2 | awk '{print $1, $2}'`);
    expect(ours.status).toBe(0);
    const lines = ours.stdout.trim().split('\n');
    expect(lines.length).toBeGreaterThan(1000);
    expect(lines).toEqual(theirs.stdout.trim().split('\n'));
  });
});
