// The top-level members of an NDJSON line, found in its bytes without parsing it: for a command that
// copies most of a record through unchanged (`ream tokenize`) and wants to skip JSON.parse and
// JSON.stringify. A line is accepted only when copying its members' bytes gives exactly what
// JSON.stringify(JSON.parse(line)) would write ("canonical" JSON: no spaces, strings escaped as
// JSON.stringify escapes them, numbers as it prints them, no duplicate or integer-like keys, whose
// order JSON.parse would change). Anything else is refused, and the caller parses the line as usual.

export const enum ValueKind {
  String = 1,
  Number = 2,
  /** true, false */
  Boolean = 3,
  Null = 4,
  Array = 5,
  Object = 6,
}

/** Members an object may have before the line is refused (duplicate keys are checked pairwise). */
const MAX_MEMBERS = 64;
/** Nesting depth of arrays and objects before the line is refused. */
const MAX_DEPTH = 32;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** The members of the last line scanned: key bytes [keyStart, keyEnd) without quotes, value bytes [valueStart, valueEnd). */
export class JsonMembers {
  count = 0;
  readonly keyStart = new Int32Array(MAX_MEMBERS);
  readonly keyEnd = new Int32Array(MAX_MEMBERS);
  readonly valueStart = new Int32Array(MAX_MEMBERS);
  readonly valueEnd = new Int32Array(MAX_MEMBERS);
  readonly kind = new Uint8Array(MAX_MEMBERS);
  private readonly nestedKeys: number[] = [];

  /**
   * Scans the object line buf[start, end). `opaqueKey`: the member with this key (UTF-8 bytes) may
   * hold any string, escaped any valid way or not, as the caller decodes it rather than copying it; its
   * content is NOT validated here (the caller must). Returns false when the line is not canonical
   * JSON as described above (or not an object).
   */
  scan(buf: Uint8Array, start: number, end: number, opaqueKey?: Uint8Array): boolean {
    this.count = 0;
    let i = start;
    if (buf[i] !== 0x7b) return false;
    i++;
    if (buf[i] === 0x7d) return i + 1 === end;
    for (;;) {
      if (buf[i] !== QUOTE || this.count === MAX_MEMBERS) return false;
      const keyStart = i + 1;
      const keyEnd = plainKeyEnd(buf, keyStart, end);
      if (keyEnd < 0) return false;
      for (let m = 0; m < this.count; m++) if (sameBytes(buf, keyStart, keyEnd, buf, this.keyStart[m]!, this.keyEnd[m]!)) return false;
      i = keyEnd + 1;
      if (buf[i] !== 0x3a) return false;
      i++;
      const valueStart = i;
      let kind: number;
      if (opaqueKey !== undefined && buf[i] === QUOTE && sameBytes(buf, keyStart, keyEnd, opaqueKey, 0, opaqueKey.length)) {
        i = stringEnd(buf, i + 1, end);
        kind = ValueKind.String;
      } else {
        kind = kindAt(buf[i]!);
        i = this.value(buf, i, end, 0);
      }
      if (i < 0) return false;
      const m = this.count++;
      this.keyStart[m] = keyStart;
      this.keyEnd[m] = keyEnd;
      this.valueStart[m] = valueStart;
      this.valueEnd[m] = i;
      this.kind[m] = kind;
      const c = buf[i];
      if (c === 0x7d) return i + 1 === end;
      if (c !== 0x2c) return false;
      i++;
    }
  }

  /** Index of the member whose key is `key` (UTF-8 bytes), or -1. */
  find(buf: Uint8Array, key: Uint8Array): number {
    for (let m = 0; m < this.count; m++) if (sameBytes(buf, this.keyStart[m]!, this.keyEnd[m]!, key, 0, key.length)) return m;
    return -1;
  }

  /** A canonical value at buf[i]: the index after it, or -1. */
  private value(buf: Uint8Array, i: number, end: number, depth: number): number {
    const c = buf[i];
    if (c === QUOTE) return canonicalStringEnd(buf, i + 1, end);
    if (c === 0x2d || (c! >= 0x30 && c! <= 0x39)) return canonicalNumberEnd(buf, i, end);
    if (c === 0x74) return literalEnd(buf, i, end, TRUE);
    if (c === 0x66) return literalEnd(buf, i, end, FALSE);
    if (c === 0x6e) return literalEnd(buf, i, end, NULL);
    if (depth >= MAX_DEPTH) return -1;
    if (c === 0x5b) {
      i++;
      if (buf[i] === 0x5d) return i + 1;
      for (;;) {
        i = this.value(buf, i, end, depth + 1);
        if (i < 0) return -1;
        if (buf[i] === 0x5d) return i + 1;
        if (buf[i] !== 0x2c) return -1;
        i++;
      }
    }
    if (c === 0x7b) return this.nestedObject(buf, i, end, depth);
    return -1;
  }

  private nestedObject(buf: Uint8Array, i: number, end: number, depth: number): number {
    i++;
    if (buf[i] === 0x7d) return i + 1;
    const keys = this.nestedKeys;
    const first = keys.length;
    try {
      for (;;) {
        if (buf[i] !== QUOTE || keys.length - first >= 2 * MAX_MEMBERS) return -1;
        const keyStart = i + 1;
        const keyEnd = plainKeyEnd(buf, keyStart, end);
        if (keyEnd < 0) return -1;
        for (let k = first; k < keys.length; k += 2) if (sameBytes(buf, keyStart, keyEnd, buf, keys[k]!, keys[k + 1]!)) return -1;
        keys.push(keyStart, keyEnd);
        i = keyEnd + 1;
        if (buf[i] !== 0x3a) return -1;
        i = this.value(buf, i + 1, end, depth + 1);
        if (i < 0) return -1;
        if (buf[i] === 0x7d) return i + 1;
        if (buf[i] !== 0x2c) return -1;
        i++;
      }
    } finally {
      keys.length = first;
    }
  }
}

