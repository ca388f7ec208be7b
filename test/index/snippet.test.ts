import { describe, expect, it } from 'vitest';
import { getAnalyzer } from '../../src/text/analyzer.js';
import { parseQuery } from '../../src/index/query.js';
import { Snippets } from '../../src/index/snippet.js';

function snippet(query: string, text: string, analyzer = 'en'): string {
  const a = getAnalyzer(analyzer);
  return new Snippets(parseQuery(query, a), a).make(text);
}

describe('snippets', () => {
  it('marks the words that produced a query term, through the analyzer', () => {
    expect(snippet('running', 'Nobody runs here. The runner was RUNNING home.')).toBe('Nobody «runs» here. The runner was «RUNNING» home.');
    expect(snippet('replic*', 'log replication and Replicas')).toBe('log «replication» and «Replicas»');
  });

  it('marks a phrase as one, where it occurs whole, and starts the window there', () => {
    const text = `${'filler '.repeat(30)}the log was long. ${'more '.repeat(20)}Raft log replication works. ${'tail '.repeat(20)}`;
    const s = snippet('"log replication"', text);
    expect(s).toContain('«log replication»');
    // The lone "log" earlier is not what matched: not marked, and not where the window starts.
    expect(s).not.toContain('«log» was');
    expect(s.startsWith('…more more')).toBe(true);
  });

  it('marks a phrase across the stopwords the index drops', () => {
    expect(snippet('"state of the art"', 'A state of the art design; the art of state.')).toBe('A «state of the art» design; the art of state.');
  });

  it('marks terms and phrases of one query together, in text order', () => {
    expect(snippet('"big data" cluster', 'A cluster for big data, and big clusters.', 'standard')).toBe('A «cluster» for «big data», and big clusters.');
  });

  it('shows the start of the page when nothing matches', () => {
    expect(snippet('absent', 'one two three')).toBe('one two three');
    expect(snippet('absent', '')).toBe('');
  });
});
