// The shape of a ream command (after xsv's `USAGE + Args + run`): `configure` declares arguments,
// options and an example pipeline for --help; `run` wires streams and library modules. Commands stay
// thin: logic lives in src/<concept>/ and is tested without spawning a process.
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import type { RunContext } from '../stream/context.js';
import { checkOutput, removeStaleTemps } from '../stream/atomic.js';

export interface CommandModule<Opts = Record<string, unknown>> {
  configure(cmd: Command): void;
  run(ctx: RunContext, args: string[], opts: Opts): Promise<void>;
}

/** Option parsers that reject bad values with a one-line usage error (exit 2). */
export function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('expected a positive whole number');
  return n;
}

export function nonNegativeInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a whole number >= 0');
  return n;
}

export function positiveNumber(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('expected a number > 0');
  return n;
}

/** Sizes such as 256M, 1G, 64k, 1000 (bytes). */
export function byteSize(value: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([kKmMgGtT]?)i?[bB]?$/.exec(value.trim());
  if (!m) throw new InvalidArgumentError('expected a size such as 256M or 1G');
  const scale = { '': 1, k: 2 ** 10, m: 2 ** 20, g: 2 ** 30, t: 2 ** 40 }[m[2]!.toLowerCase()]!;
  return Math.round(Number(m[1]) * scale);
}

/** Collects a repeatable option into an array (`-i a -i b`). */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** The example block shown at the end of `ream <cmd> --help`. */
export function examples(...lines: string[]): string {
  return `\nExamples:\n${lines.map((l) => `  ${l}`).join('\n')}\n`;
}

/**
 * An index output (`-o`), checked before any input is read (checkOutput), with the temp files an
 * interrupted run left next to it removed (removeStaleTemps), saying so on stderr. Returns the
 * path to write: a symlink's target.
 */
export function prepareIndexOutput(ctx: RunContext, output: string): string {
  const { path } = checkOutput(output, '-o', true);
  const removed = removeStaleTemps(path);
  if (removed.length > 0) ctx.report.warn(`removed ${removed.length} temp file${removed.length === 1 ? '' : 's'} an interrupted run left next to ${output} (${removed.join(', ')})`);
  return path;
}
