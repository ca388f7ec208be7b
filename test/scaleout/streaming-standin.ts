// A stand-in for Hadoop Streaming's steps, faithful where ream's contract with it lies, so that the
// documented jobs can be run without a cluster:
// - input splits as FileInputFormat + LineRecordReader make them (byte ranges of each file; a line
//   belongs to the split its first byte falls in, range (start, end], line 0 to split 0), or N lines
//   per split as NLineInputFormat does (the mapper then sees `offset<TAB>line`, as Streaming passes
//   keys of every input format but TextInputFormat);
// - every task a separate process in its own working directory, with the job configuration in its
//   environment (dots as underscores: mapreduce_task_id, mapreduce_task_partition,
//   mapreduce_task_output_dir for side files, …); a non-zero exit fails the job
//   (stream.non.zero.exit.is.failure);
// - map output cut at the first TAB into key and value (no TAB: the line is the key, the value
//   empty), partitioned by HashPartitioner (Java's hash of the key bytes), sorted by key with
//   `LC_ALL=C sort` (byte order, as Text compares), each reducer fed `key<TAB>value` lines;
// - output written as TextOutputFormat does: `key<TAB>value`, so a line without a TAB gets one at
//   the end; side files in the task's output dir promoted into the output dir on success;
// - `reporter:counter:GROUP,NAME,N` lines on stderr summed into job counters, other stderr kept.
// Not modelled: HDFS, speculative and retried attempts, combiners, memory limits, compression.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface StreamingJob {
  /** Local files standing for the job's -input paths. */
  input: string[];
  /** The -output directory; must not exist yet. */
  output: string;
  /** -mapper and -reducer: shell command lines. */
  mapper: string;
  reducer?: string;
  /** -numReduceTasks (mapreduce.job.reduces); 0 makes a map-only job. */
  reduceTasks: number;
  /** How input is split: `mapTasks` byte-range splits per file (TextInputFormat), or `linesPerMap`
   *  lines per split (NLineInputFormat). */
  mapTasks?: number;
  linesPerMap?: number;
  /** -cmdenv NAME=VALUE (PATH among them). */
  cmdenv?: Record<string, string>;
}

export interface StreamingOutcome {
  /** part-m-NNNNN or part-NNNNN files, in order. */
  parts: string[];
  /** All output lines of all parts, in part order. */
  lines: string[];
  /** GROUP,NAME → summed amount. */
  counters: Map<string, number>;
  /** What the tasks wrote on stderr besides counters. */
  stderr: string;
  mapTaskCount: number;
}

const JOB_ID = 'job_1700000000000_0001';

export class StreamingTaskFailed extends Error {}

export function runStreamingJob(job: StreamingJob): StreamingOutcome {
  mkdirSync(job.output);
  const counters = new Map<string, number>();
  let stderr = '';
  const splits = job.linesPerMap ? nlineSplits(job.input, job.linesPerMap) : byteSplits(job.input, job.mapTasks ?? 2);
  const partitions: string[][] = Array.from({ length: job.reduceTasks }, () => []);
  const parts: string[] = [];

  const runTask = (kind: 'm' | 'r', index: number, command: string, stdin: Buffer, extraEnv: Record<string, string>): string[] => {
    const task = `task_${JOB_ID.slice(4)}_${kind}_${String(index).padStart(6, '0')}`;
    const attempt = `attempt_${JOB_ID.slice(4)}_${kind}_${String(index).padStart(6, '0')}_0`;
    const cwd = join(job.output, '_temporary', 'containers', attempt);
    const sideDir = join(job.output, '_temporary', '0', `_temporary`, attempt);
    mkdirSync(cwd, { recursive: true });
    mkdirSync(sideDir, { recursive: true });
    const r = spawnSync('bash', ['-c', command], {
      cwd,
      input: stdin,
      maxBuffer: 1 << 30,
      env: {
        ...process.env,
        ...job.cmdenv,
        ...extraEnv,
        mapreduce_job_id: JOB_ID,
        mapreduce_task_id: task,
        mapreduce_task_attempt_id: attempt,
        mapred_task_id: attempt,
        mapreduce_task_ismap: String(kind === 'm'),
        mapreduce_task_partition: String(index),
        mapreduce_task_output_dir: sideDir,
        mapreduce_output_fileoutputformat_outputdir: job.output,
        mapreduce_job_reduces: String(job.reduceTasks),
      },
    });
    if (r.error) throw r.error;
    for (const line of r.stderr.toString('utf8').split('\n')) {
      const m = /^reporter:counter:([^,]*),([^,]*),(-?\d+)$/.exec(line);
      if (m) counters.set(`${m[1]},${m[2]}`, (counters.get(`${m[1]},${m[2]}`) ?? 0) + Number(m[3]));
      else if (line.length > 0) stderr += `${attempt}: ${line}\n`;
    }
    if (r.status !== 0) {
      throw new StreamingTaskFailed(`${attempt} failed with status ${r.status ?? r.signal}: ${command}\n${stderr}`);
    }
    // commitTask: side files move into the output directory.
    for (const f of readdirSync(sideDir)) renameSync(join(sideDir, f), join(job.output, f));
    const out = r.stdout.toString('utf8');
    return out.length === 0 ? [] : out.replace(/\n$/, '').split('\n');
  };

  splits.forEach((split, i) => {
    const lines = runTask('m', i, job.mapper, Buffer.from(split.lines.map((l) => l + '\n').join('')), {
      mapreduce_map_input_file: split.file,
      mapreduce_map_input_start: String(split.start),
    });
    if (job.reduceTasks === 0) {
      const name = `part-m-${String(i).padStart(5, '0')}`;
      writeFileSync(join(job.output, name), lines.map((l) => textOutputLine(l) + '\n').join(''));
      parts.push(name);
      return;
    }
    for (const line of lines) partitions[partitionOf(keyOf(line), job.reduceTasks)]!.push(line);
  });

  partitions.forEach((lines, i) => {
    const sorted = sortByKey(lines.map(textOutputLine));
    const out = runTask('r', i, job.reducer ?? 'cat', Buffer.from(sorted.map((l) => l + '\n').join('')), {});
    const name = `part-${String(i).padStart(5, '0')}`;
    writeFileSync(join(job.output, name), out.map((l) => textOutputLine(l) + '\n').join(''));
    parts.push(name);
  });
  writeFileSync(join(job.output, '_SUCCESS'), '');

  const all: string[] = [];
  for (const p of parts) {
    const text = readFileSync(join(job.output, p), 'utf8');
    if (text.length > 0) all.push(...text.replace(/\n$/, '').split('\n'));
  }
  return { parts, lines: all, counters, stderr, mapTaskCount: splits.length };
}

