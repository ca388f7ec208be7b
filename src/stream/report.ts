// The one way ream reports problems. Every message is one line on stderr, written synchronously so
// that nothing is lost when the process exits; the exit status follows from what was reported:
// 0 all good, 1 some input failed, 2 usage error.
import { writeSync } from 'node:fs';

export const EXIT_OK = 0;
export const EXIT_BAD_INPUT = 1;
export const EXIT_USAGE = 2;

/** Wrong flags, values or expressions: the whole run is refused (exit 2). */
export class UsageError extends Error {
  override name = 'UsageError';
  /** Lines shown under the message, e.g. an expression with a caret under the fault. */
  constructor(message: string, readonly details: readonly string[] = []) {
    super(message);
  }
}

/** A problem with the input that makes going on pointless (exit 1), e.g. a bad line under --strict. */
export class FatalInputError extends Error {
  override name = 'FatalInputError';
}

/** Thrown by the writer when the reader of stdout has gone (EPIPE): stop quietly, exit as things stand. */
export class OutputClosed extends Error {
  override name = 'OutputClosed';
}

/** One line, no matter what the message holds: newlines and control characters are shown escaped. */
export function oneLine(text: string): string {
  return text.replace(/\r?\n/g, ' ').replace(/[\x00-\x08\x0b-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

export function writeStderr(line: string): void {
  const buf = Buffer.from(line.endsWith('\n') ? line : line + '\n');
  try {
    let off = 0;
    while (off < buf.length) off += writeSync(2, buf, off, buf.length - off);
  } catch {
    // stderr gone or non-blocking and full: nothing sensible left to do with a diagnostic
  }
}

/** Failures of one reason shown on stderr; the rest are counted (summarize()). */
export const MESSAGES_PER_REASON = 20;

export class Reporter {
  /** Inputs (lines, files, documents) that failed and were skipped. */
  failures = 0;
  /** Failures counted by reason, for metrics (`bad_json`, `encrypted`, …). */
  readonly failuresByReason = new Map<string, number>();
  /** Where a command keeps every failure (extract's --errors), named when some were not shown. */
  fullList: string | undefined;

  constructor(readonly command: string) {}

  /**
   * `ream <cmd>: <where>: <message>`; counts as a failed input (exit 1). Past MESSAGES_PER_REASON
   * failures of one reason (a file of garbage: one per line), the rest of that reason are counted
   * and summed up by summarize() at the end.
   */
  fail(where: string, message: string, reason = 'error'): void {
    this.failures++;
    const n = (this.failuresByReason.get(reason) ?? 0) + 1;
    this.failuresByReason.set(reason, n);
    if (n <= MESSAGES_PER_REASON) writeStderr(`ream ${this.command}: ${oneLine(where ? `${where}: ${message}` : message)}`);
    else if (n === MESSAGES_PER_REASON + 1) writeStderr(`ream ${this.command}: more failures like these (${reason}) are counted, not shown`);
  }

  /** At the end of a run: one line per reason whose failures were not all shown. */
  summarize(): void {
    for (const [reason, n] of this.failuresByReason) {
      if (n > MESSAGES_PER_REASON) writeStderr(`ream ${this.command}: ${n} failures (${reason}) in all, ${n - MESSAGES_PER_REASON} not shown${this.fullList ? ` (${this.fullList})` : ''}`);
    }
  }

  /** A note that does not change the exit status. */
  warn(message: string): void {
    writeStderr(`ream ${this.command}: ${oneLine(message)}`);
  }

  get exitCode(): number {
    return this.failures > 0 ? EXIT_BAD_INPUT : EXIT_OK;
  }
}

/** Text of an unknown thrown value, without a stack unless REAM_DEBUG is set. */
export function describeError(err: unknown): string {
  if (process.env.REAM_DEBUG && err instanceof Error && err.stack) return err.stack;
  if (err instanceof Error) {
    const code = (err as NodeJS.ErrnoException).code;
    const path = (err as NodeJS.ErrnoException).path;
    if (code && path) return `${path}: ${systemErrorText(code, err.message)}`;
    if (code) return systemErrorText(code, err.message);
    return err.message;
  }
  return String(err);
}

function systemErrorText(code: string, fallback: string): string {
  switch (code) {
    case 'ENOENT': return 'no such file or directory';
    case 'EACCES': return 'permission denied';
    case 'EISDIR': return 'is a directory';
    case 'ENOTDIR': return 'not a directory';
    case 'EMFILE': return 'too many open files';
    case 'ENOSPC': return 'no space left on device';
    case 'EIO': return 'input/output error';
    default: return fallback.replace(/^[A-Z]+: /, '').replace(/, (read|open|write)$/, '');
  }
}
