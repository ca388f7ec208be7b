// Every ream command, one line each (after Miller's verb table). Modules load lazily, so a command
// pays only for its own code at start-up. Adding a command: one file in src/cli/, one line here,
// one shim in bin/.
import type { CommandModule } from './command.js';

export interface CommandEntry {
  name: string;
  summary: string;
  load(): Promise<{ command: CommandModule<any> }>;
}

export const commands: CommandEntry[] = [
  { name: 'filter', summary: 'keep the records for which an expression is true', load: () => import('./filter.js') },
  { name: 'csv', summary: 'turn CSV/TSV with a header row into NDJSON records', load: () => import('./csv.js') },
  { name: 'extract', summary: 'extract PDF text: one record per page (or per document with --info)', load: () => import('./extract.js') },
  { name: 'tokenize', summary: 'turn text into tokens with a named analyzer', load: () => import('./tokenize.js') },
  { name: 'count', summary: 'count terms or field values: the word count, sorted by count', load: () => import('./count.js') },
  { name: 'index', summary: 'build an index file from tokenized page records', load: () => import('./index.js') },
  { name: 'merge', summary: 'merge index files into one (the reduce step)', load: () => import('./merge.js') },
  { name: 'search', summary: 'search one or more indexes with BM25; NDJSON hits', load: () => import('./search.js') },
  { name: 'terms', summary: 'list an index\'s terms with document and collection frequencies', load: () => import('./terms.js') },
  { name: 'docs', summary: 'list an index\'s documents and pages', load: () => import('./docs.js') },
  { name: 'metrics', summary: 'Prometheus metrics about any NDJSON stream, or sum metrics files', load: () => import('./metrics.js') },
];

export function findCommand(name: string): CommandEntry | undefined {
  return commands.find((c) => c.name === name);
}
