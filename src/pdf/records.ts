// Page, info and error records of `ream extract` (docs/records.md, "Page records").
import { renameSync, writeFileSync, unlinkSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { splitPageRecord } from './chunk.js';
import type { DocumentMeta, PageResult } from './protocol.js';

export interface PageRecord extends DocumentMeta {
  doc: string;
  page: number;
  pages: number;
  text: string;
  chars: number;
  empty?: true;
  suspect?: string;
}

/** The records (one, or a page's chunks) to write for an extracted page. */
export function pageRecords(doc: string, pages: number, result: PageResult, meta?: DocumentMeta): PageRecord[] {
  const record: PageRecord = { doc, page: result.page, pages, text: result.text, chars: result.chars };
  if (result.chars === 0) record.empty = true;
  if (result.suspect) record.suspect = result.suspect;
  if (meta) Object.assign(record, meta);
  return splitPageRecord(record);
}

export interface ErrorRecord {
  doc: string;
  reason: string;
  error: string;
}

/** Writes NDJSON records to `path` via a temp file in the same directory and a rename. */
export function writeRecordsAtomically(path: string, records: readonly unknown[]): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    writeFileSync(tmp, records.map((r) => JSON.stringify(r) + '\n').join(''));
    renameSync(tmp, path);
  } catch (err) {
    try {
      unlinkSync(tmp);
    } catch {
      // nothing to clean up
    }
    throw err;
  }
}
