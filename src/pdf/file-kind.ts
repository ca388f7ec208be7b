// What a file is, from its first bytes, and why it cannot be read: enough to say "not a PDF (gzip
// data)" or "permission denied" instead of a parser's complaint. Used by both extract engines.

/** True when the PDF header appears in the first kilobyte (where readers look for it). */
export function looksLikePdf(head: Uint8Array): boolean {
  return Buffer.from(head.buffer, head.byteOffset, Math.min(head.byteLength, 1024)).includes('%PDF-');
}

/** A short name for what the bytes are, for files that are not PDFs. */
export function sniff(head: Uint8Array): string {
  const data = Buffer.from(head.buffer, head.byteOffset, head.byteLength);
  if (data[0] === 0x1f && data[1] === 0x8b) return 'gzip data';
  if (data.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'PNG image';
  if (data.subarray(0, 3).equals(Buffer.from([0xff, 0xd8, 0xff]))) return 'JPEG image';
  if (data.subarray(0, 4).toString('latin1') === 'PK\u0003\u0004') return 'zip archive';
  const start = data.subarray(0, 512);
  return start.every((b) => b === 9 || b === 10 || b === 13 || (b >= 32 && b < 127) || b >= 128) ? 'text' : 'unknown data';
}

/** The one-line reason for a failed read of the file itself. */
export function describeReadError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'ENOENT' ? 'no such file or directory' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'is a directory' : (err as Error).message;
}
