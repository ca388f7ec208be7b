// `ream merge` on several cores: the terms are split into ranges of about equal postings bytes; this
// thread merges the first range into the output while worker threads (merge.worker.ts) spill the
// others to temp files, which are then appended in order. The dictionary blocks are written here, as
// the terms arrive, so the file is byte for byte the one a single thread writes.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { CorruptIndex } from './codec/layout.js';
import type { IndexReader } from './codec/reader.js';
import { removeSpill, type SpillFiles } from './codec/writer.js';
import { tempPathFor } from '../stream/atomic.js';
import { workerUrl } from '../runtime/worker-url.js';
import { lengthTable, mergeTerms, startMerge, type LengthTable, type MergeOptions, type MergeResult } from './merge.js';

/** What a merge thread is given (workerData). */
export interface TermRangeJob {
  paths: string[];
  /** The inputs' sizes and CRCs, to check the thread opened the same files. */
  sizes: number[];
  crcs: number[];
  checkTerms: boolean[];
  remaps: Int32Array[];
  /** Shared memory, like the remaps: the threads read one copy. */
  lengths: LengthTable;
  from: string;
  to: string | undefined;
  windowBytes: number;
  files: SpillFiles;
}

/** What a merge thread answers when it is done. */
export type TermRangeResult = { ok: true } | { ok: false; message: string; corrupt: boolean };

/** Below this many bytes of postings a second thread costs more (its start-up) than it saves. */
const PARALLEL_FROM_BYTES = 32 << 20;

/**
 * The threads `ream merge` uses by default: two when there are two cores, one for small inputs. More
 * are allowed (--threads) but pay less: the ranges after the first are copied into the output by the
 * main thread when its own range is done, so a merge thread spends ~15 MB to save ever less time.
 */
export function defaultMergeThreads(inputs: readonly IndexReader[]): number {
  const bytes = inputs.reduce((sum, r) => sum + r.sections.terms!.length, 0);
  return bytes < PARALLEL_FROM_BYTES ? 1 : Math.min(2, availableParallelism());
}

/**
 * Terms that cut the inputs' term order into up to `parts` ranges of about equal postings bytes
 * (judged by dictionary blocks; fewer ranges when there are few blocks). Strictly increasing.
 */
export function splitTerms(inputs: readonly IndexReader[], parts: number): string[] {
  const spans = inputs.flatMap((r) => r.termSpans()).sort((a, b) => (a.first < b.first ? -1 : a.first > b.first ? 1 : 0));
  const total = spans.reduce((sum, s) => sum + s.bytes, 0);
  const bounds: string[] = [];
  let before = 0;
  for (const s of spans) {
    if (bounds.length === parts - 1) break;
    const last = bounds.length > 0 ? bounds[bounds.length - 1]! : spans[0]!.first;
    if (before >= (total * (bounds.length + 1)) / parts && s.first > last) bounds.push(s.first);
    before += s.bytes;
  }
  return bounds;
}

/** Merges with `threads` threads (1: all in this one); the output is the same either way. */
export async function mergeInThreads(inputs: IndexReader[], out: string, opts: MergeOptions & { threads: number }): Promise<MergeResult & { threads: number }> {
  const url = opts.threads > 1 ? workerUrl('index-merge.worker.js', import.meta.url) : undefined;
  const bounds = url ? splitTerms(inputs, opts.threads) : [];
  const merge = startMerge(inputs, out, opts);
  const parts: { worker: Worker; files: SpillFiles; done: Promise<void> }[] = [];
  try {
    // the read windows share 8 MB over all the threads (each thread costs memory of its own; at 1M
    // pages, 16 inputs, 8 MB merged as fast as 16 MB)
    const threads = bounds.length + 1;
    const windowBytes = opts.windowBytes ?? Math.max(128 << 10, Math.floor((8 << 20) / (inputs.length * threads)));
    const checkTerms = inputs.map((r) => !r.verifiedWhole);
    const lengths = lengthTable(merge.writer.lengths);
    for (let k = 0; k < bounds.length; k++) {
      const base = tempPathFor(`${out}.part${k + 1}`);
      const job: TermRangeJob = {
        paths: inputs.map((r) => r.path),
        sizes: inputs.map((r) => r.size),
        crcs: inputs.map((r) => r.fileCrc),
        checkTerms,
        remaps: merge.remaps,
        lengths,
        from: bounds[k]!,
        to: bounds[k + 1],
        windowBytes,
        files: { postings: `${base}.postings`, terms: `${base}.terms` },
      };
      parts.push(startPart(url!, job));
    }
    mergeTerms(inputs, merge.remaps, lengths, merge.writer, { to: bounds[0], windowBytes });
    for (const part of parts) {
      await part.done;
      merge.writer.appendSpilled(part.files);
      removeSpill(part.files);
    }
    return { ...merge.finish(), threads };
  } catch (err) {
    merge.writer.abort();
    // stopped before their files go, so that none is created after
    await Promise.all(parts.map((p) => p.worker.terminate()));
    for (const p of parts) removeSpill(p.files);
    throw err;
  }
}

function startPart(url: URL, job: TermRangeJob): { worker: Worker; files: SpillFiles; done: Promise<void> } {
  // a small young generation: a merge thread's garbage is small and short-lived, and V8's default
  // (up to 48 MB) would be most of the thread's memory (bin/ream gives the main thread the same)
  const worker = new Worker(url, { workerData: job, resourceLimits: { maxYoungGenerationSizeMb: 2 } });
  const done = new Promise<void>((resolve, reject) => {
    worker.once('message', (m: TermRangeResult) => (m.ok ? resolve() : reject(m.corrupt ? new CorruptIndex(m.message) : new Error(m.message))));
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`merge thread stopped (exit code ${code})`)));
  });
  // a rejection before this thread awaits it is not "unhandled": it is awaited, or the merge failed first
  done.catch(() => {});
  return { worker, files: job.files, done };
}
