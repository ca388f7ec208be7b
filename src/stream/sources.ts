// Where input comes from: file arguments, or stdin when there are none or `-` is given. Gzip input
// is recognised by its magic bytes (not the file name) and decompressed on the fly.
//
// Bytes are read with plain fs.open/fs.read rather than fs.createReadStream or process.stdin: the
// stream machinery costs start-up time every command pays (~10 ms, measured with --cpu-prof), and
// process.stdin would put a shared pipe into O_NONBLOCK. Regular files are read synchronously (no
// thread-pool round trip per chunk: ~20% less CPU on a 200 MB filter); pipes and terminals
// asynchronously, so a command waiting for input still hears from its workers. zlib is loaded only
// for gzip input.
import { close, fstatSync, open, read, readSync } from 'node:fs';

export interface Source {
  /** The name used in messages: the path as given, or `stdin`. */
  readonly name: string;
  /**
   * The decoded bytes, in chunks. Opening errors (ENOENT…) surface from the first iteration.
   * `reuse`: the reader may read the next chunk into the same buffer, so a chunk is valid only until
   * the next one is asked for (saves allocating and page-faulting a fresh buffer per read).
   */
  chunks(opts?: { reuse?: boolean }): AsyncIterable<Buffer>;
}

// 64 KiB: larger chunks make V8 strings and Buffer backing stores that are mmap'd and unmapped one by one
// (measured: 256 KiB chunks cost ~40% more CPU on a 200 MB filter, mostly in the kernel).
const READ_CHUNK_BYTES = 64 * 1024;

export function stdinSource(): Source {
  return { name: 'stdin', chunks: (opts) => decompressed(rawChunks(async () => 0, false, opts?.reuse === true), opts?.reuse === true) };
}

export function fileSource(path: string): Source {
  return { name: path, chunks: (opts) => decompressed(rawChunks(() => openFile(path), true, opts?.reuse === true), opts?.reuse === true) };
}

/** File arguments as sources; no arguments, or `-`, means stdin. */
export function sourcesFromArgs(args: readonly string[]): Source[] {
  if (args.length === 0) return [stdinSource()];
  return args.map((a) => (a === '-' ? stdinSource() : fileSource(a)));
}

function openFile(path: string): Promise<number> {
  return new Promise((resolve, reject) => open(path, 'r', (err, fd) => (err ? reject(err) : resolve(fd))));
}

function readChunk(fd: number, buf: Buffer): Promise<number> {
  return new Promise((resolve, reject) => read(fd, buf, 0, buf.length, null, (err, n) => (err ? reject(err) : resolve(n))));
}

const nap = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function* rawChunks(openFd: () => Promise<number>, owned: boolean, reuse: boolean): AsyncGenerator<Buffer> {
  const fd = await openFd();
  try {
    const regularFile = fstatSync(fd).isFile();
    let waited = 0;
    let shared: Buffer | undefined;
    for (;;) {
      // A fresh buffer each time unless the reader copies what it keeps (`reuse`).
      const buf = reuse ? (shared ??= Buffer.allocUnsafe(READ_CHUNK_BYTES)) : Buffer.allocUnsafe(READ_CHUNK_BYTES);
      let n: number;
      try {
        n = regularFile ? readSync(fd, buf, 0, buf.length, null) : await readChunk(fd, buf);
      } catch (err) {
        // Stdin inherited in non-blocking mode (a Node parent touched process.stdin): wait for data.
        if ((err as NodeJS.ErrnoException).code === 'EAGAIN') {
          await nap(Math.min(1 + waited++, 20));
          continue;
        }
        throw err;
      }
      waited = 0;
      if (n === 0) return;
      yield n === buf.length ? buf : buf.subarray(0, n);
    }
  } finally {
    // Early stop (head closed our output) or error: release the file. Stdin stays open.
    if (owned) close(fd, () => {});
  }
}

async function* decompressed(raw: AsyncGenerator<Buffer>, reused: boolean): AsyncGenerator<Buffer> {
  try {
    const first = await raw.next();
    if (first.done) return;
    if (first.value.length >= 2 && first.value[0] === 0x1f && first.value[1] === 0x8b) {
      const { createGunzip } = await import('node:zlib');
      const { Readable } = await import('node:stream');
      // zlib may hold on to its input: it gets copies of a reused buffer.
      const own = (chunk: Buffer): Buffer => (reused ? Buffer.from(chunk) : chunk);
      const rest = (async function* () {
        yield own(first.value);
        for await (const chunk of raw) yield own(chunk);
      })();
      const gunzip = Readable.from(rest).pipe(createGunzip());
      for await (const chunk of gunzip) yield chunk as Buffer;
      return;
    }
    yield first.value;
    yield* raw;
  } finally {
    await raw.return(undefined);
  }
}
