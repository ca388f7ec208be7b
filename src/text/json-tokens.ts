// A token list encoded straight to UTF-8 JSON bytes (`["a","b"]`), byte for byte what JSON.stringify
// gives for the same strings. `ream tokenize` writes the tokens of a page this way: most tokens are
// ASCII slices of the page's lower-cased text, copied char by char without ever becoming a string,
// so the hot path allocates nothing per token and skips JSON.stringify's walk over the array.

export class JsonTokenList {
  /** The encoded list: bytes [0, length). */
  bytes: Buffer = Buffer.allocUnsafe(64 * 1024);
  length = 0;
  count = 0;

  /** Starts a new, empty list. */
  open(): void {
    this.length = 1;
    this.count = 0;
    this.bytes[0] = 0x5b; // [
  }

  close(): void {
    this.reserve(1);
    this.bytes[this.length++] = 0x5d; // ]
  }

  /**
   * Appends text[start, end) lower-cased (A-Z) as a token. The caller guarantees plain ASCII that
   * needs no escaping (letters, digits, apostrophes, . and ,: what the scanner puts in an ASCII word).
   */
  plainSlice(text: string, start: number, end: number): void {
    this.reserve(end - start + 3);
    const b = this.bytes;
    let at = this.length;
    if (this.count++ > 0) b[at++] = 0x2c; // ,
    b[at++] = 0x22; // "
    for (let i = start; i < end; i++) b[at++] = asciiLowerCode(text.charCodeAt(i));
    b[at++] = 0x22;
    this.length = at;
  }

  /** Appends any token string, escaped as JSON.stringify escapes it. */
  token(s: string): void {
    const n = s.length;
    this.reserve(3 * n + 3);
    const b = this.bytes;
    const begin = this.length;
    let at = begin;
    if (this.count > 0) b[at++] = 0x2c;
    b[at++] = 0x22;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c < 0x80) {
        if (c < 0x20 || c === 0x22 || c === 0x5c) return this.escaped(s, begin);
        b[at++] = c;
      } else if (c < 0x800) {
        b[at++] = 0xc0 | (c >> 6);
        b[at++] = 0x80 | (c & 0x3f);
      } else if (c >= 0xd800 && c <= 0xdfff) {
        const low = s.charCodeAt(i + 1);
        if (c >= 0xdc00 || !(low >= 0xdc00 && low <= 0xdfff)) return this.escaped(s, begin); // lone surrogate
        const cp = 0x10000 + ((c - 0xd800) << 10) + (low - 0xdc00);
        b[at++] = 0xf0 | (cp >> 18);
        b[at++] = 0x80 | ((cp >> 12) & 0x3f);
        b[at++] = 0x80 | ((cp >> 6) & 0x3f);
        b[at++] = 0x80 | (cp & 0x3f);
        i++;
      } else {
        b[at++] = 0xe0 | (c >> 12);
        b[at++] = 0x80 | ((c >> 6) & 0x3f);
        b[at++] = 0x80 | (c & 0x3f);
      }
    }
    b[at++] = 0x22;
    this.length = at;
    this.count++;
  }

  /** The rare token that needs escapes: JSON.stringify writes it, from `begin` on. */
  private escaped(s: string, begin: number): void {
    const json = (this.count > 0 ? ',' : '') + JSON.stringify(s);
    this.length = begin;
    this.reserve(Buffer.byteLength(json));
    this.length += this.bytes.write(json, this.length);
    this.count++;
  }

  /** Makes room for n more bytes after length. */
  reserve(n: number): void {
    if (this.length + n <= this.bytes.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.bytes.length * 2, this.length + n));
    this.bytes.copy(grown, 0, 0, this.length);
    this.bytes = grown;
  }
}

/** A-Z → a-z, any other code unchanged. */
export function asciiLowerCode(c: number): number {
  return c - 65 < 26 && c >= 65 ? c + 32 : c;
}
