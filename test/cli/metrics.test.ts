// `--metrics` on the built commands and `ream metrics`, checked against the real components: promtool,
// node_exporter's textfile collector, Pushgateway and a scrape of --serve. Daemons are started here on
// free 127.0.0.1 ports and stopped by PID.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { commands } from '../../src/cli/registry.js';
import { parse, type Family } from '../../src/metrics/exposition.js';
import { BIN, PATH_WITH_REAM, parseLines, ream, sh, workdir } from '../helpers.js';
import { promtoolFindings } from '../metrics/promtool.js';

const PUSHGATEWAY = '/usr/bin/prometheus-pushgateway';
const NODE_EXPORTER = '/usr/bin/prometheus-node-exporter';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

async function scrape(url: string): Promise<string> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return res.text();
}

/** Polls until `check` passes or the time is up (daemons and pipelines take a moment). */
async function eventually<T>(check: () => Promise<T>, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

function daemon(bin: string, args: string[]): ChildProcess {
  const child = spawn(bin, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  child.stderr!.resume();
  return child;
}

function stop(child: ChildProcess | undefined): void {
  if (child?.pid !== undefined && child.exitCode === null && child.signalCode === null) process.kill(child.pid, 'SIGTERM');
}

/** The value of the sample `name` whose labels include all of `labels`. */
function valueOf(families: Family[], name: string, labels: Record<string, string> = {}): number | undefined {
  for (const f of families) {
    for (const s of f.samples) {
      if (s.name === name && Object.entries(labels).every(([k, v]) => s.labels.some(([lk, lv]) => lk === k && lv === v))) return s.value;
    }
  }
  return undefined;
}

const records = (n: number, offset = 0): string =>
  Array.from({ length: n }, (_, i) => JSON.stringify({ id: offset + i, kind: (offset + i) % 3 === 0 ? 'a' : 'b', n: i })).join('\n') + '\n';

let work: ReturnType<typeof workdir>;
beforeAll(() => {
  work = workdir('ream-metrics-');
});
afterAll(() => work.cleanup());

describe('--metrics on every command', () => {
  it('writes a file promtool accepts with no findings, labelled with the command, whatever the run\'s outcome', () => {
    let checked = 0;
    for (const { name } of commands) {
      const file = join(work.dir, `every-${name}.prom`);
      const r = sh(`ream ${name} --metrics ${file} < /dev/null`);
      // A command that needs arguments refuses to start (exit 2) before any run: no run, no metrics.
      if (!existsSync(file)) {
        expect(r.status, `${name}: ${r.stderr}`).toBe(2);
        continue;
      }
      const text = readFileSync(file, 'utf8');
      expect(promtoolFindings(text), name).toEqual({ status: 0, findings: '' });
      expect(text).toContain(`ream_run_duration_seconds{command="${name}"}`);
      checked++;
    }
    expect(checked).toBeGreaterThan(0);
  });

  it('--tee with nowhere for the metrics to go is a usage error, before any input is read', () => {
    const r = ream(['metrics', '--tee'], { input: '{"a":1}\n' });
    expect([r.status, r.stdout, r.stderr]).toEqual([2, '', 'ream metrics: --tee passes the records through to stdout: give --metrics FILE, --serve or --push for the metrics\n']);
  });

  it('writes a valid file on empty input, bad input and a closed stdout, with the failures by reason', () => {
    const empty = join(work.dir, 'empty.prom');
    expect(ream(['metrics', '--tee', '--metrics', empty], { input: '' }).status).toBe(0);
    const bad = join(work.dir, 'bad.prom');
    const r = ream(['metrics', '--tee', '--metrics', bad], { input: '{"ok":1}\nnot json\n[1]\n\xff\xfe{"x":\n' });
    expect(r.status).toBe(1);
    const headed = join(work.dir, 'headed.prom');
    expect(sh(`yes '{"a":1}' | head -200000 | ream metrics --tee --metrics ${headed} | head -1`).stdout).toBe('{"a":1}\n');
    for (const file of [empty, bad, headed]) expect(promtoolFindings(readFileSync(file, 'utf8')), file).toEqual({ status: 0, findings: '' });
    const badFamilies = parse(readFileSync(bad, 'utf8'));
    expect(valueOf(badFamilies, 'ream_records_in_total')).toBe(1);
    expect(valueOf(badFamilies, 'ream_failures_total', { reason: 'bad_json' })).toBe(2);
    expect(valueOf(badFamilies, 'ream_failures_total', { reason: 'not_object' })).toBe(1);
    expect(valueOf(badFamilies, 'ream_last_success_timestamp_seconds')).toBeUndefined();
    expect(valueOf(parse(readFileSync(empty, 'utf8')), 'ream_last_success_timestamp_seconds')).toBeGreaterThan(Date.now() / 1000 - 60);
  });

  it('ream filter true --metrics on an empty or bad input still writes a valid file', () => {
    const empty = join(work.dir, 'filter-empty.prom');
    expect(ream(['filter', 'true', '--metrics', empty], { input: '' }).status).toBe(0);
    const bad = join(work.dir, 'filter-bad.prom');
    const r = ream(['filter', 'true', '--metrics', bad], { input: 'not json\n{"a":1}\n' });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('{"a":1}\n');
    for (const file of [empty, bad]) expect(promtoolFindings(readFileSync(file, 'utf8')), file).toEqual({ status: 0, findings: '' });
    const families = parse(readFileSync(bad, 'utf8'));
    expect(valueOf(families, 'ream_records_in_total', { command: 'filter' })).toBe(1);
    expect(valueOf(families, 'ream_failures_total', { command: 'filter', reason: 'bad_json' })).toBe(1);
  });

  it('keeps the last success time when a later run fails', () => {
    const file = join(work.dir, 'keep.prom');
    ream(['metrics', '--metrics', file], { input: '{}\n' });
    const first = valueOf(parse(readFileSync(file, 'utf8')), 'ream_last_success_timestamp_seconds');
    expect(ream(['metrics', '--metrics', file], { input: 'bad\n' }).status).toBe(1);
    const text = readFileSync(file, 'utf8');
    expect(valueOf(parse(text), 'ream_last_success_timestamp_seconds')).toBe(first);
    expect(valueOf(parse(text), 'ream_failures_total', { reason: 'bad_json' })).toBe(1);
  });

  it('refuses a --metrics file in a missing directory before doing any work', () => {
    const r = ream(['metrics', '--tee', '--metrics', join(work.dir, 'no/such/m.prom')], { input: '{}\n' });
    expect([r.status, r.stdout, r.stderr]).toEqual([2, '', `ream metrics: --metrics: ${join(work.dir, 'no/such')}: no such directory\n`]);
  });

  it('under xargs -P4 with --metrics DIR/, adds up to the same totals as one sequential run', () => {
    const dir = join(work.dir, 'xargs');
    mkdirSync(dir);
    for (let i = 0; i < 12; i++) writeFileSync(join(dir, `in${i}.ndjson`), records(50 + i, i * 100));
    const args = '--by kind --sum n --histogram n --buckets 1,10,100';
    const seq = sh(`ream metrics ${args} in*.ndjson`, { cwd: dir });
    expect(seq.status).toBe(0);
    const par = sh(`ls in*.ndjson | xargs -P4 -n1 ream metrics --tee ${args} --metrics parts/ > all.ndjson && ream metrics --sum parts/`, { cwd: dir });
    expect(par.status, par.stderr).toBe(0);
    expect(readdirSync(join(dir, 'parts')).filter((f) => /^metrics-.+-\d+\.prom$/.test(f))).toHaveLength(12);
    expect(parseLines(readFileSync(join(dir, 'all.ndjson'), 'utf8'))).toHaveLength(12 * 50 + 66);
    const [s, p] = [parse(seq.stdout), parse(par.stdout)];
    for (const name of ['ream_records_in_total', 'ream_bytes_in_total', 'ream_stream_records_total', 'ream_stream_field_sum_total', 'ream_stream_field_value_bucket', 'ream_stream_field_value_count']) {
      const series = (fs: Family[]) => fs.flatMap((f) => f.samples.filter((x) => x.name === name).map((x) => `${JSON.stringify(x.labels)} ${x.value}`)).sort();
      expect(series(p), name).toEqual(series(s));
      expect(series(s).length, name).toBeGreaterThan(0);
    }
    expect(promtoolFindings(par.stdout)).toEqual({ status: 0, findings: '' });
  });

  it('--sum refuses files that disagree on HELP/TYPE', () => {
    const dir = join(work.dir, 'mismatch');
    mkdirSync(dir);
    ream(['metrics', '--metrics', join(dir, 'a.prom')], { input: '{}\n' });
    writeFileSync(join(dir, 'b.prom'), readFileSync(join(dir, 'a.prom'), 'utf8').replace('# TYPE ream_records_in_total counter', '# TYPE ream_records_in_total gauge'));
    const r = ream(['metrics', '--sum', join(dir, 'a.prom'), join(dir, 'b.prom')]);
    expect([r.status, r.stdout]).toEqual([1, '']);
    expect(r.stderr).toMatch(/^ream metrics: cannot add: ream_records_in_total: .*b\.prom has TYPE gauge/);
    // A directory without its slash would be a field to sum, and the command would wait on stdin.
    const bare = sh('ream metrics --sum mismatch < /dev/null', { cwd: work.dir });
    expect([bare.status, bare.stderr]).toEqual([2, 'ream metrics: --sum mismatch: a directory; write mismatch/ to add the *.prom files in it\n']);
  });
});

describe('ream metrics as a filter', () => {
  it('counts by a field, sums and buckets another, and passes records through with --tee', () => {
    const input = records(30);
    const printed = ream(['metrics', '--by', 'kind', '--sum', 'n', '--histogram', 'n', '--buckets', '5,20'], { input });
    expect(printed.status).toBe(0);
    const f = parse(printed.stdout);
    expect(valueOf(f, 'ream_stream_records_total', { kind: 'a' })).toBe(10);
    expect(valueOf(f, 'ream_stream_records_total', { kind: 'b' })).toBe(20);
    expect(valueOf(f, 'ream_stream_field_sum_total', { kind: 'a', field: 'n' })).toBe([0, 3, 6, 9, 12, 15, 18, 21, 24, 27].reduce((a, b) => a + b));
    expect(valueOf(f, 'ream_stream_field_value_bucket', { kind: 'a', le: '5' })).toBe(2);
    expect(promtoolFindings(printed.stdout)).toEqual({ status: 0, findings: '' });
    const teed = ream(['metrics', '--tee', '--by', 'kind', '--metrics', join(work.dir, 'teed.prom')], { input });
    expect(teed.stdout).toBe(input);
    expect(valueOf(parse(readFileSync(join(work.dir, 'teed.prom'), 'utf8')), 'ream_stream_records_total', { kind: 'b' })).toBe(20);
  });

  it('past --max-series says so in one line and exits 1, but passes every record through', () => {
    const input = records(20);
    const r = ream(['metrics', '--tee', '--by', 'id', '--max-series', '5', '--metrics', join(work.dir, 'series.prom')], { input });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe(input);
    expect(r.stderr.split('\n')[0]).toMatch(/^ream metrics: --by id: more than 5 label sets \(--max-series\)/);
  });
});

describe('collected by node_exporter\'s textfile collector', () => {
  let exporter: ChildProcess | undefined;
  afterAll(() => stop(exporter));

  it('shows a file written by --metrics (and one summed from DIR/) with node_textfile_scrape_error 0', async () => {
    const textfiles = join(work.dir, 'textfile');
    mkdirSync(textfiles);
    const port = await freePort();
    exporter = daemon(NODE_EXPORTER, ['--collector.disable-defaults', '--collector.textfile', `--collector.textfile.directory=${textfiles}`, `--web.listen-address=127.0.0.1:${port}`]);
    const url = `http://127.0.0.1:${port}/metrics`;
    expect(ream(['metrics', '--tee', '--by', 'kind', '--metrics', join(textfiles, 'ream.prom')], { input: records(9) }).status).toBe(0);
    let page = parse(await eventually(() => scrape(url)));
    expect(valueOf(page, 'node_textfile_scrape_error')).toBe(0);
    expect(valueOf(page, 'ream_stream_records_total', { command: 'metrics', kind: 'a' })).toBe(3);
    expect(valueOf(page, 'ream_records_in_total', { command: 'metrics' })).toBe(9);

    // Per-process files from a parallel run, added into the collector's directory in one file.
    const parts = join(work.dir, 'textfile-parts');
    const r = sh(`for i in 1 2 3 4; do echo $i; done | xargs -P4 -I{} sh -c 'ream metrics --by kind --metrics ${parts}/ < /dev/null > /dev/null'; ream metrics --sum ${parts}/ --metrics ${textfiles}/ream.prom`);
    expect(r.status, r.stderr).toBe(0);
    page = parse(await scrape(url));
    expect(valueOf(page, 'node_textfile_scrape_error')).toBe(0);
    expect(valueOf(page, 'ream_records_in_total', { command: 'metrics' })).toBe(0);
    expect(valueOf(page, 'node_textfile_mtime_seconds', { file: `${textfiles}/ream.prom` })).toBeGreaterThan(0);
  });
});

describe('pushed to a Pushgateway', () => {
  let gateway: ChildProcess | undefined;
  afterAll(() => stop(gateway));

  it('lands under the job and instance grouping labels; a failed push is one line and exit 1, no output lost', async () => {
    const port = await freePort();
    gateway = daemon(PUSHGATEWAY, [`--web.listen-address=127.0.0.1:${port}`, '--persistence.file=']);
    const base = `http://127.0.0.1:${port}`;
    await eventually(() => scrape(`${base}/metrics`));
    const input = records(12);
    const r = ream(['metrics', '--tee', '--by', 'kind', '--push', base, '--job', 'nightly', '--instance', 'box/1'], { input });
    expect([r.status, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toBe(input);
    const page = parse(await scrape(`${base}/metrics`));
    expect(valueOf(page, 'ream_stream_records_total', { job: 'nightly', instance: 'box/1', command: 'metrics', kind: 'a' })).toBe(4);
    expect(valueOf(page, 'push_failure_time_seconds', { job: 'nightly', instance: 'box/1' })).toBe(0);

    const closed = await freePort();
    const failed = ream(['metrics', '--tee', '--push', `http://127.0.0.1:${closed}`], { input });
    expect(failed.status).toBe(1);
    expect(failed.stdout).toBe(input);
    expect(failed.stderr).toMatch(new RegExp(`^ream metrics: push to http://127\\.0\\.0\\.1:${closed}/metrics/job/ream/instance/[^ ]+ failed: ECONNREFUSED\\n$`));
  });
});

describe('--metrics-interval', () => {
  it('writes the file while the command runs, without a success time until it has succeeded', async () => {
    const file = join(work.dir, 'interval.prom');
    const child = spawn(join(BIN, 'ream'), ['metrics', '--tee', '--metrics', file, '--metrics-interval', '0.2'], { stdio: ['pipe', 'ignore', 'ignore'] });
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    try {
      child.stdin.write(records(4));
      const running = await eventually(async () => {
        const f = parse(readFileSync(file, 'utf8'));
        expect(valueOf(f, 'ream_records_in_total')).toBe(4);
        return f;
      });
      expect(valueOf(running, 'ream_last_success_timestamp_seconds')).toBeUndefined();
      child.stdin.end(records(2, 4));
      expect(await exited).toBe(0);
      const final = parse(readFileSync(file, 'utf8'));
      expect(valueOf(final, 'ream_records_in_total')).toBe(6);
      expect(valueOf(final, 'ream_last_success_timestamp_seconds')).toBeGreaterThan(0);
    } finally {
      stop(child);
    }
  });
});

describe('interrupted', () => {
  it('writes what was counted on SIGTERM, then dies of the signal', async () => {
    const file = join(work.dir, 'term.prom');
    const port = await freePort();
    const child = spawn(join(BIN, 'ream'), ['metrics', '--tee', '--metrics', file, '--serve', `${port}`], { stdio: ['pipe', 'pipe', 'ignore'] });
    const exited = new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on('exit', (code, signal) => resolve([code, signal])));
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    try {
      child.stdin.write(records(5));
      // Read but not yet written: the writer batches, and the interval write is 15 s away.
      await eventually(async () => expect(valueOf(parse(await scrape(`http://127.0.0.1:${port}/metrics`)), 'ream_records_in_total')).toBe(5));
      expect(existsSync(file)).toBe(false);
      process.kill(child.pid!, 'SIGTERM');
      expect(await exited).toEqual([null, 'SIGTERM']);
      expect(parseLines(out)).toHaveLength(5);
      const f = parse(readFileSync(file, 'utf8'));
      expect(valueOf(f, 'ream_records_in_total')).toBe(5);
      expect(valueOf(f, 'ream_last_success_timestamp_seconds')).toBeUndefined();
    } finally {
      stop(child);
    }
  });
});

describe('--serve', () => {
  it('answers a scrape while the pipeline runs', async () => {
    const port = await freePort();
    const child = spawn(join(BIN, 'ream'), ['metrics', '--tee', '--by', 'kind', '--serve', `${port}`], { env: { ...process.env, PATH: PATH_WITH_REAM } });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    try {
      child.stdin.write(records(6));
      const text = await eventually(async () => {
        const t = await scrape(`http://127.0.0.1:${port}/metrics`);
        expect(valueOf(parse(t), 'ream_stream_records_total', { kind: 'b' })).toBe(4);
        return t;
      });
      expect(promtoolFindings(text)).toEqual({ status: 0, findings: '' });
      child.stdin.end(records(3, 6));
      expect(await exited).toBe(0);
      expect(parseLines(out)).toHaveLength(9);
    } finally {
      stop(child);
    }
  });
});
