// Token lists for a stream of texts, in input order, optionally (`threads` 2) computed on two cores
// once the input is large: the first WORKER_AFTER_CHARS characters are analyzed inline (a small run
// never pays for a thread's start-up); after that texts are batched, and each batch goes to one worker thread when it has room
// (at most two batches queued) or is analyzed by the calling thread itself. The work thus splits
// itself between the two threads, while the calling thread also parses the input and writes the
// output. Results are handed on strictly in input order.
import { availableParallelism } from 'node:os';
import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { workerUrl } from '../runtime/worker-url.js';
import type { Analyzer } from './analyzer.js';
import { JsonTokenList } from './json-tokens.js';

export interface BatchRequest {
  id: number;
  texts: string[];
}

/** What the worker thread is given: results go to `port`. */
export interface WorkerSetup {
  analyzer: string;
  port: MessagePort;
}

/** Token lists of a batch: list i is bytes[ends[i-1] (0 for i = 0), ends[i]), with counts[i] tokens. */
export interface BatchResult {
  bytes: Uint8Array;
  ends: Int32Array;
  counts: Int32Array;
}

/** Called for every text, in input order, with its token list as JSON bytes: bytes[start, end). */
export type ListHandler<T> = (item: T, bytes: Uint8Array, start: number, end: number, count: number) => void;

/** Characters of text per batch. */
const BATCH_CHARS = 256 * 1024;
/** Characters analyzed inline before a worker thread is started (`REAM_TOKENIZE_WORKER_AFTER` overrides). */
const WORKER_AFTER_CHARS = 8 * 1024 * 1024;
/**
 * Batches at most waiting behind one the worker has not finished: more means the worker has fallen
 * far behind (a machine busy with other work starves it). Its first batch also pays its start-up.
 */
const MAX_QUEUED = 8;
const MAX_QUEUED_AT_START = 64;
/** A partial batch waits at most this long for more input (`tail -f | ream tokenize`). */
const IDLE_MS = 50;

export function encodeBatch(analyzer: Analyzer, list: JsonTokenList, texts: readonly string[]): BatchResult {
  const ends = new Int32Array(texts.length);
  const counts = new Int32Array(texts.length);
  let bytes = new Uint8Array(BATCH_CHARS * 2);
  let used = 0;
  for (let i = 0; i < texts.length; i++) {
    analyzer.analyzeToJson(texts[i]!, list);
    if (used + list.length > bytes.length) {
      const grown = new Uint8Array(Math.max(bytes.length * 2, used + list.length));
      grown.set(bytes.subarray(0, used));
      bytes = grown;
    }
    bytes.set(list.bytes.subarray(0, list.length), used);
    used += list.length;
    ends[i] = used;
    counts[i] = list.count;
  }
  return { bytes, ends, counts };
}

interface Batch<T> {
  items: T[];
  texts: string[];
  result?: BatchResult;
}

export class TokenListPipeline<T> {
  private readonly list = new JsonTokenList();
  private readonly workerAfter: number;
  private inlineChars = 0;
  private worker: Worker | undefined;
  /** Where the worker's results arrive; read synchronously (the calling thread is busy, not waiting for events). */
  private results: MessagePort | undefined;
  private workerFailed = false;
  /** Whether the worker has posted a result yet (it is started and warm). */
  private workerAnswered = false;
  private finished = false;
  private inWorker = new Map<number, Batch<T>>();
  private nextId = 0;
  private items: T[] = [];
  private texts: string[] = [];
  private chars = 0;
  private readonly queue: Array<Batch<T>> = [];
  private idleTimer: NodeJS.Timeout | undefined;
  private addedSinceTick = false;
  /** Thrown by the handler while lists were handed on from a timer or event (e.g. OutputClosed): rethrown to the caller. */
  private error: unknown;

  /**
   * `threads`: 1 analyzes everything in the calling thread, 2 adds a worker thread for a large input.
   * `afterAsync` runs after lists were handed on outside add() (the caller flushes its output there).
   */
  constructor(
    private readonly analyzer: Analyzer,
    private readonly handle: ListHandler<T>,
    threads: number,
    private readonly afterAsync: () => void = () => {},
  ) {
    const after = Number(process.env.REAM_TOKENIZE_WORKER_AFTER);
    this.workerAfter = Number.isFinite(after) && after >= 0 && process.env.REAM_TOKENIZE_WORKER_AFTER !== '' ? after : WORKER_AFTER_CHARS;
    if (threads < 2 || availableParallelism() < 2) this.workerFailed = true;
  }

