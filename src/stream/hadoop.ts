// What Hadoop Streaming (and any engine that speaks its protocol) needs from a line filter, beyond
// reading stdin and writing stdout: the `key<TAB>value` line form — the framework sorts and groups
// map output by the bytes before the first TAB — and counters, reported as
// `reporter:counter:GROUP,NAME,AMOUNT` lines on stderr. Every ream command gets both through two
// shared flags, `--key FIELD` and `--hadoop-counters`; the second is on by itself when the Streaming
// environment is present (a task's configuration is exported with dots turned into underscores).
import { Option, type Command } from 'commander';
import type { RunContext } from './context.js';

/** The separator Hadoop Streaming puts between key and value (stream.map.output.field.separator). */
export const KEY_SEPARATOR = '\t';
/** The counter group ream's counters appear under in the job's counters. */
export const COUNTER_GROUP = 'ream';

/** How a run talks to Hadoop Streaming; absent when neither flag is given nor Streaming is present. */
export interface StreamingForm {
  /** Input lines may be `key<TAB>json`; the key is dropped (or put into `keyField` when the record lacks it). */
  readonly keyedInput: boolean;
  /** `--key FIELD`: output lines become `key<TAB>json` with the value of this field as key. */
  readonly keyField: string | undefined;
  /** Write the run's counters as `reporter:counter:` lines on stderr when it ends. */
  readonly counters: boolean;
}

/** True inside a Hadoop Streaming task (MRv2 and the older MRv1 names). */
export function underHadoopStreaming(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(env.mapreduce_task_id || env.mapred_task_id);
}

/**
 * Adds `--key FIELD` and `--hadoop-counters` to a command (each unless the command has an option of
 * that name of its own) and returns what turns the parsed options into the run's StreamingForm.
 */
export function addStreamingOptions(cmd: Command): (opts: Record<string, unknown>) => StreamingForm | undefined {
  const free = (flag: string): boolean => !cmd.options.some((o) => o.long === flag);
  const group = 'Hadoop Streaming options:';
  const key = free('--key');
  const counters = free('--hadoop-counters');
  if (key) cmd.addOption(new Option('--key <field>', 'read and write key<TAB>json lines, keyed by this field').helpGroup(group));
  if (counters) {
    cmd.addOption(
      new Option('--hadoop-counters', 'report counters as reporter:counter: lines on stderr (on by itself under Hadoop Streaming)').helpGroup(group),
    );
  }
  return (opts) => streamingForm({ key: key ? opts.key : undefined, hadoopCounters: counters ? opts.hadoopCounters : undefined });
}

/** The line form asked for by the options and the environment, or undefined for plain NDJSON. */
export function streamingForm(opts: { key?: unknown; hadoopCounters?: unknown }, env: NodeJS.ProcessEnv = process.env): StreamingForm | undefined {
  const keyField = typeof opts.key === 'string' ? opts.key : undefined;
  const streaming = underHadoopStreaming(env);
  const counters = opts.hadoopCounters === true || streaming;
  if (keyField === undefined && !counters) return undefined;
  return { keyedInput: keyField !== undefined || streaming, keyField, counters };
}

/**
 * The JSON text of a line: for a `key<TAB>{…}` line what follows the first TAB, for any other line
 * (plain NDJSON, or Streaming's map-only `{…}<TAB>`) the line itself. A line whose first character
 * is `{` is never keyed (keys never begin with `{`, see keyOf), so the check costs two indexOf-s
 * and raw-line readers can use it before their own parsing.
 */
export function jsonOfLine(line: string): string {
  if (line.charCodeAt(0) === 123 /* { */) return line;
  const tab = line.indexOf(KEY_SEPARATOR);
  return tab !== -1 && line.charCodeAt(tab + 1) === 123 ? line.slice(tab + 1) : line;
}

/** Puts the key of a keyed `line` into `record[field]` when the record lacks that field. */
export function restoreKey(record: Record<string, unknown>, line: string, field: string): void {
  const tab = line.indexOf(KEY_SEPARATOR);
  if (tab > 0 && record[field] === undefined) record[field] = unescapeKey(line.slice(0, tab));
}

function unescapeKey(key: string): string {
  return key.includes('\\') ? key.replace(/\\([trn{\\])/g, (_, c: string) => ({ t: '\t', r: '\r', n: '\n' })[c] ?? c) : key;
}

/**
 * The key of a record: a string field as it is, other values as JSON, missing as ''. A backslash,
 * TAB, CR and LF are written as backslash escapes (`\\`, `\t`, `\r`, `\n`), and a leading `{` as `\{`, so
 * the key stays in its column, the line stays one line, and a keyed line never looks like plain JSON.
 */
export function keyOf(record: unknown, field: string): string {
  const value = record !== null && typeof record === 'object' ? (record as Record<string, unknown>)[field] : undefined;
  const text = value === undefined || value === null ? '' : typeof value === 'string' ? value : JSON.stringify(value);
  if (!/^\{|[\t\r\n\\]/.test(text)) return text;
  return text.replace(/[\t\r\n\\]/g, (c) => ({ '\t': '\\t', '\r': '\\r', '\n': '\\n' })[c] ?? '\\\\').replace(/^\{/, '\\{');
}

/** `key<TAB>json` for a record already serialised as `json`. */
export function keyedLine(record: unknown, json: string, field: string): string {
  return keyOf(record, field) + KEY_SEPARATOR + json;
}

/**
 * The run's counters as Hadoop Streaming reporter lines: the generic ones every command has
 * (records and bytes in and out, failures by reason) and the command's own `ctx.metrics` counters.
 * Labels become part of the name, the command first, as the metrics module labels them
 * (`failures_total{command=extract;reason=bad_json}`): a task that pipes several ream commands
 * reports each one's. The protocol splits on commas, so none may appear in a name (`;` separates
 * labels). Hadoop adds amounts up, so each process reports its totals once, at the end.
 */
export function counterLines(ctx: RunContext): string[] {
  const command: [string, string] = ['command', ctx.command];
  const counters: [string, number][] = [
    [counterName('records_in_total', [command]), ctx.stats.recordsIn],
    [counterName('records_out_total', [command]), ctx.out.recordsOut],
    [counterName('bytes_in_total', [command]), ctx.stats.bytesIn],
    [counterName('bytes_out_total', [command]), ctx.out.bytesOut],
  ];
  for (const [reason, n] of ctx.report.failuresByReason) counters.push([counterName('failures_total', [command, ['reason', reason]]), n]);
  for (const [name, series] of ctx.metrics.counters) {
    for (const [labels, n] of series) counters.push([counterName(name, [command, ...(labels ? (JSON.parse(labels) as [string, string][]) : [])]), n]);
  }
  return counters.map(([name, n]) => `reporter:counter:${COUNTER_GROUP},${name},${Math.round(n)}`);
}

function counterName(name: string, labels: readonly [string, string][]): string {
  return `${name}{${labels.map(([k, v]) => `${k}=${v}`).join(';')}}`.replace(/[,\r\n]/g, '_');
}
