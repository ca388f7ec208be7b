// Memory for the large parts a search reads as it goes (doc parts of common words, the lengths),
// carved from one large allocation. A fresh process pays for every page of memory it first touches,
// ~11 µs per 4 KiB on this VM (docs/benchmarks.md): 25 ms for the 9 MB two words on most of a million
// pages read. bin/ream runs `search` with glibc's malloc asking the kernel for transparent huge pages
// (GLIBC_TUNABLES=glibc.malloc.hugetlb=1), which glibc does for allocations of 2 MB and more only:
// carved from 8 MB slabs, parts of any size share huge pages, touched 2 MB at a time. Without that
// tunable (or without glibc), a slab is ordinary memory whose pages are touched as before.

/**
 * Bytes of a slab; a request over half of it gets an allocation of its own. Not more: V8 counts a
 * slab as external memory, and 32 MB at once set off two extra young-generation collections.
 */
const SLAB_BYTES = 8 << 20;
/** Offsets within a slab are aligned to this (a Uint32Array view needs 4). */
const ALIGN = 64;

let slab: ArrayBuffer | undefined;
let used = 0;

/**
 * `bytes` of memory (contents unspecified) from the current slab when it has room, else from a new
 * one: the old slab is freed once no part taken from it is referenced.
 */
export function slabBytes(bytes: number): Buffer {
  if (bytes > SLAB_BYTES / 2) return Buffer.allocUnsafeSlow(bytes);
  if (slab === undefined || used + bytes > SLAB_BYTES) {
    slab = new ArrayBuffer(SLAB_BYTES);
    used = 0;
  }
  const at = used;
  used = Math.ceil((at + bytes) / ALIGN) * ALIGN;
  return Buffer.from(slab, at, bytes);
}