  /** Takes one text. */
  add(item: T, text: string): void {
    if (this.error !== undefined) throw this.error;
    if (this.queue.length === 0 && this.items.length === 0 && (this.workerFailed || this.inlineChars < this.workerAfter)) {
      this.inlineChars += text.length;
      this.analyzer.analyzeToJson(text, this.list);
      this.handle(item, this.list.bytes, 0, this.list.length, this.list.count);
      return;
    }
    this.items.push(item);
    this.texts.push(text);
    this.chars += text.length;
    this.addedSinceTick = true;
    this.idleTimer ??= setInterval(() => this.onTick(), IDLE_MS).unref();
    if (this.chars < BATCH_CHARS) return;
    this.submit();
    if (this.queue.length > (this.workerAnswered ? MAX_QUEUED : MAX_QUEUED_AT_START)) {
      // The worker has fallen far behind this thread (a machine busy with other work starves it):
      // its batches are done here, and so is the rest of the input.
      this.takeBackFromWorker();
      this.stopWorker();
    }
  }

  /** Hands on everything still pending; call once after the last add(). */
  finish(): void {
    if (this.error !== undefined) throw this.error;
    if (this.items.length > 0) this.submit();
    // Whatever the worker has not finished yet (at most two batches) is done here rather than waited for.
    this.takeBackFromWorker();
    clearInterval(this.idleTimer);
    this.idleTimer = undefined;
    this.stopWorker();
  }

  private stopWorker(): void {
    this.finished = true;
    void this.worker?.terminate();
    this.worker = undefined;
    this.workerFailed = true;
  }

  /** Analyzes here the batches still in the worker, and hands on everything. */
  private takeBackFromWorker(): void {
    this.poll();
    for (const batch of this.inWorker.values()) batch.result = encodeBatch(this.analyzer, this.list, batch.texts);
    this.inWorker.clear();
    this.handOnReady();
  }

  private submit(): void {
    const batch: Batch<T> = { items: this.items, texts: this.texts };
    this.items = [];
    this.texts = [];
    this.chars = 0;
    this.queue.push(batch);
    const worker = this.workerFailed ? undefined : (this.worker ??= this.startWorker());
    this.poll();
    if (worker && this.inWorker.size < 2) {
      const id = this.nextId++;
      this.inWorker.set(id, batch);
      worker.postMessage({ id, texts: batch.texts } satisfies BatchRequest);
    } else {
      batch.result = encodeBatch(this.analyzer, this.list, batch.texts);
    }
    this.handOnReady();
  }

  private handOnReady(): void {
    while (this.queue.length > 0 && this.queue[0]!.result) {
      const { items, result } = this.queue.shift()!;
      const { bytes, ends, counts } = result!;
      for (let i = 0; i < items.length; i++) this.handle(items[i]!, bytes, i === 0 ? 0 : ends[i - 1]!, ends[i]!, counts[i]!);
    }
  }

  /** Hands on what is ready from a timer or event handler, where nothing may throw. */
  private deliver(work: () => void): void {
    try {
      work();
      this.afterAsync();
    } catch (err) {
      this.error ??= err;
    }
  }

  /** A partial batch waiting while the input is quiet is sent on; finished worker results are handed on. */
  private onTick(): void {
    if (this.error !== undefined) return;
    const idle = !this.addedSinceTick;
    this.addedSinceTick = false;
    this.deliver(() => {
      if (idle && this.items.length > 0) this.submit();
      this.poll();
      this.handOnReady();
    });
  }

  /** Takes the results the worker has posted so far. */
  private poll(): void {
    if (!this.results) return;
    for (let m = receiveMessageOnPort(this.results); m !== undefined; m = receiveMessageOnPort(this.results)) {
      const result = m.message as BatchResult & { id: number };
      this.workerAnswered = true;
      const batch = this.inWorker.get(result.id);
      if (!batch) continue;
      this.inWorker.delete(result.id);
      batch.result = result;
    }
  }

  private startWorker(): Worker | undefined {
    const url = workerUrl('text-tokenize.worker.js', import.meta.url);
    if (!url) {
      this.workerFailed = true;
      return undefined;
    }
    const channel = new MessageChannel();
    const worker = new Worker(url, {
      workerData: { analyzer: this.analyzer.id, port: channel.port2 } satisfies WorkerSetup,
      transferList: [channel.port2],
    });
    worker.unref();
    this.results = channel.port1;
    // A thread that dies (out of memory, a bug) costs only speed: its batches are analyzed here.
    const fallBack = (): void => {
      if (this.workerFailed || this.finished) return;
      this.workerFailed = true;
      this.worker = undefined;
      this.deliver(() => this.takeBackFromWorker());
    };
    worker.on('error', fallBack);
    worker.on('exit', fallBack);
    return worker;
  }
}
