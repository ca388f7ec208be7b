// Shared by the differential tests of the byte path: a line as `ream tokenize` handles it (byte
// path, or the reference path when the byte path refuses it) and as the reference path alone
// handles it (JSON.parse, analyze, JSON.stringify), both as output text.
import { getAnalyzer } from '../../src/text/analyzer.js';
import { ChunkPositions, tokenizeRecord, type TokenizeOptions } from '../../src/text/tokenize-record.js';
import { LineTokenizer } from '../../src/text/tokenize-line.js';

export interface CommandOutput {
  /** The output line, or undefined when the record is refused (reported). */
  output: string | undefined;
  /** Whether the byte path wrote it. */
  bytePath: boolean;
}

export interface LinePaths {
  command(line: string): CommandOutput;
  reference(line: string): string | undefined;
}

/** Both paths for one analyzer and options, each with its own chunk positions (feed lines in order). */
export function linePaths(analyzerName: string, opts: Pick<TokenizeOptions, 'field' | 'keepText'> & { memoEntries?: number }): LinePaths {
  const analyzer = getAnalyzer(analyzerName);
  const commandChunks = new ChunkPositions();
  const referenceChunks = new ChunkPositions();
  const lines = new LineTokenizer(analyzer, commandChunks, opts);
  const referenceOf = (line: string, chunks: ChunkPositions): string | undefined => {
    let record: unknown;
    try {
      record = JSON.parse(line);
    } catch {
      return undefined;
    }
    if (record === null || typeof record !== 'object' || Array.isArray(record)) return undefined;
    const r = tokenizeRecord(record as Record<string, unknown>, analyzer, chunks, { field: opts.field, keepText: opts.keepText, offsets: false });
    return r.ok ? JSON.stringify(r.record) : undefined;
  };
  return {
    command(line) {
      const buf = Buffer.from(line);
      let output: string | undefined;
      const n = lines.line(buf, 0, buf.length, (head, tokens, tail) => {
        output = Buffer.concat([head, tokens, tail]).toString('utf8');
      });
      if (n < 0) return { output: referenceOf(line, commandChunks), bytePath: false };
      return { output, bytePath: true };
    },
    reference: (line) => referenceOf(line, referenceChunks),
  };
}
