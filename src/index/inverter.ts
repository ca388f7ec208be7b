// The in-memory half of building: pages in, per-term postings out, in a run of bounded size.
// The hot path appends one term id per token to a flat log (no per-term buffers, no allocation);
// a run is turned into postings by a counting sort of the log by term id, which leaves every
// term's tokens in document and position order (Lucene's and FTS5's in-memory hashes trade
// that sort for growing per-term byte slices; a flat log is simpler and faster in JavaScript).
import { compareDocKeys, compareUtf8 } from './keys.js';
import type { PostingList } from './codec/postings.js';
import type { StoredDoc } from './codec/writer.js';

/** A page to index: its tokens come in parts (one per chunk) placed at token offset `start`. */
export interface PageInput {
  doc: string;
  page: number | null;
  fields: string;
  text?: string;
  parts: { tokens: readonly string[]; start: number }[];
}

/** Bytes counted per document besides its strings (StoredDoc object, arrays). */
const DOC_OVERHEAD_BYTES = 120;
/** Bytes per term besides its characters: hash slot, hash, key start/length, count. */
const TERM_BYTES = 4 * 6;
/** Bytes per token: its term id in the log, plus the same again for the sort at drain time. */
const TOKEN_BYTES = 8;

/** Token boundaries inside a JSON line: token k is line.slice(starts[k], ends[k]) (escaped when flagged). */
export interface TokenRanges {
  line: string;
  starts: Int32Array;
  ends: Int32Array;
  count: number;
  /** True when some token holds a backslash escape (those are decoded with JSON.parse). */
  escaped: boolean;
}

function growInts(a: Int32Array<ArrayBuffer>, min: number): Int32Array<ArrayBuffer> {
  const next = new Int32Array(Math.max(min, Math.ceil(a.length * 1.5)));
  next.set(a);
  return next;
}

export class Inverter {
  // Terms live in flat arrays indexed by term id; their characters (UTF-16 code units) in one pool,
  // so the open-addressing hash table compares tokens still inside the JSON line without making a
  // string, and no term keeps its line alive (a sliced string would retain the whole line).
  private slots = new Int32Array(1 << 16);
  private hashes = new Int32Array(1 << 15);
  private keyStart = new Int32Array(1 << 15);
  private keyLen = new Int32Array(1 << 15);
  private cf = new Int32Array(1 << 15);
  private chars = new Uint16Array(1 << 18);
  private charsUsed = 0;
  private termCount = 0;
  // The token log: term id per token; per document, where its tokens start and its first position.
  private log: Int32Array<ArrayBuffer>;
  private tokens = 0;
  private docStart = new Int32Array(1 << 10);
  private docFirstPos = new Int32Array(1 << 10);
  /** Position per token, kept only once a page's parts are not contiguous. */
  private explicitPos: Int32Array<ArrayBuffer> | undefined;
  readonly docs: StoredDoc[] = [];
  /** Approximate bytes held. */
  memory = 0;

  /** `budgetBytes`: the memory the caller lets this run hold; the token log is sized for it up front (untouched pages cost nothing), so it never grows by copying. */
  constructor(budgetBytes = 1 << 20) {
    this.log = new Int32Array(Math.max(1 << 12, Math.floor(budgetBytes / TOKEN_BYTES)));
  }

  get docCount(): number {
    return this.docs.length;
  }

  private startDoc(page: PageInput, length: number, firstPos: number): number {
    const id = this.docs.length;
    this.docs.push({ doc: page.doc, page: page.page, length, fields: page.fields, text: page.text });
    this.memory += DOC_OVERHEAD_BYTES + 2 * (page.doc.length + page.fields.length + (page.text?.length ?? 0)) + TOKEN_BYTES * length;
    if (id + 1 >= this.docStart.length) {
      this.docStart = growInts(this.docStart, id + 2);
      this.docFirstPos = growInts(this.docFirstPos, id + 2);
    }
    this.docStart[id] = this.tokens;
    this.docFirstPos[id] = firstPos;
    this.docStart[id + 1] = this.tokens + length;
    if (this.tokens + length > this.log.length) {
      this.log = growInts(this.log, this.tokens + length);
      if (this.explicitPos) this.explicitPos = growInts(this.explicitPos, this.log.length);
    }
    return id;
  }

  add(page: PageInput): void {
    let length = 0;
    let contiguous = true;
    for (const part of page.parts) {
      if (part.start !== (page.parts[0]?.start ?? 0) + length) contiguous = false;
      length += part.tokens.length;
    }
    this.startDoc(page, length, page.parts[0]?.start ?? 0);
    if (!contiguous) this.usePositions();
    const log = this.log;
    for (const part of page.parts) {
      const tokens = part.tokens;
      for (let i = 0, n = tokens.length; i < n; i++) {
        const token = tokens[i]!;
        if (this.explicitPos) this.explicitPos[this.tokens] = part.start + i;
        const t = this.termOf(token, 0, token.length);
        this.cf[t]!++;
        log[this.tokens++] = t;
      }
    }
  }

