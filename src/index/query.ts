// The query language: words (all must match), `OR` between words, `-word` (must not match),
// `"exact phrase"`, `prefix*`, and `field:value` filters (`doc:`, `page:`, stored fields).
// `a b OR c` means a AND (b OR c): OR binds tighter, as in web search engines. `AND` and `NOT word`
// are accepted as the spelled-out forms of the space and of `-word` (FTS5, Lucene and Recoll users
// type them; taken as words, `AND` would have made "and" a required word). The operators are
// upper-case only: `and`, `or`, `not` are words. Words are analyzed with the index's own analyzer;
// a word that analyzes to several tokens becomes a phrase.
import type { Analyzer } from '../text/analyzer.js';

export type Phrase =
  | { kind: 'term'; term: string }
  | { kind: 'phrase'; terms: string[] }
  | { kind: 'prefix'; prefix: string };

export interface Filter {
  field: string;
  value: string;
}

export interface Query {
  /** All groups must match; a group matches when any of its phrases does. */
  groups: Phrase[][];
  /** No document containing any of these matches. */
  not: Phrase[];
  filters: Filter[];
}

/** Words a phrase may have (wasm/phrase.ts's MAX_TERMS). */
export const MAX_PHRASE_WORDS = 4096;

export class QueryError extends Error {
  override name = 'QueryError';
}

interface Lexeme {
  text: string;
  quoted: boolean;
  negated: boolean;
  /** A field filter with a quoted value (its parentheses are not groups). */
  field?: boolean;
}

function lex(input: string): Lexeme[] {
  const out: Lexeme[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    let negated = false;
    if (c === '-' && i + 1 < input.length && !/\s/.test(input[i + 1]!)) {
      negated = true;
      i++;
    }
    if (input[i] === '"') {
      const end = input.indexOf('"', i + 1);
      if (end < 0) throw new QueryError('unclosed quote');
      out.push({ text: input.slice(i + 1, end), quoted: true, negated });
      i = end + 1;
      continue;
    }
    let j = i;
    while (j < input.length && !/\s/.test(input[j]!) && input[j] !== '"') j++;
    // field:"a value with spaces"
    if (input[j] === '"' && FIELD_NAME.test(input.slice(i, j))) {
      const end = input.indexOf('"', j + 1);
      if (end < 0) throw new QueryError('unclosed quote');
      out.push({ text: input.slice(i, j) + input.slice(j + 1, end), quoted: false, negated, field: true });
      i = end + 1;
      continue;
    }
    out.push({ text: input.slice(i, j), quoted: false, negated });
    i = j;
  }
  return out;
}

/** The operator a lexeme is (upper-case, unquoted, not negated), or ''. */
function operatorOf(l: Lexeme): '' | 'OR' | 'AND' | 'NOT' {
  if (l.quoted || l.negated) return '';
  return l.text === 'OR' || l.text === 'AND' || l.text === 'NOT' ? l.text : '';
}

/** A `field:value` filter. */
const FIELD = /^([A-Za-z_][\w.]*):(.+)$/s;
/** scheme://… */
const URL_LIKE = /^[A-Za-z][\w+.-]*:\/\//;
/** `field:` before a quoted value. */
const FIELD_NAME = /^[A-Za-z_][\w.]*:$/;

/**
 * Parentheses are not operators: they are punctuation to the analyzer, and OR binds to the nearest
 * words. That reads `(a OR b) c` and `a (b OR c)` as meant. What it would misread is handled here:
 * a negated group of alternatives, `-(a OR b)` or `NOT (a OR b)`, becomes `-a -b` (no page with
 * any of them); a group of words joined by AND next to an OR, `(a b) OR c`, or negated, `-(a b)`,
 * cannot be expressed and is refused rather than answered differently from what was asked.
 */
function flattenGroups(lexemes: Lexeme[]): Lexeme[] {
  const isOperator = (l: Lexeme) => operatorOf(l) !== '';
  const hasWord = (l: Lexeme) => l.quoted || /[^()]/.test(l.text);
  const out: Lexeme[] = [];
  let depth = 0;
  let start = -1;
  for (let k = 0; k < lexemes.length; k++) {
    const l = lexemes[k]!;
    const opens = l.quoted || l.field ? 0 : /^\(*/.exec(l.text)![0].length;
    const closes = l.quoted || l.field ? 0 : /\)*$/.exec(l.text)![0].length;
    if (depth === 0 && opens === 0) {
      out.push(l);
      continue;
    }
    if (depth === 0) start = k;
    depth = Math.max(0, depth + opens - closes);
    if (depth > 0 && k < lexemes.length - 1) continue;
    // lexemes start…k are one parenthesized group (or run to the end unclosed)
    const group = lexemes.slice(start, k + 1);
    const inner = group.filter((x) => isOperator(x) || hasWord(x));
    let and = inner.some((x) => operatorOf(x) === 'AND');
    for (let j = 1; j < inner.length; j++) if (!isOperator(inner[j - 1]!) && !isOperator(inner[j]!)) and = true;
    const previous = out[out.length - 1];
    const notBefore = previous !== undefined && operatorOf(previous) === 'NOT';
    const negated = group[0]!.negated || notBefore;
    const orAround = [previous, lexemes[k + 1]].some((x) => x !== undefined && operatorOf(x) === 'OR');
    if (negated) {
      if (and) throw new QueryError('a group of words joined by AND cannot be negated: -(a b) is not -a -b; negate the words one by one');
      if (group.slice(1).some((x) => x.negated) || inner.some((x) => operatorOf(x) === 'NOT')) throw new QueryError('a negation inside a negated group');
      if (notBefore) out.pop();
      // -(a OR b): no page with a, none with b
      for (const x of group) if (!isOperator(x)) out.push({ ...x, negated: true });
    } else {
      if (and && orAround) {
        throw new QueryError('parentheses do not group words here: OR binds to the nearest words (a b OR c = a AND (b OR c)); run the alternatives as separate queries');
      }
      out.push(...group);
    }
    start = -1;
  }
  return out;
}

