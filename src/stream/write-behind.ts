// Starts the disk writes of a large output file while it is being written, not all at the fsync
// that ends it (a temp file is synced before its rename, so that a crash leaves the old output or
// the new one). Linux keeps written pages in memory until a tenth of RAM is dirty or 30 s have
// passed, so without this the whole file goes to disk at that last fsync, while the process waits:
// merging 16 shards into 848 MB ended with 0.56 s of fsync, 0.03 s with a sync started every 64 MB.
import { closeSync, fdatasync, openSync } from 'node:fs';

/**
 * Every `everyBytes` written (as told by written()), an fdatasync of the file in libuv's thread pool,
 * while the writing thread goes on, on a descriptor of its own: it stays open until the last sync is
 * done, whatever the writer does with its own descriptor meanwhile.
 */
export class WriteBehind {
  /** -1 when the file could not be opened for reading (a umask without the owner's read bit): no syncs then. */
  private readonly fd: number;
  private pending = 0;
  private since = 0;
  private closing = false;

  constructor(
    path: string,
    private readonly everyBytes: number,
  ) {
    let fd = -1;
    try {
      fd = openSync(path, 'r');
    } catch {
      // the writer works without: its final fsync writes it all
    }
    this.fd = fd;
  }

  /** Counts `bytes` more written to the file, and starts a sync every `everyBytes`. */
  written(bytes: number): void {
    this.since += bytes;
    if (this.since < this.everyBytes || this.closing || this.fd < 0) return;
    this.since = 0;
    this.pending++;
    // an error here is the final fsync's to report: the writer syncs the file itself before its rename
    fdatasync(this.fd, () => this.settled());
  }

  /** No more syncs; the descriptor closes once those started are done. Idempotent. */
  close(): void {
    if (this.closing) return;
    this.closing = true;
    if (this.pending === 0 && this.fd >= 0) closeSync(this.fd);
  }

  /** Syncs started and not yet done. */
  get inFlight(): number {
    return this.pending;
  }

  private settled(): void {
    if (--this.pending === 0 && this.closing) closeSync(this.fd);
  }
}
