// The order of documents in every index: by `doc` as UTF-8 bytes (what `LC_ALL=C sort` does), then
// by page number. Builds and merges both lay documents out in this order, so an index does not
// depend on the order its inputs came in and ties in search break the same way everywhere.

/** Compares strings by their UTF-8 bytes (equal to code point order; `<` on UTF-16 differs above U+FFFF). */
export function compareUtf8(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    // Surrogates (U+D800–DFFF) encode code points above U+FFFF: move them above U+E000–FFFF.
    if (x >= 0xd800) x += x <= 0xdfff ? 0x2000 : -0x800;
    if (y >= 0xd800) y += y <= 0xdfff ? 0x2000 : -0x800;
    return x - y;
  }
  return a.length - b.length;
}

export interface DocKey {
  doc: string;
  page: number | null;
}

export function compareDocKeys(a: DocKey, b: DocKey): number {
  if (a.doc !== b.doc) return compareUtf8(a.doc, b.doc);
  return (a.page ?? -1) - (b.page ?? -1);
}

/** True when a string holds a code point above U+FFFF (where UTF-16 order and byte order differ). */
export function hasSurrogates(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdfff) return true;
  }
  return false;
}
