// Metrics files in the form node_exporter's textfile collector reads: written whole to a temp file in
// the same directory (not ending in .prom, so the collector never sees it half-written) and renamed
// into place. `--metrics DIR/` names one file per process, so parallel jobs never share a file.
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { statOrUndefined } from '../stream/atomic.js';
import { UsageError } from '../stream/report.js';
import { PREFIX } from './catalog.js';
import { parse } from './exposition.js';

/** Where `--metrics VALUE` writes for `command` in this process. */
export function metricsPath(value: string, command: string, pid = process.pid, host = hostname()): string {
  const safeHost = host.replace(/[^A-Za-z0-9_.-]/g, '_');
  if (value.endsWith('/') || isDirectory(value)) return join(value, `${command}-${safeHost}-${pid}.prom`);
  return value.replace(/%([phc%])/g, (_, c: string) => (c === 'p' ? String(pid) : c === 'h' ? safeHost : c === 'c' ? command : '%'));
}

/** Refuses (exit 2) a target whose directory is missing, before the run does any work. */
export function checkTarget(path: string, createDir: boolean): void {
  const dir = dirname(path);
  if (createDir) mkdirSync(dir, { recursive: true });
  else if (!isDirectory(dir)) throw new UsageError(`--metrics: ${dir}: no such directory`);
}

export { writeFileAtomically as writeAtomically } from '../stream/atomic.js';

/** The last success time recorded for `command` in an existing metrics file, if any. */
export function previousSuccess(path: string, command: string): number | undefined {
  // only a metrics file of its own: reading a device or pipe given as the target (/dev/stderr) would block
  if (!statOrUndefined(path)?.isFile()) return undefined;
  try {
    const family = parse(readFileSync(path, 'utf8'), path).find((f) => f.name === `${PREFIX}last_success_timestamp_seconds`);
    return family?.samples.find((s) => s.labels.some(([k, v]) => k === 'command' && v === command))?.value;
  } catch {
    return undefined; // not ours or damaged: start afresh
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
