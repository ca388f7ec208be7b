// The query language's operators: OR, and the spelled-out AND / NOT that users of FTS5, Lucene and
// Recoll type (docs/search.md, "Query language").
import { describe, expect, it } from 'vitest';
import { MAX_PHRASE_WORDS, QueryError, parseQuery } from '../../src/index/query.js';
import { getAnalyzer } from '../../src/text/analyzer.js';

const standard = getAnalyzer('standard');
const parse = (q: string) => parseQuery(q, standard);

describe('query operators', () => {
  it('AND is the space spelled out, NOT word is -word', () => {
    expect(parse('raft AND paxos')).toEqual(parse('raft paxos'));
    expect(parse('raft NOT paxos')).toEqual(parse('raft -paxos'));
    expect(parse('raft AND NOT paxos')).toEqual(parse('raft -paxos'));
    expect(parse('NOT paxos raft')).toEqual(parse('-paxos raft'));
    expect(parse('raft NOT "log replication" doc:a.pdf')).toEqual(parse('raft -"log replication" doc:a.pdf'));
    expect(parse('a b OR c AND d')).toEqual(parse('a b OR c d'));
    expect(parse('raft AND paxos')).toEqual({ groups: [[{ kind: 'term', term: 'raft' }], [{ kind: 'term', term: 'paxos' }]], not: [], filters: [] });
  });

  it('a field filter takes a quoted value, spaces and parentheses included', () => {
    expect(parse('raft doc:"my report (draft).pdf"').filters).toEqual([{ field: 'doc', value: 'my report (draft).pdf' }]);
    expect(parse('raft title:"Log Replication"')).toEqual({ groups: [[{ kind: 'term', term: 'raft' }]], not: [], filters: [{ field: 'title', value: 'Log Replication' }] });
    expect(() => parse('raft doc:"open')).toThrow(/unclosed quote/);
    expect(() => parse('raft doc:""')).toThrow(/^doc: an empty value \(""\) matches nothing$/);
    // A URL is its words, as a phrase, not a filter on a field named after its scheme.
    expect(parse('https://raft.github.io/raft.pdf')).toEqual(parse('"https raft github io raft pdf"'));
    expect(parse('see http://x.org').filters).toEqual([]);
  });

  it('a phrase has at most MAX_PHRASE_WORDS words', () => {
    const words = (n: number) => Array.from({ length: n }, (_, i) => `w${i}`).join(' ');
    expect(parse(`"${words(MAX_PHRASE_WORDS)}"`).groups[0]![0]).toMatchObject({ kind: 'phrase' });
    expect(() => parse(`"${words(MAX_PHRASE_WORDS + 1)}"`)).toThrow(new RegExp(`^a phrase has at most ${MAX_PHRASE_WORDS} words \\(this one: ${MAX_PHRASE_WORDS + 1}\\)$`));
  });

  it('lower-case and, or, not and quoted operators are words', () => {
    expect(parse('cats and dogs').groups.map((g) => g.map((p) => (p.kind === 'term' ? p.term : '?')))).toEqual([['cats'], ['and'], ['dogs']]);
    expect(parse('to be or not').groups).toHaveLength(4);
    expect(parse('"AND" x')).toEqual(parse('and x'));
    expect(parse('x -NOT')).toEqual(parse('x -not'));
  });

  it('refuses operators without their words, with a one-line reason', () => {
    const cases: [string, RegExp][] = [
      ['AND raft', /AND needs a word on each side/],
      ['raft AND', /AND needs a word on each side/],
      ['raft AND OR paxos', /OR needs a word on each side/],
      ['raft OR AND paxos', /AND needs a word on each side/],
      ['raft NOT', /NOT needs a word after it/],
      ['raft NOT NOT paxos', /NOT needs a word after it/],
      ['raft OR NOT paxos', /OR cannot join a negated word/],
      ['raft NOT -paxos', /double negation/],
      ['raft NOT doc:a.pdf', /negated filters are not supported/],
      ['NOT raft', /at least one word/],
      ['... ,', /at least one word/],
    ];
    for (const [query, reason] of cases) {
      expect(() => parse(query), query).toThrow(QueryError);
      expect(() => parse(query), query).toThrow(reason);
    }
  });

  it('names the words an analyzer dropped when nothing is left to search for', () => {
    const en = getAnalyzer('en');
    expect(() => parseQuery('the of', en)).toThrow('nothing to search for: en/1 drops "the", "of" (stopwords)');
    expect(() => parseQuery('"to be" -cat', en)).toThrow('nothing to search for: en/1 drops "to be" (stopwords)');
    expect(parseQuery('the cat', en)).toEqual(parseQuery('cat', en));
  });

  it('reads parentheses the way OR binds, and refuses a grouped AND joined by OR', () => {
    const groups = (q: string) => parse(q).groups.map((g) => g.map((p) => (p.kind === 'term' ? p.term : '?')));
    expect(groups('(raft OR paxos) consensus')).toEqual([['raft', 'paxos'], ['consensus']]);
    expect(groups('consensus AND (raft OR paxos)')).toEqual([['consensus'], ['raft', 'paxos']]);
    expect(groups('(a OR b) (c OR d)')).toEqual([['a', 'b'], ['c', 'd']]);
    expect(groups('x (a b) y')).toEqual([['x'], ['a'], ['b'], ['y']]);
    // parentheses inside a word are the analyzer's business: f(x) is the phrase "f x"
    expect(parse('f(x) OR g').groups).toEqual([[{ kind: 'phrase', terms: ['f', 'x'] }, { kind: 'term', term: 'g' }]]);
    expect(groups('(a OR b')).toEqual([['a', 'b']]);
    for (const q of ['(a b) OR c', 'c OR (a b)', '(a AND b) OR c', '((a b)) OR c']) {
      expect(() => parse(q), q).toThrow(/parentheses do not group words here/);
    }
  });

  it('a negated group of alternatives excludes each of them; other negated groups are refused', () => {
    const expected = parse('raft -paxos -zab');
    expect(parse('raft -(paxos OR zab)')).toEqual(expected);
    expect(parse('raft NOT (paxos OR zab)')).toEqual(expected);
    expect(parse('raft AND NOT (paxos OR "zab")')).toEqual(expected);
    expect(parse('-(paxos) raft')).toEqual(parse('-paxos raft'));
    for (const q of ['raft -(paxos zab)', 'raft NOT (paxos AND zab)', '-(a b) OR c']) expect(() => parse(q), q).toThrow(/cannot be negated/);
    expect(() => parse('raft -(paxos OR -zab)')).toThrow(/negation inside a negated group/);
    expect(() => parse('raft NOT (paxos OR NOT zab)')).toThrow(/negation inside a negated group/);
  });
});
