// The one way ream names temp files and replaces a small output file (metrics, error logs): write a
// temp file in the same directory, then rename it over the target, so a reader sees the old file or
// the new one, never a torn one. (Indexes stream into their own temp file; see
// src/index/codec/writer.ts.) A temp file's name says which process on which host made it, so that
// one left by a killed run (Ctrl-C, the OOM killer) is recognized and removed by the next run
// writing the same output (removeStaleTemps) rather than filling the disk unseen.
import { accessSync, constants, readdirSync, readlinkSync, realpathSync, renameSync, statSync, unlinkSync, writeFileSync, type Stats } from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { UsageError } from './report.js';

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

/** Where output named `path` goes. */
export interface OutputTarget {
  /** The file itself: a symlink's target, so that the rename replaces the target and the link stays a link. */
  path: string;
  /**
   * A device, FIFO or socket (`--errors /dev/stderr`, a named pipe): written directly, since a temp
   * file renamed over it would replace the device with a plain file.
   */
  inPlace: boolean;
}

/** statSync(), or undefined when there is nothing (readable) at `path`. */
export function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

export function resolveOutput(path: string): OutputTarget {
  const st = statOrUndefined(path);
  // a device or pipe is opened by the name given (/dev/stderr's link leads to a "pipe:[…]" that is no path)
  if (st && !st.isFile() && !st.isDirectory()) return { path, inPlace: true };
  try {
    return { path: st ? realpathSync(path) : resolve(dirname(path), readlinkSync(path)), inPlace: false };
  } catch {
    return { path, inPlace: false }; // not a link: written as named
  }
}

/**
 * resolveOutput(), refusing (exit 2) an output that cannot be written — a directory, a missing or
 * read-only directory, or (`regularOnly`: an index, which is only of use as a file) a device or
 * FIFO — before the run reads its input, not after hours of extraction. `what` names the option.
 */
export function checkOutput(path: string, what: string, regularOnly = false): OutputTarget {
  const target = resolveOutput(path);
  const st = statOrUndefined(target.path);
  if (st?.isDirectory()) throw new UsageError(`${what} ${path}: is a directory`);
  if (target.inPlace) {
    if (regularOnly) throw new UsageError(`${what} ${path}: not a regular file (an index is written to a temp file and renamed into place)`);
    return target;
  }
  const dir = dirname(target.path);
  if (!statOrUndefined(dir)?.isDirectory()) throw new UsageError(`${what} ${path}: no such directory: ${dir}`);
  try {
    accessSync(dir, constants.W_OK);
  } catch {
    throw new UsageError(`${what} ${path}: directory not writable: ${dir}`);
  }
  return target;
}

export function writeFileAtomically(named: string, data: string | Uint8Array): void {
  const { path, inPlace } = resolveOutput(named);
  if (inPlace) return writeFileSync(path, data);
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
