// Supervises the worker threads that parse PDFs: one document per worker at a time, a time limit per
// document (pdf.js runs synchronously, so only terminating its thread can stop it), a heap limit per
// worker, and a fresh worker after N documents. A hung, huge or crashing PDF costs its own time limit
// and nothing else: its failure is reported and the next document goes to a new worker.
import { Worker } from 'node:worker_threads';
import { workerUrl } from '../runtime/worker-url.js';
import { timeoutMessage, type DocumentMeta, type ExtractJob, type FailureReason, type PageResult, type SupervisorMessage, type WorkerMessage } from './protocol.js';

export interface PoolOptions {
  /** Worker threads (documents parsed at once). */
  workers: number;
  /** Time limit in ms for a document, given its page count (undefined while it is being opened). */
  timeLimitMs(pages: number | undefined): number;
  /** Heap limit per worker, MB. */
  memoryMb: number;
  /** Documents a worker parses before it is replaced (bounds leaks and fragmentation). */
  recycleAfter: number;
  /** The bundled worker script; found next to the bundle by default. */
  workerUrl?: URL;
}

/** What the supervisor reports about a document, in order: open, pages…, then done or failed. */
export interface DocumentSink {
  open(job: ExtractJob, pages: number, meta: DocumentMeta | undefined): void;
  page(job: ExtractJob, result: PageResult): void;
  info(job: ExtractJob, record: Record<string, unknown>): void;
  done(job: ExtractJob, seconds: number, warning?: string): void;
  failed(job: ExtractJob, reason: FailureReason, message: string, seconds: number): void;
}

export function defaultWorkerUrl(): URL {
  const found = workerUrl('pdf-extract.worker.js', import.meta.url);
  if (!found) throw new Error('pdf-extract.worker.js not found: run `node build.mjs`');
  return found;
}

interface Running {
  job: ExtractJob;
  startedAt: number;
  pages?: number;
  /** Time the supervisor spent blocked writing this document's output (not the worker's fault). */
  blockedMs: number;
  timer?: NodeJS.Timeout;
  settle(): void;
}

class Slot {
  private worker?: Worker;
  private written?: Int32Array;
  private documents = 0;
  private running?: Running;
  /** Settles when the current worker has loaded pdf.js (or died trying): its start-up is not a document's time. */
  private ready: Promise<void> = Promise.resolve();
  private markReady: () => void = () => {};
  private loadError?: string;

  constructor(private readonly opts: PoolOptions, private readonly url: URL, private readonly sink: DocumentSink) {
    this.spawn();
  }

  private spawn(): void {
    const shared = new SharedArrayBuffer(4);
    this.written = new Int32Array(shared);
    this.documents = 0;
    this.loadError = undefined;
    this.ready = new Promise((resolve) => (this.markReady = resolve));
    const worker = new Worker(this.url, {
      workerData: { written: shared },
      resourceLimits: { maxOldGenerationSizeMb: this.opts.memoryMb },
      // pdf.js may print; a worker must never write to the command's stdout or stderr directly.
      stdout: true,
      stderr: true,
    });
    worker.stdout.resume();
    worker.stderr.on('data', (chunk: Buffer) => {
      if (process.env.REAM_DEBUG) process.stderr.write(chunk);
    });
    worker.on('message', (m: WorkerMessage) => this.onMessage(worker, m));
    worker.on('error', (err: Error & { code?: string }) => {
      if (worker !== this.worker) return;
      this.loadError ??= `parser crashed: ${err.message}`;
      this.markReady();
      const oom = err.code === 'ERR_WORKER_OUT_OF_MEMORY';
      this.fail(oom ? 'out_of_memory' : 'crashed', oom ? `out of memory (over ${this.opts.memoryMb} MB heap; --max-memory)` : `parser crashed: ${err.message}`);
    });
    worker.on('exit', () => {
      if (worker !== this.worker) return;
      this.loadError ??= 'parser thread exited';
      this.markReady();
      this.worker = undefined;
      this.fail('crashed', 'parser thread exited');
    });
    worker.unref();
    this.worker = worker;
  }

  private retire(): void {
    const w = this.worker;
    this.worker = undefined;
    if (w) void w.terminate();
  }

