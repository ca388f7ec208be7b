// A merge thread (bundled as dist/index-merge.worker.js): merges one range of the terms of the
// inputs it is given into spill files (codec/writer.ts TermSpill) for merge-parallel.ts to append.
import { parentPort, workerData } from 'node:worker_threads';
import { CorruptIndex } from './codec/layout.js';
import { IndexReader } from './codec/reader.js';
import { TermSpill } from './codec/writer.js';
import { mergeTerms } from './merge.js';
import type { TermRangeJob, TermRangeResult } from './merge-parallel.js';

const job = workerData as TermRangeJob;
let result: TermRangeResult;
const readers: IndexReader[] = [];
let spill: TermSpill | undefined;
try {
  job.paths.forEach((p, i) => {
    const r = IndexReader.open(p);
    readers.push(r);
    if (r.size !== job.sizes[i] || r.fileCrc !== job.crcs[i]) throw new Error(`${p}: changed during the merge`);
  });
  spill = new TermSpill(job.files);
  mergeTerms(readers, job.remaps, job.lengths, spill, { from: job.from, to: job.to, windowBytes: job.windowBytes, checkTerms: job.checkTerms });
  spill.finish();
  result = { ok: true };
} catch (err) {
  spill?.abort();
  result = { ok: false, message: err instanceof Error ? err.message : String(err), corrupt: err instanceof CorruptIndex };
} finally {
  for (const r of readers) r.close();
}
parentPort!.postMessage(result);
