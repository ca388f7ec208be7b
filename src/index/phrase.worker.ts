// The phrase thread (bundled as dist/index-phrase.worker.js; phrase-thread.ts starts it): matches
// ranges of the pages of a phrase for the searching thread, taking the next range until none is
// left, on its own open copy of each index a job names.
import { workerData } from 'node:worker_threads';
import { CorruptIndex } from './codec/layout.js';
import { IndexReader } from './codec/reader.js';
import { PhraseMatcher, lookUp } from './phrase-matcher.js';
import { DONE, PHASE, POSTED, RUNNING, takeRange, type IndexFile, type PhraseReply, type PhraseThreadData, type ToPhraseThread } from './phrase-thread.js';

const data = workerData as PhraseThreadData;
/** The indexes jobs named, opened once each (a closed one is dropped: `closed` messages). */
const opened = new Map<string, PhraseMatcher>();
const keyOf = (f: IndexFile): string => `${f.size}:${f.fileCrc}:${f.path}`;

function matcherFor(f: IndexFile): PhraseMatcher {
  let m = opened.get(keyOf(f));
  if (!m) {
    const reader = IndexReader.open(f.path, { cacheBytes: f.cacheBytes });
    if (reader.size !== f.size || reader.fileCrc !== f.fileCrc) {
      reader.close();
      throw new Error(`${f.path}: changed since the search opened it`);
    }
    opened.set(keyOf(f), (m = new PhraseMatcher(reader)));
  }
  return m;
}

data.port.on('message', (message: ToPhraseThread) => {
  if ('closed' in message) {
    opened.get(keyOf(message.closed))?.reader.close();
    opened.delete(keyOf(message.closed));
    return;
  }
  const job = message;
  const state = job.state;
  // the searching thread took every range before this one looked
  if (Atomics.compareExchange(state, PHASE, POSTED, RUNNING) !== POSTED) return;
  const reply: PhraseReply = { id: job.id, ranges: [] };
  try {
    const matcher = matcherFor(job.index);
    const infos = lookUp(matcher.reader, job.terms);
    if (!infos) throw new Error(`${job.index.path}: changed since the search opened it`);
    const count = job.bounds.length - 1;
    matcher.withPhrase(infos, (run) => {
      // the same file, so the same bound; were it larger, copies could run past the shared memory
      if (run.capacity > job.capacity) throw new Error(`${job.index.path}: changed since the search opened it`);
      const docs = job.shared.subarray(0, job.capacity);
      const tfs = job.shared.subarray(job.capacity, 2 * job.capacity);
      for (let r = takeRange(state); r < count; r = takeRange(state)) {
        const m = run.range(job.bounds[r]!, job.bounds[r + 1]!);
        // into the shared memory where they are in the WebAssembly memory (one range after another),
        // and only then in the reply: a range listed is a range written, whatever fails after
        run.copy(m, docs, tfs, m.start);
        reply.ranges.push([r, m]);
      }
    });
  } catch (err) {
    reply.error = err instanceof Error ? err.message : String(err);
    reply.corrupt = err instanceof CorruptIndex;
  }
  data.port.postMessage(reply);
  Atomics.store(state, PHASE, DONE);
  Atomics.notify(state, PHASE);
});