interface Split {
  file: string;
  start: number;
  lines: string[];
}

/** FileInputFormat + LineRecordReader: each file cut into `perFile` byte ranges; a line goes to the
 *  split whose range (start, end] holds its first byte (the first line to split 0). */
function byteSplits(files: string[], perFile: number): Split[] {
  const splits: Split[] = [];
  for (const file of files) {
    const bytes = readFileSync(file);
    const size = Math.max(1, Math.ceil(bytes.length / perFile));
    const mine: Split[] = Array.from({ length: Math.max(1, Math.ceil(bytes.length / size)) }, (_, i) => ({ file, start: i * size, lines: [] }));
    let at = 0;
    while (at < bytes.length) {
      let nl = bytes.indexOf(10, at);
      if (nl === -1) nl = bytes.length;
      const index = at === 0 ? 0 : Math.ceil(at / size) - 1;
      mine[index]!.lines.push(bytes.toString('utf8', at, nl).replace(/\r$/, ''));
      at = nl + 1;
    }
    splits.push(...mine);
  }
  return splits;
}

/** NLineInputFormat: N lines per split; the mapper sees `byteOffset<TAB>line`. */
function nlineSplits(files: string[], n: number): Split[] {
  const splits: Split[] = [];
  for (const file of files) {
    const bytes = readFileSync(file);
    let at = 0;
    let current: Split | undefined;
    while (at < bytes.length) {
      let nl = bytes.indexOf(10, at);
      if (nl === -1) nl = bytes.length;
      if (!current || current.lines.length === n) splits.push((current = { file, start: at, lines: [] }));
      current.lines.push(`${at}\t${bytes.toString('utf8', at, nl)}`);
      at = nl + 1;
    }
  }
  return splits;
}

function keyOf(line: string): string {
  const tab = line.indexOf('\t');
  return tab === -1 ? line : line.slice(0, tab);
}

/** TextOutputFormat of Streaming's (key, value): the value after a TAB, even when it is empty. */
function textOutputLine(line: string): string {
  return line.includes('\t') ? line : `${line}\t`;
}

/** HashPartitioner on a Text key: Java's 31-based hash of the UTF-8 bytes (signed), made positive. */
export function partitionOf(key: string, reduces: number): number {
  let hash = 1;
  for (const b of Buffer.from(key, 'utf8')) hash = (Math.imul(31, hash) + ((b << 24) >> 24)) | 0;
  return (hash & 0x7fffffff) % reduces;
}

/** The shuffle's sort: by key bytes, with the real `sort`. */
function sortByKey(lines: string[]): string[] {
  if (lines.length === 0) return [];
  const r = spawnSync('sort', ['-t', '\t', '-k1,1', '-s'], {
    input: lines.map((l) => l + '\n').join(''),
    env: { ...process.env, LC_ALL: 'C' },
    maxBuffer: 1 << 30,
  });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`sort failed: ${r.stderr.toString()}`);
  return r.stdout.toString('utf8').replace(/\n$/, '').split('\n');
}
