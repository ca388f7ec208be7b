// Shared by the differential tests: a line through the byte path (falling back as the command does)
// and through the reference path, both as output bytes.
import { getAnalyzer } from '../../src/text/analyzer.js';
import { ChunkPositions, tokenizeRecord, type TokenizeOptions } from '../../src/text/tokenize-record.js';
import { LineTokenizer } from '../../src/text/tokenize-line.js';

export interface LinePaths {
  /** The output line of the byte path, or undefined when it refused the line. */
  fast(line: string): string | undefined;
  /** The reference output (JSON.parse, analyze, JSON.stringify), or undefined when the record is refused. */
  reference(line: string): string | undefined;
}

export function linePaths(analyzerName: string, opts: Pick<TokenizeOptions, 'field' | 'keepText'>): LinePaths {
  const analyzer = getAnalyzer(analyzerName);
  const fastChunks = new ChunkPositions();
  const referenceChunks = new ChunkPositions();
  const lines = new LineTokenizer(analyzer, fastChunks, opts);
  const referenceOf = (line: string, chunks: ChunkPositions): string | undefined => {
    let record: unknown;
    try {
      record = JSON.parse(line);
    } catch {
      return undefined;
    }
    if (record === null || typeof record !== 'object' || Array.isArray(record)) return undefined;
    const r = tokenizeRecord(record as Record<string, unknown>, analyzer, chunks, { ...opts, offsets: false });
    return r.ok ? JSON.stringify(r.record) : undefined;
  };
  return {
    fast(line) {
      const buf = Buffer.from(line);
      let out: string | undefined;
      const n = lines.line(buf, 0, buf.length, (head, tokens, tail) => {
        out = Buffer.concat([head, tokens, tail]).toString('utf8');
      });
      if (n < 0) {
        // What the command does: the reference path, sharing the chunk positions.
        referenceOf(line, fastChunks);
        return undefined;
      }
      return out;
    },
    reference: (line) => referenceOf(line, referenceChunks),
  };
}
