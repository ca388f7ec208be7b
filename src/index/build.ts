// Building an index with bounded memory: pages go into an in-memory inverter; past the memory budget
// the inverter is written out as a run (an ordinary index file next to the output) and emptied; at
// the end the runs are merged into the output. A build that fits in memory writes the output directly.
import { unlinkSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Inverter, type PageInput, type TokenRanges } from './inverter.js';
import { mergeIndexes } from './merge.js';
import { IndexReader } from './codec/reader.js';
import { IndexWriter, tempPathFor } from './codec/writer.js';
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
    this.write(path);
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
      const readers = this.runs.map((p) => IndexReader.open(p));
      try {
        return { ...mergeIndexes(readers, this.out, { replace: 'page' }), runs: this.runs.length };
      } finally {
        for (const r of readers) r.close();
      }
    } finally {
      this.abort();
    }
  }

  /** Removes the runs written so far. */
  abort(): void {
    for (const p of this.runs.splice(0)) {
      try {
        unlinkSync(p);
      } catch {
        // already gone
      }
    }
  }
}
