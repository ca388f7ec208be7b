// SCAFFOLD (the tokenize issue owns this file): the analyzer contract shared by tokenize, index and
// search. An analyzer turns text into the tokens that get indexed; an index records the analyzer's
// name (versioned, e.g. `standard/1`) so a query is later analyzed exactly as the documents were.
import { UsageError } from '../stream/report.js';

export interface Analyzer {
  /** Versioned name stored in tokenized records and in indexes, e.g. `standard/1`. */
  readonly id: string;
  /** Tokens in text order (positions are array indexes). */
  analyze(text: string): string[];
}

const standard: Analyzer = {
  id: 'standard/1',
  analyze: (text) => text.normalize('NFKC').toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [],
};

const analyzers = new Map<string, Analyzer>([['standard', standard]]);

/** Looks an analyzer up by name (`standard`) or id (`standard/1`). */
export function getAnalyzer(nameOrId: string): Analyzer {
  const a = analyzers.get(nameOrId) ?? [...analyzers.values()].find((x) => x.id === nameOrId);
  if (!a) throw new UsageError(`unknown analyzer '${nameOrId}' (known: ${[...analyzers.keys()].join(', ')})`);
  return a;
}
