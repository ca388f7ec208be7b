// Worker thread of `ream tokenize` (bundled as dist/text-tokenize.worker.js): analyzes batches of
// texts for token-pipeline.ts and posts back their token lists as JSON bytes, in transferred buffers,
// on the port it was given, where the calling thread picks them up without waiting for events.
import { parentPort, workerData } from 'node:worker_threads';
import { getAnalyzer } from './analyzer.js';
import { JsonTokenList } from './json-tokens.js';
import { encodeBatch, type BatchRequest, type WorkerSetup } from './token-pipeline.js';

const setup = workerData as WorkerSetup;
const analyzer = getAnalyzer(setup.analyzer);
const list = new JsonTokenList();

parentPort!.on('message', (request: BatchRequest) => {
  const result = encodeBatch(analyzer, list, request.texts);
  setup.port.postMessage({ id: request.id, ...result }, [result.bytes.buffer as ArrayBuffer, result.ends.buffer as ArrayBuffer, result.counts.buffer as ArrayBuffer]);
});
