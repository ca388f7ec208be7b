// Plain ASCII 16 and 64 bytes at a time, with WebAssembly SIMD (wasm/byte-tokenizer.ts's word loops).

const QUOTE: i32 = 0x22;
const BACKSLASH: i32 = 0x5c;

// The loops over words and separators look at 16 bytes at a time (WebAssembly SIMD): a word's
// letters and digits are found, lower-cased and copied in one step rather than byte by byte, whose
// branch per byte the processor mispredicts at every word's end. They may read 16 bytes past where
// they stop and write 16 bytes past the copy: the buffers have that room.

/** Bytes that are ASCII letters or digits, as a vector mask. */
@inline function wordBytes(v: v128): v128 {
  const lower = i8x16.le_u(i8x16.sub(v128.or(v, i8x16.splat(0x20)), i8x16.splat(0x61)), i8x16.splat(25));
  const digit = i8x16.le_u(i8x16.sub(v, i8x16.splat(0x30)), i8x16.splat(9));
  return v128.or(lower, digit);
}

/**
 * Copies the ASCII letters and digits starting at `from`, up to 16, lower-cased, to `to` (writing
 * 16 bytes); returns how many there were (16: the word may go on).
 */
@inline export function copyWordBytes(from: usize, to: usize): i32 {
  const v = v128.load(from);
  const upper = i8x16.le_u(i8x16.sub(v, i8x16.splat(0x41)), i8x16.splat(25));
  v128.store(to, v128.or(v, v128.and(upper, i8x16.splat(0x20))));
  return <i32>ctz(~i8x16.bitmask(wordBytes(v)));
}

/**
 * How many of the 16 bytes at `from` are separators skipped between words: ASCII that is not a
 * letter, digit, quote (it ends the string), backslash or control character.
 */
@inline export function separatorBytes(from: usize): i32 {
  const v = v128.load(from);
  const stop = v128.or(
    v128.or(wordBytes(v), i8x16.gt_u(i8x16.sub(v, i8x16.splat(0x20)), i8x16.splat(0x5f))),
    v128.or(i8x16.eq(v, i8x16.splat(<i8>QUOTE)), i8x16.eq(v, i8x16.splat(<i8>BACKSLASH))),
  );
  return <i32>ctz(i8x16.bitmask(stop) | 0x10000);
}

/** scanChunk(): the bytes that are word bytes (ASCII letters and digits, but not the letter of an escape). */
export let chunkWords: u64 = 0;
/**
 * scanChunk(): the bytes the word loop must leave to the byte-at-a-time loop: non-ASCII, control
 * characters, the closing quote, a backslash that is not a short escape of a separator (\n \t \r
 * \" \/ \b \f, its letter in the chunk).
 */
export let chunkHard: u64 = 0;

@inline function bytesEqual(v: v128, c: i32): v128 {
  return i8x16.eq(v, i8x16.splat(<i8>c));
}

/** Vector masks of 16 bytes packed into the bits of a u64 (bit k: byte k of the 64). */
@inline function bits(a: v128, b: v128, c: v128, d: v128): u64 {
  return <u64>i8x16.bitmask(a) | (<u64>i8x16.bitmask(b) << 16) | (<u64>i8x16.bitmask(c) << 32) | (<u64>i8x16.bitmask(d) << 48);
}

@inline function digits(v: v128): v128 {
  return i8x16.le_u(i8x16.sub(v, i8x16.splat(0x30)), i8x16.splat(9));
}

@inline function letters(v: v128): v128 {
  return i8x16.le_u(i8x16.sub(v128.or(v, i8x16.splat(0x20)), i8x16.splat(0x61)), i8x16.splat(25));
}

/** Control characters, DEL and non-ASCII bytes (not printable ASCII). */
@inline function unprintable(v: v128): v128 {
  return i8x16.gt_u(i8x16.sub(v, i8x16.splat(0x20)), i8x16.splat(0x5e));
}

/** The letters of the short escapes of separators: \n \t \r \" \/ \b \f. */
@inline function escapeLetters(v: v128): v128 {
  return v128.or(
    v128.or(v128.or(bytesEqual(v, 0x6e), bytesEqual(v, 0x74)), v128.or(bytesEqual(v, 0x72), bytesEqual(v, 0x22))),
    v128.or(bytesEqual(v, 0x2f), v128.or(bytesEqual(v, 0x62), bytesEqual(v, 0x66))),
  );
}

/** ' and -, which may join a word to what follows. */
@inline function joiners(v: v128): v128 {
  return v128.or(bytesEqual(v, 0x27), bytesEqual(v, 0x2d));
}

/** . and , which may be part of a number. */
@inline function points(v: v128): v128 {
  return v128.or(bytesEqual(v, 0x2e), bytesEqual(v, 0x2c));
}

/**
 * Classifies the 64 bytes at p for the word loop: sets chunkWords and chunkHard, and returns the
 * bytes after which a word must go to the byte-at-a-time loop (' or -, which may join it to what
 * follows; . or , after a digit, which may be part of a number).
 */
export function scanChunk(p: usize): u64 {
  const v0 = v128.load(p);
  const v1 = v128.load(p, 16);
  const v2 = v128.load(p, 32);
  const v3 = v128.load(p, 48);
  const digit = bits(digits(v0), digits(v1), digits(v2), digits(v3));
  const word = digit | bits(letters(v0), letters(v1), letters(v2), letters(v3));
  const backslash = bits(bytesEqual(v0, <i8>BACKSLASH), bytesEqual(v1, <i8>BACKSLASH), bytesEqual(v2, <i8>BACKSLASH), bytesEqual(v3, <i8>BACKSLASH));
  const quote = bits(bytesEqual(v0, <i8>QUOTE), bytesEqual(v1, <i8>QUOTE), bytesEqual(v2, <i8>QUOTE), bytesEqual(v3, <i8>QUOTE));
  const escapeLetter = bits(escapeLetters(v0), escapeLetters(v1), escapeLetters(v2), escapeLetters(v3));
  // A backslash whose next byte is the letter of a short escape (the last byte's next is unknown).
  const escape = backslash & (escapeLetter >> 1) & ~(<u64>1 << 63);
  const escaped = escape << 1;
  chunkWords = word & ~escaped;
  chunkHard = bits(unprintable(v0), unprintable(v1), unprintable(v2), unprintable(v3)) | (quote & ~escaped) | (backslash & ~escape);
  return bits(joiners(v0), joiners(v1), joiners(v2), joiners(v3)) | (bits(points(v0), points(v1), points(v2), points(v3)) & (digit << 1));
}

/** Copies the `length` bytes at `from` lower-cased (A-Z) to `to` (writing up to 15 bytes more); returns the address after the copy. */
@inline export function copyLowered(from: usize, to: usize, length: i32): usize {
  let done = 0;
  do {
    const v = v128.load(from + <usize>done);
    const upper = i8x16.le_u(i8x16.sub(v, i8x16.splat(0x41)), i8x16.splat(25));
    v128.store(to + <usize>done, v128.or(v, v128.and(upper, i8x16.splat(0x20))));
    done += 16;
  } while (done < length);
  return to + <usize>length;
}

