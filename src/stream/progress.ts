// A progress line on stderr for long runs (`ream extract` over many files, `ream index` over a big
// stream): what is done, the rate, and an ETA when the total is known. Shown when stderr is a terminal
// (redrawn in place, erased at the end) or when asked with --progress (then plain lines every few
// seconds, fit for a log file); never otherwise, so pipelines and logs stay clean. Drawing is driven by
// the updates and throttled, so counting costs a comparison per call.
import type { Command } from 'commander';
import { fstatSync, statSync, writeSync } from 'node:fs';
import { isatty } from 'node:tty';

export interface ProgressCounter {
  /** Shown after the number: `files`, `pages`. */
  readonly name: string;
  /** When known, shown as `done/total` and used for the ETA. */
  total?: number;
  /** Counted but not shown as a number (e.g. bytes read, when only the fraction is of interest). */
  readonly hidden?: boolean;
}

export interface ProgressSpec {
  /** What is counted, in display order. The first counter with a total gives the fraction done. */
  readonly counters: readonly ProgressCounter[];
  /** The counter whose rate per second is shown. */
  readonly rate?: string;
}

export interface ProgressOptions {
  /** A terminal: redraw one line in place. Otherwise: a plain line every `logIntervalMs`. */
  readonly terminal: boolean;
  readonly write?: (text: string) => void;
  readonly now?: () => number;
  /** Nothing is drawn before this much time has passed: short runs stay silent. */
  readonly delayMs?: number;
  readonly redrawMs?: number;
  readonly logIntervalMs?: number;
}

/** Whether to show progress: the --progress/--no-progress flag if given, else whether stderr is a terminal. */
export function progressWanted(flag: boolean | undefined, fd = 2): boolean {
  return flag ?? isatty(fd);
}

/** Adds --progress / --no-progress to a command (its `opts.progress` is then true, false or undefined). */
export function addProgressOptions(cmd: Command): Command {
  return cmd
    .option('--progress', 'show a progress line on stderr even when it is not a terminal')
    .option('--no-progress', 'never show a progress line (default: shown when stderr is a terminal)');
}

/** Starts a progress line for `ream <command>`, or a no-op one when progress is not wanted. */
export function startProgress(command: string, flag: boolean | undefined, spec: ProgressSpec, fd = 2): Progress {
  if (!progressWanted(flag, fd)) return new Progress(command, spec, null);
  // Asked for explicitly: from the first update; otherwise only runs longer than a second show one.
  return new Progress(command, spec, { terminal: isatty(fd), write: (text) => writeFd(fd, text), delayMs: flag ? 0 : 1000 });
}

export class Progress {
  private readonly counts = new Map<string, number>();
  private readonly totals = new Map<string, number>();
  private readonly startedAt: number;
  private lastDrawAt = -Infinity;
  private drawn = false;
  private readonly now: () => number;

  constructor(
    readonly command: string,
    private readonly spec: ProgressSpec,
    private readonly options: ProgressOptions | null,
  ) {
    this.now = options?.now ?? Date.now;
    this.startedAt = this.now();
    for (const c of spec.counters) {
      this.counts.set(c.name, 0);
      if (c.total !== undefined) this.totals.set(c.name, c.total);
    }
  }

  get enabled(): boolean {
    return this.options !== null;
  }

  add(name: string, n = 1): void {
    if (!this.options) return;
    this.counts.set(name, (this.counts.get(name) ?? 0) + n);
    this.maybeDraw();
  }

  /** Sets a counter without drawing (the next `add` draws): e.g. bytes read so far, beside pages. */
  set(name: string, value: number): void {
    if (this.options) this.counts.set(name, value);
  }

  setTotal(name: string, total: number): void {
    if (this.options) this.totals.set(name, total);
  }

  /** Erases the line on a terminal; writes a last line to a log. */
  end(): void {
    if (!this.options) return;
    const write = this.options.write ?? ((text: string) => writeFd(2, text));
    if (this.options.terminal) {
      if (this.drawn) write('\r\x1b[K');
    } else if (this.drawn) {
      write(`${this.line()}\n`);
    }
    this.drawn = false;
  }

  /** The text of the line as it stands: `ream extract: 12/74 files, 1,204 pages, 85 pages/s, ETA 41s`. */
  line(): string {
    const elapsed = Math.max(this.now() - this.startedAt, 1) / 1000;
    const parts: string[] = [];
    for (const c of this.spec.counters) {
      if (c.hidden) continue;
      const done = this.counts.get(c.name) ?? 0;
      const total = this.totals.get(c.name);
      parts.push(total !== undefined ? `${formatCount(done)}/${formatCount(total)} ${c.name}` : `${formatCount(done)} ${c.name}`);
    }
    if (this.spec.rate) parts.push(`${formatRate((this.counts.get(this.spec.rate) ?? 0) / elapsed)} ${this.spec.rate}/s`);
    const fraction = this.fraction();
    if (fraction !== undefined) {
      parts.push(`${Math.floor(fraction * 100)}%`);
      if (fraction > 0 && fraction < 1) parts.push(`ETA ${formatDuration((elapsed * (1 - fraction)) / fraction)}`);
    }
    parts.push(formatDuration(elapsed));
    return `ream ${this.command}: ${parts.join(', ')}`;
  }

  private fraction(): number | undefined {
    for (const c of this.spec.counters) {
      const total = this.totals.get(c.name);
      if (total !== undefined && total > 0) return Math.min((this.counts.get(c.name) ?? 0) / total, 1);
    }
    return undefined;
  }

  private maybeDraw(): void {
    const options = this.options!;
    const now = this.now();
    if (now - this.startedAt < (options.delayMs ?? 1000)) return;
    const interval = options.terminal ? (options.redrawMs ?? 250) : (options.logIntervalMs ?? 5000);
    if (now - this.lastDrawAt < interval) return;
    this.lastDrawAt = now;
    this.drawn = true;
    const write = options.write ?? ((text: string) => writeFd(2, text));
    write(options.terminal ? `\r${this.line()}\x1b[K` : `${this.line()}\n`);
  }
}

/**
 * Total bytes of the inputs named by `args` (stdin when empty or `-`) when they are all regular,
 * uncompressed files — what a reader will count in `ctx.stats.bytesIn` — else undefined (pipes).
 */
export function regularInputBytes(args: readonly string[]): number | undefined {
  let total = 0;
  for (const a of args.length === 0 ? ['-'] : args) {
    if (a.endsWith('.gz')) return undefined;
    try {
      const st = a === '-' ? fstatSync(0) : statSync(a);
      if (!st.isFile()) return undefined;
      total += st.size;
    } catch {
      return undefined;
    }
  }
  return total;
}

function writeFd(fd: number, text: string): void {
  try {
    writeSync(fd, text);
  } catch {
    // stderr gone or full: progress is never worth failing for
  }
}

export function formatCount(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

function formatRate(perSecond: number): string {
  return perSecond >= 100 ? formatCount(perSecond) : perSecond.toFixed(1);
}

/** 41s, 3m05s, 2h07m */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}
