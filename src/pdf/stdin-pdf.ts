// `ream extract -`: a PDF given on stdin (`curl … | ream extract -`, as `pdftotext - -`). PDF parsers
// need the whole file (the cross-reference table is at its end), and both engines read a path, so
// the bytes are saved to a private temp file first and removed when the run ends.
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stdinSource } from '../stream/sources.js';

/** The name a PDF read from stdin goes by in records and messages. */
export const STDIN_DOC = 'stdin';

export interface SavedStdin {
  /** Where the bytes are. */
  readonly file: string;
  remove(): void;
}

/** Reads stdin to its end into a temp file (in a directory only this user can read). */
export async function saveStdin(): Promise<SavedStdin> {
  const dir = mkdtempSync(join(tmpdir(), 'ream-stdin-'));
  const file = join(dir, 'stdin.pdf');
  const remove = (): void => rmSync(dir, { recursive: true, force: true });
  try {
    const fd = openSync(file, 'w', 0o600);
    try {
      for await (const chunk of stdinSource().chunks()) {
        for (let at = 0; at < chunk.length; ) at += writeSync(fd, chunk, at);
      }
    } finally {
      closeSync(fd);
    }
  } catch (err) {
    remove();
    throw err;
  }
  return { file, remove };
}