  /** Adds a page whose tokens are still inside its JSON line (see scanTokens). */
  addRanges(page: PageInput, r: TokenRanges, start: number): void {
    this.startDoc(page, r.count, start);
    const { line, starts, ends } = r;
    const log = this.log;
    const explicit = this.explicitPos;
    for (let i = 0; i < r.count; i++) {
      let t: number;
      const backslash = r.escaped ? line.indexOf('\\', starts[i]!) : -1;
      if (backslash >= 0 && backslash < ends[i]!) {
        const token = JSON.parse(line.slice(starts[i]! - 1, ends[i]! + 1)) as string;
        t = this.termOf(token, 0, token.length);
      } else t = this.termOf(line, starts[i]!, ends[i]!);
      this.cf[t]!++;
      if (explicit) explicit[this.tokens] = start + i;
      log[this.tokens++] = t;
    }
  }

  /** From now on, positions are kept per token (filled in for the tokens so far). */
  private usePositions(): void {
    if (this.explicitPos) return;
    const pos = new Int32Array(this.log.length);
    for (let d = 0; d < this.docs.length - 1; d++) {
      for (let k = this.docStart[d]!, p = this.docFirstPos[d]!; k < this.docStart[d + 1]!; k++) pos[k] = p++;
    }
    this.explicitPos = pos;
    this.memory += 4 * this.log.length;
  }

