// Turns tokenized (or text) page records into pages to index: checks the fields, analyzes text
// records, and joins the chunk records of a long page (doc + page key) once all of them are in.
import type { JsonRecord } from '../stream/ndjson.js';
import { getAnalyzer, type Analyzer } from '../text/analyzer.js';
import type { PageInput } from './inverter.js';

/** A record that cannot be indexed (reported and skipped). */
export class BadRecord extends Error {
  override name = 'BadRecord';
  constructor(
    message: string,
    readonly reason: string,
  ) {
    super(message);
  }
}

interface PendingPage {
  doc: string;
  page: number | null;
  chunks: number;
  parts: { chunk: number; tokens: string[]; tokenOffset?: number; offset: number; text?: string }[];
  fields: string;
}

export interface AssemblerOptions {
  /** The index's analyzer id (from --analyzer or the first record); undefined until known. */
  analyzer?: string;
  storedFields: string[];
  storeText: boolean;
}

export class PageAssembler {
  analyzer: string | undefined;
  private analyzerImpl: Analyzer | undefined;
  private pending = new Map<string, PendingPage>();

  constructor(private readonly opts: AssemblerOptions) {
    this.analyzer = opts.analyzer;
  }

  /** The page this record completes (a whole page, or the last missing chunk), if any. */
  accept(r: JsonRecord): PageInput | undefined {
    const doc = r.doc;
    if (typeof doc !== 'string' || doc === '') throw new BadRecord('record has no "doc" string', 'bad_record');
    const page = r.page ?? null;
    if (page !== null && !(typeof page === 'number' && Number.isInteger(page) && page >= 0)) throw new BadRecord('"page" must be a whole number >= 0', 'bad_record');
    const recordAnalyzer = r.analyzer;
    if (recordAnalyzer !== undefined && typeof recordAnalyzer !== 'string') throw new BadRecord('"analyzer" must be a string', 'bad_record');
    let tokens: string[];
    if (Array.isArray(r.tokens)) {
      this.checkAnalyzer(recordAnalyzer ?? this.analyzer ?? getAnalyzer('standard').id);
      tokens = r.tokens as string[];
      for (let i = 0; i < tokens.length; i++) if (typeof tokens[i] !== 'string') throw new BadRecord('"tokens" must be an array of strings', 'bad_record');
    } else if (typeof r.text === 'string') {
      this.checkAnalyzer(recordAnalyzer ? getAnalyzer(recordAnalyzer).id : (this.analyzer ?? getAnalyzer('standard').id));
      this.analyzerImpl ??= getAnalyzer(this.analyzer!);
      tokens = this.analyzerImpl.analyze(r.text);
    } else if (r.tokens !== undefined) {
      throw new BadRecord('"tokens" must be an array of strings', 'bad_record');
    } else {
      throw new BadRecord(r.text === undefined ? 'record has neither "tokens" nor "text"' : '"text" must be a string', 'bad_record');
    }
    const text = this.opts.storeText && typeof r.text === 'string' ? r.text : undefined;
    const chunks = r.chunks;
    if (chunks === undefined || chunks === 1) {
      return { doc, page, fields: this.fields(r), text, parts: [{ tokens, start: typeof r.tokenOffset === 'number' ? r.tokenOffset : 0 }] };
    }
    const chunk = r.chunk;
    if (!(typeof chunks === 'number' && Number.isInteger(chunks) && chunks > 1 && typeof chunk === 'number' && Number.isInteger(chunk) && chunk >= 0 && chunk < chunks)) {
      throw new BadRecord('"chunk"/"chunks" must be whole numbers with 0 <= chunk < chunks', 'bad_record');
    }
    const key = `${doc}\u0000${page}`;
    let p = this.pending.get(key);
    if (!p) this.pending.set(key, (p = { doc, page, chunks, parts: [], fields: '' }));
    if (p.parts.some((x) => x.chunk === chunk)) throw new BadRecord(`chunk ${chunk} of page ${page} seen twice`, 'bad_record');
    if (chunk === 0 || p.fields === '') p.fields = this.fields(r);
    p.parts.push({ chunk, tokens, tokenOffset: typeof r.tokenOffset === 'number' ? r.tokenOffset : undefined, offset: typeof r.offset === 'number' ? r.offset : 0, text });
    if (p.parts.length < p.chunks) return undefined;
    this.pending.delete(key);
    p.parts.sort((a, b) => a.chunk - b.chunk);
    let next = 0;
    const parts = p.parts.map((x) => {
      const start = x.tokenOffset ?? next;
      next = start + x.tokens.length;
      return { tokens: x.tokens, start };
    });
    const texts = p.parts.filter((x) => x.text !== undefined);
    const joined = this.opts.storeText && texts.length > 0 ? texts.sort((a, b) => a.offset - b.offset).map((x) => x.text).join('') : undefined;
    return { doc: p.doc, page: p.page, fields: p.fields, text: joined, parts };
  }

  /** Pages still missing chunks at the end of the input. */
  incomplete(): { doc: string; page: number | null; have: number; chunks: number }[] {
    return [...this.pending.values()].map((p) => ({ doc: p.doc, page: p.page, have: p.parts.length, chunks: p.chunks }));
  }

  private checkAnalyzer(id: string): void {
    if (this.analyzer === undefined) this.analyzer = id;
    else if (id !== this.analyzer) throw new BadRecord(`analyzer ${id} differs from the index's ${this.analyzer}; one analyzer per index`, 'analyzer_mismatch');
  }

  private fields(r: JsonRecord): string {
    const picked: JsonRecord = {};
    let any = false;
    for (const f of this.opts.storedFields) {
      if (r[f] !== undefined) {
        picked[f] = r[f];
        any = true;
      }
    }
    return any ? JSON.stringify(picked) : '';
  }
}