function kindAt(c: number): ValueKind {
  if (c === QUOTE) return ValueKind.String;
  if (c === 0x74 || c === 0x66) return ValueKind.Boolean;
  if (c === 0x6e) return ValueKind.Null;
  if (c === 0x5b) return ValueKind.Array;
  if (c === 0x7b) return ValueKind.Object;
  return ValueKind.Number;
}

export function sameBytes(a: Uint8Array, aStart: number, aEnd: number, b: Uint8Array, bStart: number, bEnd: number): boolean {
  if (aEnd - aStart !== bEnd - bStart) return false;
  for (let i = aStart, j = bStart; i < aEnd; i++, j++) if (a[i] !== b[j]) return false;
  return true;
}

const PROTO = Buffer.from('__proto__');

/**
 * The end (closing quote) of a key with no escapes, not integer-like (JSON.parse would move it to
 * the front) and not __proto__ (assignment would not copy it), or -1.
 */
function plainKeyEnd(buf: Uint8Array, i: number, end: number): number {
  const first = buf[i]!;
  if (first >= 0x30 && first <= 0x39) return -1;
  const start = i;
  while (i < end) {
    const c = buf[i]!;
    if (c === QUOTE) return sameBytes(buf, start, i, PROTO, 0, PROTO.length) ? -1 : i;
    if (c === BACKSLASH || c < 0x20) return -1;
    i++;
  }
  return -1;
}

/** After the opening quote at i-1: the index after the closing quote, content unchecked, or -1. */
export function stringEnd(buf: Uint8Array, i: number, end: number): number {
  for (;;) {
    const at = indexOfByte(buf, QUOTE, i, end);
    if (at < 0) return -1;
    // Escaped when preceded by an odd number of backslashes.
    let slashes = 0;
    while (buf[at - 1 - slashes] === BACKSLASH) slashes++;
    if ((slashes & 1) === 0) return at + 1;
    i = at + 1;
  }
}

function indexOfByte(buf: Uint8Array, byte: number, from: number, end: number): number {
  const at = buf.indexOf(byte, from);
  return at >= 0 && at < end ? at : -1;
}

function isHex(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);
}

/** After the opening quote at i-1, a string escaped exactly as JSON.stringify escapes: the index after the closing quote, or -1. */
function canonicalStringEnd(buf: Uint8Array, i: number, end: number): number {
  for (;;) {
    while (i < end) {
      const c = buf[i]!;
      if (c === QUOTE || c === BACKSLASH || c < 0x20) break;
      i++;
    }
    if (i >= end) return -1;
    const c = buf[i];
    if (c === QUOTE) return i + 1;
    if (c !== BACKSLASH) return -1;
    const e = buf[i + 1];
    if (e === QUOTE || e === BACKSLASH || e === 0x62 || e === 0x66 || e === 0x6e || e === 0x72 || e === 0x74) {
      i += 2;
      continue;
    }
    // \u00XX for the control characters without a short escape, lower-case hex; anything else
    // (\/, \u0041, surrogate escapes) JSON.stringify would write differently.
    if (e !== 0x75 || i + 6 > end || buf[i + 2] !== 0x30 || buf[i + 3] !== 0x30) return -1;
    const hi = buf[i + 4]!;
    const lo = buf[i + 5]!;
    if (hi !== 0x30 && hi !== 0x31) return -1;
    if (!((lo >= 0x30 && lo <= 0x39) || (lo >= 0x61 && lo <= 0x66))) return -1;
    const code = (hi - 0x30) * 16 + (lo <= 0x39 ? lo - 0x30 : lo - 0x57);
    if (code === 8 || code === 9 || code === 10 || code === 12 || code === 13) return -1;
    i += 6;
  }
}

/** Whether buf[i, i+4) are hex digits (a \u escape's). */
export function hexAt(buf: Uint8Array, i: number): boolean {
  return isHex(buf[i]!) && isHex(buf[i + 1]!) && isHex(buf[i + 2]!) && isHex(buf[i + 3]!);
}

/** A number as JSON.stringify prints it: the index after it, or -1. */
function canonicalNumberEnd(buf: Uint8Array, i: number, end: number): number {
  const start = i;
  if (buf[i] === 0x2d) i++;
  const digits = i;
  while (i < end && buf[i]! >= 0x30 && buf[i]! <= 0x39) i++;
  const n = i - digits;
  const c = buf[i];
  const plain = c !== 0x2e && c !== 0x65 && c !== 0x45;
  // The common case, a small integer: no leading zero, no -0, exact in a double.
  if (plain && n > 0 && n <= 15 && (buf[digits] !== 0x30 || (n === 1 && digits === start))) return i;
  // Anything else is checked the slow way: printed back the same?
  while (i < end && isNumberByte(buf[i]!)) i++;
  const text = Buffer.from(buf.buffer, buf.byteOffset + start, i - start).toString('latin1');
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'number' && JSON.stringify(value) === text ? i : -1;
  } catch {
    return -1;
  }
}

function isNumberByte(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || c === 0x2e || c === 0x65 || c === 0x45 || c === 0x2b || c === 0x2d;
}

const TRUE = Buffer.from('true');
const FALSE = Buffer.from('false');
const NULL = Buffer.from('null');

function literalEnd(buf: Uint8Array, i: number, end: number, word: Uint8Array): number {
  return i + word.length <= end && sameBytes(buf, i, i + word.length, word, 0, word.length) ? i + word.length : -1;
}
