// Building an index with bounded memory: pages go into an in-memory inverter; past the memory budget
// the inverter is written out as a run (a temp file next to the output, its postings as they are in
// memory: runs.ts) and emptied; at the end the runs are merged into the output, each term coded
// once. A build that fits in memory writes the output directly.
import { unlinkSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Inverter, type PageInput, type TokenRanges } from './inverter.js';
import { mergeRuns, runFiles, writeRun } from './runs.js';
import { IndexWriter } from './codec/writer.js';
import { tempPathFor } from '../stream/atomic.js';
import type { Stats } from './codec/layout.js';

/** A full garbage collection, through the flag Node does not expose by default. */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  gc();
  gc();
}

export interface BuildOptions {
  analyzer: string;
  storedFields: string[];
  storeText: boolean;
  /** Memory budget in bytes for the whole process; the inverter gets half (V8 and the input need the rest). */
  memoryBytes: number;
  /** See WriterOptions (tests make it tiny). */
  positionsInMemory?: number;
}

export interface BuildResult extends Stats {
  bytes: number;
  runs: number;
}

export class IndexBuilder {
  private inverter: Inverter;
  private readonly runs: string[] = [];
  private readonly budget: number;

  constructor(
    readonly out: string,
    readonly options: BuildOptions,
  ) {
    this.budget = options.memoryBytes * 0.45;
    this.inverter = new Inverter(this.budget);
  }

  add(page: PageInput): void {
    let tokens = 0;
    for (const part of page.parts) tokens += part.tokens.length;
    if (this.inverter.wouldOverflow(tokens)) this.flushRun();
    this.inverter.add(page);
    if (this.inverter.memory > this.budget) this.flushRun();
  }

  /** Adds a page whose tokens are still inside its JSON line (the fast path of `ream index`). */
  addRanges(page: PageInput, tokens: TokenRanges): void {
    if (this.inverter.wouldOverflow(tokens.count)) this.flushRun();
    this.inverter.addRanges(page, tokens, page.parts[0]?.start ?? 0);
    if (this.inverter.memory > this.budget) this.flushRun();
  }

  private write(path: string): Stats & { bytes: number } {
    const writer = new IndexWriter(path, this.options);
    try {
      const { docs, terms } = this.inverter.drain();
      for (const d of docs) writer.addDoc(d);
      for (const { term, list } of terms) writer.addTerm(Buffer.from(term, 'utf8'), list);
      const stats = writer.finish();
      return { ...stats, bytes: writer.bytesWritten };
    } catch (err) {
      writer.abort();
      throw err;
    } finally {
      this.inverter.reset();
    }
  }

  private flushRun(): void {
    const path = tempPathFor(`${this.out}.run${this.runs.length}`);
    this.runs.push(path);
    try {
      const { docs, terms } = this.inverter.drain();
      writeRun(path, docs, terms, this.options.storeText);
    } finally {
      this.inverter.reset();
    }
  }

  /** Writes the output (merging the runs, if any) and removes the runs. */
  finish(): BuildResult {
    if (this.runs.length === 0) return { ...this.write(this.out), runs: 1 };
    try {
      if (this.inverter.docCount > 0) this.flushRun();
      // the merge needs memory of its own: let the pool go first, and now, not at V8's next full
      // collection (the pool's touched pages would otherwise add to the merge's)
      this.inverter = new Inverter(0);
      collectGarbage();
      return { ...mergeRuns(this.runs, this.out, this.options), runs: this.runs.length };
    } finally {
      this.abort();
    }
  }

  /** Removes the runs written so far. */
  abort(): void {
    for (const p of this.runs.splice(0).flatMap(runFiles)) {
      try {
        unlinkSync(p);
      } catch {
        // already gone
      }
    }
  }
}
