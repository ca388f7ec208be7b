// Worker thread of `ream tokenize` (bundled as dist/text-tokenize.worker.js): analyzes batches of
// texts for token-pipeline.ts and posts back their token lists as JSON bytes, in transferred buffers,
// on the port it was given; a shared counter lets the calling thread wait for them without events.
import { parentPort, workerData } from 'node:worker_threads';
import { getAnalyzer } from './analyzer.js';
import { JsonTokenList } from './json-tokens.js';
import { encodeBatch, type BatchRequest, type WorkerSetup } from './token-pipeline.js';

const setup = workerData as WorkerSetup;
const analyzer = getAnalyzer(setup.analyzer);
const done = new Int32Array(setup.done);
const list = new JsonTokenList();

parentPort!.on('message', (request: BatchRequest) => {
  const result = encodeBatch(analyzer, list, request.texts);
  setup.port.postMessage({ id: request.id, ...result }, [result.bytes.buffer as ArrayBuffer, result.ends.buffer as ArrayBuffer, result.counts.buffer as ArrayBuffer]);
  Atomics.add(done, 0, 1);
  Atomics.notify(done, 0);
});
