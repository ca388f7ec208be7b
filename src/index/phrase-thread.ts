// The second thread phrase-matcher.ts matches a large phrase on: one worker per process
// (phrase.worker.ts, bundled as dist/index-phrase.worker.js), whichever indexes are searched
// (`-i 'shards/*.ream'` is one thread, not one per shard); it opens each index file a job names
// and keeps its own copies of the words it reads. Search is synchronous, so the two threads meet through shared memory: a job's
// next range is a shared counter both take from, and this thread waits on the job's state with
// Atomics.wait and takes the worker's answer with receiveMessageOnPort, with no event loop turn.
import { createRequire } from 'node:module';
import type { MessagePort, Worker } from 'node:worker_threads';
import { workerUrl } from '../runtime/worker-url.js';
import { CorruptIndex } from './codec/layout.js';
import type { IndexReader } from './codec/reader.js';
import type { RangeMatches } from './phrase-matcher.js';

// node:worker_threads is loaded with the first thread: a query given as arguments matches on one
// thread, and loading the module cost its fresh process ~6 ms.
const workerThreads = (): typeof import('node:worker_threads') => createRequire(import.meta.url)('node:worker_threads') as typeof import('node:worker_threads');

/** What the worker is started with. */
export interface PhraseThreadData {
  port: MessagePort;
}

/** An index as this thread opened it: the worker answers nothing for another file at that path. */
export interface IndexFile {
  path: string;
  size: number;
  fileCrc: number;
  cacheBytes: number;
}

/** One phrase for the worker: its index, its words and its ranges of pages (bounds[r]…bounds[r+1]-1). */
export interface PhraseJob {
  id: number;
  index: IndexFile;
  terms: Uint8Array[];
  bounds: Int32Array;
  /** Shared: [the next range to take, the job's phase]. */
  state: Int32Array;
  /**
   * Shared: where the worker writes its matches, one range after another, pages from 0 and their
   * counts from `capacity` (no more matches than that: the phrase's rarest word is on that many pages).
   */
  shared: Int32Array;
  capacity: number;
}

/** The worker's answer: the ranges it matched (where in `shared`), or why it stopped. */
export interface PhraseReply {
  id: number;
  ranges: [number, RangeMatches][];
  error?: string;
  corrupt?: boolean;
}

// state[PHASE]: a job is POSTED, then RUNNING in the worker and DONE, or CANCELLED by this thread
// when it finds every range taken before the worker looked at the job.
export const NEXT = 0;
export const PHASE = 1;
export const POSTED = 0;
export const RUNNING = 1;
export const DONE = 2;
export const CANCELLED = 3;

/** Takes the next range of a job: its number, or the range count when none is left. */
export function takeRange(state: Int32Array): number {
  return Atomics.add(state, NEXT, 1);
}

/** A message to the worker: a job, or an index closed here (its copy there is closed too). */
export type ToPhraseThread = PhraseJob | { closed: IndexFile };

let shared: PhraseThread | undefined;

/** The process's phrase thread: undefined the first time (it is started then, to help from the next phrase on). */
export function phraseThread(): PhraseThread | undefined {
  if (shared) return shared;
  shared = new PhraseThread();
  return undefined;
}

/** Tells the phrase thread, if there is one, that an index was closed here. */
export function indexClosed(reader: IndexReader): void {
  shared?.post({ closed: indexFile(reader) });
}

export function indexFile(reader: IndexReader): IndexFile {
  return { path: reader.path, size: reader.size, fileCrc: reader.fileCrc, cacheBytes: reader.partCacheLimit };
}

export class PhraseThread {
  /** Not there, failed or too slow: phrases are matched on one thread from then on. */
  broken = false;
  private readonly worker: Worker | undefined;
  private readonly receive: typeof import('node:worker_threads').receiveMessageOnPort | undefined;
  private readonly port: MessagePort | undefined;
  private lastId = 0;
  /** The memory jobs share with the worker for its matches, kept for the next job (grown when too small). */
  private matchMemory = new Int32Array(new SharedArrayBuffer(0));

  constructor() {
    const url = workerUrl('index-phrase.worker.js', import.meta.url);
    if (!url) {
      this.broken = true;
      return;
    }
    const { MessageChannel, Worker, receiveMessageOnPort } = workerThreads();
    this.receive = receiveMessageOnPort;
    const { port1, port2 } = new MessageChannel();
    const data: PhraseThreadData = { port: port2 };
    this.worker = new Worker(url, { workerData: data, transferList: [port2] });
    this.port = port1;
    // neither keeps the process alive: a search exits when its answer is written
    this.worker.unref();
    this.worker.on('error', () => (this.broken = true));
  }

  /**
   * Posts a phrase (found on `capacity` pages at most) to the worker; this thread then takes ranges
   * (takeRange) and calls finish(), and reads the worker's matches from the job's `shared` before the next job.
   */
  start(reader: IndexReader, terms: Uint8Array[], bounds: Int32Array, capacity: number): PhraseJob {
    if (this.matchMemory.length < 2 * capacity) this.matchMemory = new Int32Array(new SharedArrayBuffer(8 * capacity));
    const job: PhraseJob = { id: ++this.lastId, index: indexFile(reader), terms, bounds, state: new Int32Array(new SharedArrayBuffer(8)), shared: this.matchMemory, capacity };
    this.post(job);
    return job;
  }

  post(message: ToPhraseThread): void {
    if (!this.broken) this.port!.postMessage(message);
  }

  /**
   * Once this thread has found no range left: the ranges the worker matched and wrote into
   * `job.shared` (where, and how many: read them before the next job), none when it never started
   * the job. Waits for it to finish the range it is on, up to `ownMs` (what this thread's share
   * took) times 20 and at least 5 s; past that the worker is stopped and never used again. Throws
   * CorruptIndex when the worker found the index damaged.
   */
  finish(job: PhraseJob, ownMs: number): [number, RangeMatches][] {
    const state = job.state;
    if (Atomics.compareExchange(state, PHASE, POSTED, CANCELLED) === POSTED) return [];
    const deadline = performance.now() + Math.max(5000, 20 * ownMs);
    while (Atomics.load(state, PHASE) !== DONE) {
      const left = deadline - performance.now();
      if (left <= 0 || this.broken) {
        this.close();
        return [];
      }
      Atomics.wait(state, PHASE, RUNNING, left);
    }
    // the answer was posted before DONE was set; earlier jobs' answers (abandoned) are passed over
    for (let m = this.receive!(this.port!); m !== undefined; m = this.receive!(this.port!)) {
      const reply = m.message as PhraseReply;
      if (reply.id !== job.id) continue;
      if (reply.error !== undefined) {
        if (reply.corrupt) throw new CorruptIndex(reply.error);
        this.close();
      }
      return reply.ranges;
    }
    this.close();
    return [];
  }

  close(): void {
    this.broken = true;
    void this.worker?.terminate();
    this.port?.close();
  }
}
