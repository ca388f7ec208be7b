// The one way ream names temp files and replaces a small output file (metrics, error logs): write a
// temp file in the same directory, then rename it over the target, so a reader sees the old file or
// the new one, never a torn one. (Indexes stream into their own temp file; see
// src/index/codec/writer.ts.) A temp file's name says which process on which host made it, so that
// one left by a killed run (Ctrl-C, the OOM killer) is recognized and removed by the next run
// writing the same output (removeStaleTemps) rather than filling the disk unseen.
import { readdirSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';

/** This host's name as it goes into temp names: letters, digits and hyphens only. */
const HOST = hostname().replace(/[^A-Za-z0-9-]/g, '-') || 'host';

/** A temp file, or one named after one (`….tmp.postings`). */
const TEMP = /\.tmp(\.|$)/;

/** The maker's mark in a temp name: `.PID@HOST.` */
const MARK = /\.(\d+)@([A-Za-z0-9-]+)\./;

/** A temp path next to `path` (so the final rename stays on one file system), unique per process and call: `.NAME.PID@HOST.RANDOM.tmp`. */
export function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}@${HOST}.${Math.random().toString(36).slice(2, 10)}.tmp`);
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it runs, as another user
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes the temp files an earlier run writing `path` left behind when it was killed: those next to
 * `path` named for it by a process of this host that no longer runs (files of other hosts sharing
 * the directory are left alone: their processes cannot be checked from here). Returns the names
 * removed.
 */
export function removeStaleTemps(path: string): string[] {
  const prefix = `.${basename(path)}.`;
  let names: string[];
  try {
    names = readdirSync(dirname(path)).sort();
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    if (!name.startsWith(prefix) || !TEMP.test(name)) continue;
    const mark = MARK.exec(name.slice(prefix.length - 1));
    if (!mark || mark[2] !== HOST || Number(mark[1]) === process.pid || isRunning(Number(mark[1]))) continue;
    try {
      unlinkSync(join(dirname(path), name));
      removed.push(name);
    } catch {
      // gone already, or not ours to remove
    }
  }
  return removed;
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
