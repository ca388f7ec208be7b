// The one way ream replaces a small output file (metrics, error logs): write a temp file in the same
// directory, then rename it over the target, so a reader sees the old file or the new one, never a
// torn one. (Indexes stream into their own temp file; see src/index/codec/writer.ts.)
import { renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** A temp path next to `path`, unique per process and call. */
export function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${Math.random().toString(36).slice(2, 8)}.tmp`);
}

export function writeFileAtomically(path: string, data: string | Uint8Array): void {
  const temp = tempPathFor(path);
  try {
    writeFileSync(temp, data);
    renameSync(temp, path);
  } catch (err) {
    try {
      unlinkSync(temp);
    } catch {
      // never created
    }
    throw err;
  }
}