/** Parses a query string; analysis turns words into the index's terms. */
export function parseQuery(input: string, analyzer: Analyzer): Query {
  const q: Query = { groups: [], not: [], filters: [] };
  const lexemes = flattenGroups(lex(input));
  const toPhrase = (l: Lexeme): Phrase | undefined => {
    if (!l.quoted && l.text.endsWith('*') && l.text.length > 1) {
      const word = l.text.replace(/\*+$/, '');
      const prefix = analyzer.normalize(word);
      if (!prefix) throw new QueryError(`prefix '${l.text}' has no letters or digits`);
      return { kind: 'prefix', prefix };
    }
    const terms = analyzer.analyze(l.text);
    if (terms.length === 0) return undefined;
    if (terms.length === 1) return { kind: 'term', term: terms[0]! };
    if (terms.length > MAX_PHRASE_WORDS) throw new QueryError(`a phrase has at most ${MAX_PHRASE_WORDS} words (this one: ${terms.length})`);
    return { kind: 'phrase', terms };
  };
  // an operator read and not yet followed by its word
  let pending = '';
  for (let k = 0; k < lexemes.length; k++) {
    const l = lexemes[k]!;
    const operator = operatorOf(l);
    const last = k === lexemes.length - 1;
    if (operator === 'OR' && (q.groups.length === 0 || last || pending)) throw new QueryError('OR needs a word on each side');
    if (operator === 'AND' && (k === 0 || last || pending)) throw new QueryError('AND needs a word on each side');
    if (operator === 'NOT' && (last || (pending && pending !== 'AND'))) throw new QueryError(pending === 'OR' ? 'OR cannot join a negated word' : 'NOT needs a word after it');
    if (operator) {
      pending = operator;
      continue;
    }
    const joined = pending === 'OR';
    if (pending === 'NOT') {
      if (l.negated) throw new QueryError(`NOT -${l.text}: a double negation`);
      l.negated = true;
    }
    pending = '';
    // A URL (`https://…`) is words to search for, not a filter on a field `https`.
    const field = !l.quoted && !URL_LIKE.test(l.text) ? FIELD.exec(l.text) : null;
    if (l.field && !field) throw new QueryError(`${l.text.slice(0, -1)}: an empty value ("") matches nothing`);
    if (field) {
      if (joined) throw new QueryError('OR cannot join a field filter');
      if (l.negated) throw new QueryError(`-${field[1]}: negated filters are not supported`);
      q.filters.push({ field: field[1]!, value: field[2]! });
      continue;
    }
    const phrase = toPhrase(l);
    if (!phrase) {
      if (joined) throw new QueryError(`'${l.text}' has no searchable words`);
      continue;
    }
    if (l.negated) {
      if (joined) throw new QueryError('OR cannot join a negated word');
      q.not.push(phrase);
    } else if (joined) q.groups[q.groups.length - 1]!.push(phrase);
    else q.groups.push([phrase]);
  }
  if (q.groups.length === 0) {
    // say why when the words were there but the analyzer dropped them all (stopwords of `en`, …)
    const dropped = lexemes.filter((l) => !l.negated && operatorOf(l) === '' && !FIELD.test(l.text) && /[\p{L}\p{N}]/u.test(l.text));
    if (dropped.length > 0) throw new QueryError(`nothing to search for: ${analyzer.id} drops ${dropped.map((l) => JSON.stringify(l.text)).join(', ')} (stopwords)`);
    throw new QueryError('the query needs at least one word to search for');
  }
  return q;
}

/** The query in SQLite FTS5 syntax (for the relevance oracle and for comparisons). */
export function toFts5(q: Query): string {
  const one = (p: Phrase): string =>
    p.kind === 'term' ? `"${p.term}"` : p.kind === 'phrase' ? `"${p.terms.join(' ')}"` : `"${p.prefix}" *`;
  const groups = q.groups.map((g) => (g.length === 1 ? one(g[0]!) : `(${g.map(one).join(' OR ')})`)).join(' AND ');
  return q.not.length === 0 ? groups : `${groups} NOT (${q.not.map(one).join(' OR ')})`;
}
