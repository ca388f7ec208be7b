// A phrase thread (bundled as dist/index-phrase.worker.js; phrase-thread.ts starts it): matches
// ranges of the pages of a phrase for the searching thread, taking the next range until none is
// left, on its own open copy of the index.
import { workerData } from 'node:worker_threads';
import { CorruptIndex } from './codec/layout.js';
import { IndexReader } from './codec/reader.js';
import { PhraseMatcher, lookUp } from './phrase-matcher.js';
import { DONE, PHASE, POSTED, RUNNING, takeRange, type PhraseJob, type PhraseReply, type PhraseThreadData } from './phrase-thread.js';

const data = workerData as PhraseThreadData;
let matcher: PhraseMatcher | undefined;
let unusable = '';
try {
  const reader = IndexReader.open(data.path, { cacheBytes: data.cacheBytes });
  if (reader.size !== data.size || reader.fileCrc !== data.fileCrc) throw new Error(`${data.path}: changed since the search opened it`);
  matcher = new PhraseMatcher(reader);
} catch (err) {
  unusable = err instanceof Error ? err.message : String(err);
}

data.port.on('message', (job: PhraseJob) => {
  const state = job.state;
  // the searching thread took every range before this one looked
  if (Atomics.compareExchange(state, PHASE, POSTED, RUNNING) !== POSTED) return;
  const reply: PhraseReply = { id: job.id, ranges: [] };
  try {
    const infos = matcher && lookUp(matcher.reader, job.terms);
    if (!infos) throw new Error(unusable || `${data.path}: changed since the search opened it`);
    const count = job.bounds.length - 1;
    matcher!.withPhrase(infos, (range) => {
      for (let r = takeRange(state); r < count; r = takeRange(state)) reply.ranges.push([r, range(job.bounds[r]!, job.bounds[r + 1]!)]);
    });
  } catch (err) {
    reply.error = err instanceof Error ? err.message : String(err);
    reply.corrupt = err instanceof CorruptIndex;
  }
  data.port.postMessage(reply, reply.ranges.flatMap(([, m]) => [m.docs.buffer as ArrayBuffer, m.tfs.buffer as ArrayBuffer]));
  Atomics.store(state, PHASE, DONE);
  Atomics.notify(state, PHASE);
});