  /** The id of the term text.slice(from, to), created when new. */
  private termOf(text: string, from: number, to: number): number {
    let h = 0x811c9dc5 | 0;
    for (let i = from; i < to; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
    const slots = this.slots;
    const mask = slots.length - 1;
    const len = to - from;
    const hashes = this.hashes;
    const chars = this.chars;
    for (let at = h & mask; ; at = (at + 1) & mask) {
      const slot = slots[at]!;
      if (slot === 0) break;
      const t = slot - 1;
      if (hashes[t] !== h || this.keyLen[t] !== len) continue;
      const k = this.keyStart[t]!;
      let same = true;
      for (let i = 0; i < len; i++) {
        if (chars[k + i] !== text.charCodeAt(from + i)) {
          same = false;
          break;
        }
      }
      if (same) return t;
    }
    return this.newTerm(text, from, to, h);
  }

  private newTerm(text: string, from: number, to: number, h: number): number {
    const id = this.termCount++;
    if (id === this.hashes.length) {
      const n = id * 2;
      this.hashes = growInts(this.hashes, n);
      this.keyStart = growInts(this.keyStart, n);
      this.keyLen = growInts(this.keyLen, n);
      this.cf = growInts(this.cf, n);
    }
    const len = to - from;
    if (this.charsUsed + len > this.chars.length) {
      const next = new Uint16Array(Math.max(this.charsUsed + len, this.chars.length * 2));
      next.set(this.chars);
      this.chars = next;
    }
    for (let i = 0; i < len; i++) this.chars[this.charsUsed + i] = text.charCodeAt(from + i);
    this.hashes[id] = h;
    this.keyStart[id] = this.charsUsed;
    this.keyLen[id] = len;
    this.cf[id] = 0;
    this.charsUsed += len;
    this.insertSlot(h, id + 1);
    this.memory += TERM_BYTES + 2 * len;
    if (this.termCount * 2 > this.slots.length) this.rehash();
    return id;
  }

  private insertSlot(h: number, value: number): void {
    const mask = this.slots.length - 1;
    let at = h & mask;
    while (this.slots[at] !== 0) at = (at + 1) & mask;
    this.slots[at] = value;
  }

  private rehash(): void {
    this.memory += this.slots.length * 4;
    this.slots = new Int32Array(this.slots.length * 2);
    for (let i = 0; i < this.termCount; i++) this.insertSlot(this.hashes[i]!, i + 1);
  }

  private key(t: number): string {
    const k = this.keyStart[t]!;
    return String.fromCharCode.apply(null, this.chars.subarray(k, k + this.keyLen[t]!) as unknown as number[]);
  }

  /**
   * The run in index order: documents sorted by key (the last of equal keys wins), terms in byte
   * order with their postings remapped to the sorted ids.
   */
  drain(): { docs: StoredDoc[]; terms: Generator<{ term: string; list: PostingList }, void, void> } {
    const remap = this.sortDocs();
    return { docs: this.docs, terms: this.drainTerms(remap) };
  }

  private *drainTerms(remap: Int32Array | undefined): Generator<{ term: string; list: PostingList }, void, void> {
    const termCount = this.termCount;
    const keys: string[] = new Array<string>(termCount);
    let surrogates = false;
    for (let t = 0; t < termCount; t++) {
      const key = (keys[t] = this.key(t));
      if (!surrogates) for (let i = 0; i < key.length; i++) if ((key.charCodeAt(i) & 0xf800) === 0xd800) surrogates = true;
    }
    const ids = Array.from({ length: termCount }, (_, i) => i);
    if (surrogates) ids.sort((a, b) => compareUtf8(keys[a]!, keys[b]!));
    else ids.sort((a, b) => (keys[a]! < keys[b]! ? -1 : keys[a]! > keys[b]! ? 1 : 0));
    this.slots = new Int32Array(1);
    this.chars = new Uint16Array(0);
    // counting sort of the token log by term id: sorted[first[t] ..] = term t's token indexes, ascending
    const first = new Int32Array(termCount + 1);
    for (let t = 0, at = 0; t < termCount; t++) {
      first[t] = at;
      at += this.cf[t]!;
    }
    first[termCount] = this.tokens;
    const fill = first.slice(0, termCount);
    const sorted = new Int32Array(this.tokens);
    const log = this.log;
    for (let k = 0, n = this.tokens; k < n; k++) sorted[fill[log[k]!]!++] = k;
    this.log = new Int32Array(0);
    const docStart = this.docStart;
    const docFirstPos = this.docFirstPos;
    const explicit = this.explicitPos;
    const docCount = this.docs.length;
    let docs = new Int32Array(1024);
    let tfs = new Int32Array(1024);
    let posStarts = new Int32Array(1025);
    let positions = new Uint8Array(4096);
    for (let k = 0; k < termCount; k++) {
      const t = ids[k]!;
      const from = first[t]!;
      const to = first[t + 1]!;
      if (to - from + 1 > posStarts.length) {
        docs = new Int32Array((to - from) * 2);
        tfs = new Int32Array((to - from) * 2);
        posStarts = new Int32Array((to - from) * 2 + 1);
      }
      if ((to - from) * 5 > positions.length) positions = new Uint8Array((to - from) * 10);
      let n = -1;
      let doc = -1;
      let end = 0;
      let at = 0;
      let lastPos = 0;
      for (let j = from; j < to; j++) {
        const token = sorted[j]!;
        if (token >= end) {
          // the document holding this token: gallop forward from the current one
          let lo = doc + 1;
          let step = 1;
          while (lo + step < docCount && docStart[lo + step]! <= token) {
            lo += step;
            step *= 2;
          }
          let hi = Math.min(lo + step, docCount);
          while (hi - lo > 1) {
            const mid = (lo + hi) >>> 1;
            if (docStart[mid]! <= token) lo = mid;
            else hi = mid;
          }
          doc = lo;
          end = docStart[doc + 1]!;
          docs[++n] = doc;
          tfs[n] = 0;
          posStarts[n] = at;
          lastPos = 0;
        }
        tfs[n]!++;
        const pos = explicit ? explicit[token]! : docFirstPos[doc]! + (token - docStart[doc]!);
        let v = pos - lastPos;
        lastPos = pos;
        while (v >= 0x80) {
          positions[at++] = (v & 0x7f) | 0x80;
          v >>>= 7;
        }
        positions[at++] = v;
      }
      const count = n + 1;
      posStarts[count] = at;
      const list = { count, docs, tfs, positions, posStarts };
      yield { term: keys[t]!, list: remap ? remapList(list, remap) : list };
    }
  }

  /** Sorts this.docs by key; returns old id → new id (-1 dropped), or undefined when already sorted. */
  private sortDocs(): Int32Array | undefined {
    const docs = this.docs;
    let sorted = true;
    for (let i = 1; i < docs.length && sorted; i++) if (compareDocKeys(docs[i - 1]!, docs[i]!) >= 0) sorted = false;
    if (sorted) return undefined;
    const order = docs.map((_, i) => i);
    order.sort((a, b) => compareDocKeys(docs[a]!, docs[b]!) || a - b);
    const remap = new Int32Array(docs.length).fill(-1);
    const kept: StoredDoc[] = [];
    for (let k = 0; k < order.length; k++) {
      const next = order[k + 1];
      // equal keys: keep the last one to arrive (re-indexing a page replaces it)
      if (next !== undefined && compareDocKeys(docs[order[k]!]!, docs[next]!) === 0) continue;
      remap[order[k]!] = kept.length;
      kept.push(docs[order[k]!]!);
    }
    this.docs.length = 0;
    this.docs.push(...kept);
    return remap;
  }
}

/** The list with its documents renumbered (dropped ones, -1, left out) and sorted by new id. */
function remapList(list: PostingList, remap: Int32Array): PostingList {
  const { count: n, docs, tfs, posStarts: starts, positions } = list;
  const idx: number[] = [];
  for (let i = 0; i < n; i++) if (remap[docs[i]!]! >= 0) idx.push(i);
  idx.sort((a, b) => remap[docs[a]!]! - remap[docs[b]!]!);
  const out = { count: idx.length, docs: new Int32Array(idx.length), tfs: new Int32Array(idx.length), posStarts: new Int32Array(idx.length + 1), positions: new Uint8Array(starts[n]!) };
  let at = 0;
  idx.forEach((i, k) => {
    out.docs[k] = remap[docs[i]!]!;
    out.tfs[k] = tfs[i]!;
    out.posStarts[k] = at;
    out.positions.set(positions.subarray(starts[i]!, starts[i + 1]!), at);
    at += starts[i + 1]! - starts[i]!;
  });
  out.posStarts[idx.length] = at;
  return out;
}