  /** Parses one document; resolves when it is done or has failed (never rejects). */
  async run(job: ExtractJob): Promise<void> {
    if (!this.worker) this.spawn();
    await this.ready;
    if (!this.worker) {
      // The fresh worker died before it could take a job (pdf.js failed to load): report, start over next time.
      this.sink.failed(job, 'crashed', this.loadError ?? 'parser thread exited', 0);
      return;
    }
    return new Promise((resolve) => {
      const running: Running = { job, startedAt: performance.now(), blockedMs: 0, settle: resolve };
      this.running = running;
      this.arm(running);
      this.post({ type: 'job', job });
    });
  }

  close(): void {
    this.retire();
  }

  /** Stops at once (the reader of our output has gone): no report, the current document settles. */
  abort(): void {
    const r = this.running;
    this.retire();
    if (!r) return;
    clearTimeout(r.timer);
    this.running = undefined;
    r.settle();
  }

  private post(m: SupervisorMessage): void {
    this.worker!.postMessage(m);
  }

  private arm(r: Running): void {
    clearTimeout(r.timer);
    const limit = this.opts.timeLimitMs(r.pages);
    const left = limit - (performance.now() - r.startedAt - r.blockedMs);
    r.timer = setTimeout(() => {
      if (this.running !== r) return;
      const used = performance.now() - r.startedAt - r.blockedMs;
      if (used < limit) return this.arm(r);
      this.retire();
      this.fail('timeout', timeoutMessage(limit, r.pages));
    }, Math.max(1, left));
  }

  private seconds(r: Running): number {
    return (performance.now() - r.startedAt) / 1000;
  }

  private finish(r: Running): void {
    clearTimeout(r.timer);
    this.running = undefined;
    if (++this.documents >= this.opts.recycleAfter && this.worker) {
      this.retire();
      this.spawn();
    }
    r.settle();
  }

  private fail(reason: FailureReason, message: string): void {
    const r = this.running;
    if (!r) return;
    this.retire();
    this.sink.failed(r.job, reason, message, this.seconds(r));
    clearTimeout(r.timer);
    this.running = undefined;
    r.settle();
  }

  private onMessage(worker: Worker, m: WorkerMessage): void {
    if (worker !== this.worker) return;
    if (m.type === 'ready') return this.markReady();
    if (m.type === 'failed' && m.id === -1) {
      // The worker could not even load pdf.js: retire it; the waiting document is reported as failed.
      this.loadError = m.message;
      this.retire();
      return this.markReady();
    }
    const r = this.running;
    if (!r || m.id !== r.job.id) return;
    const t0 = performance.now();
    switch (m.type) {
      case 'open':
        r.pages = m.pages;
        this.arm(r);
        this.sink.open(r.job, m.pages, m.meta);
        break;
      case 'page':
        try {
          this.sink.page(r.job, m.result);
        } finally {
          Atomics.add(this.written!, 0, 1);
          Atomics.notify(this.written!, 0);
        }
        break;
      case 'info':
        this.sink.info(r.job, m.record);
        break;
      case 'done':
        this.sink.done(r.job, this.seconds(r), m.warning);
        this.finish(r);
        return;
      case 'failed':
        this.sink.failed(r.job, m.reason, m.message, this.seconds(r));
        this.finish(r);
        return;
    }
    r.blockedMs += performance.now() - t0;
  }
}

/**
 * Parses every job from `jobs` with `opts.workers` threads, reporting to `sink`. Resolves once all
 * are done; rejects only if the sink throws (e.g. OutputClosed when the reader has gone).
 */
export async function extractAll(jobs: AsyncIterable<ExtractJob>, sink: DocumentSink, opts: PoolOptions): Promise<void> {
  const url = opts.workerUrl ?? defaultWorkerUrl();
  let sinkError: unknown;
  const guarded: DocumentSink = {
    open: (...a) => guard(() => sink.open(...a)),
    page: (...a) => guard(() => sink.page(...a)),
    info: (...a) => guard(() => sink.info(...a)),
    done: (...a) => guard(() => sink.done(...a)),
    failed: (...a) => guard(() => sink.failed(...a)),
  };
  function guard(f: () => void): void {
    if (sinkError !== undefined) return;
    try {
      f();
    } catch (err) {
      sinkError = err;
      for (const s of slots) s.abort();
    }
  }
  const slots = Array.from({ length: opts.workers }, () => new Slot(opts, url, guarded));
  const it = jobs[Symbol.asyncIterator]();
  try {
    await Promise.all(
      slots.map(async (slot) => {
        for (;;) {
          if (sinkError !== undefined) return;
          const next = await it.next();
          if (next.done) return;
          await slot.run(next.value);
        }
      }),
    );
  } finally {
    for (const s of slots) s.close();
  }
  if (sinkError !== undefined) throw sinkError;
}
