// The cluster recipe (examples/cluster.sh) over real ssh: two sshd "hosts" on 127.0.0.1, each with
// its own port, host key and working directory. PDFs go out with rsync, shards come back, one job
// is killed on purpose, --resume redoes just that one, and the result must equal the one-machine
// build: same documents, same terms, same search results — merged, or searched as shards.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, CORPUS, PATH_WITH_REAM, ROOT, describeWithCorpus, haveCommand, parseLines, sh, workdir, type Ran } from '../helpers.js';

const HOSTS = join(ROOT, 'test/scaleout/sshd-hosts.sh');
const CLUSTER = join(ROOT, 'examples/cluster.sh');
/** PDFs per job: three jobs over two hosts, so both get work and ssh round trips stay few. */
const PER_JOB = 3;

/** A small, fixed slice of the corpus: short text PDFs, plus one bad input (exit 1, not a failed job). */
function subset(): string[] {
  const rows = readFileSync(join(CORPUS, 'MANIFEST.tsv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split('\t'));
  const good = rows
    .filter(([file, bytes, pages, , , encrypted, , chars]) =>
      file!.startsWith('good/') && Number(bytes) < 400_000 && Number(pages) <= 12 && encrypted === 'no' && /LATIN/.test(chars ?? ''))
    .map(([file]) => file!)
    .sort()
    .slice(0, 7);
  return [...good, 'bad/png-not-pdf.pdf'];
}

function runAsync(script: string, opts: { cwd: string; env: Record<string, string> }): { done: Promise<Ran> } {
  const child = spawn('bash', ['-c', script], { cwd: opts.cwd, env: { ...process.env, PATH: PATH_WITH_REAM, ...opts.env } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  return { done: new Promise((resolve) => child.on('close', (status) => resolve({ status, stdout, stderr }))) };
}

/** PIDs of `ream extract` processes running in a directory under `root` (a host's working dirs). */
function extractsUnder(root: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cwd = readlinkSync(`/proc/${entry}/cwd`);
      if (!cwd.startsWith(root)) continue;
      const argv = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (argv.some((a) => a.endsWith('/bin/ream') || a.endsWith('/bin/ream.cjs') || a.endsWith('/bin/ream-extract')) && argv.includes('extract')) found.push(Number(entry));
    } catch {
      // gone already, or not ours to read
    }
  }
  return found;
}

describeWithCorpus('the cluster recipe over ssh (GNU parallel, two sshd hosts)', () => {
  let dir = '';
  let cleanup = (): void => {};
  let hosts = '';
  let env: Record<string, string> = {};
  const logins = '-S 1/host1 -S 1/host2';
  const pdfs = subset();
  const q = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

  beforeAll(() => {
    for (const tool of ['parallel', 'rsync', 'ssh', 'ssh-keygen']) {
      if (!haveCommand(tool)) throw new Error(`${tool} is not installed (make deb-test installs it)`);
    }
    if (!existsSync('/usr/sbin/sshd')) throw new Error('/usr/sbin/sshd is not installed (Debian openssh-server)');
    ({ dir, cleanup } = workdir('ream-cluster-'));
    hosts = join(dir, 'hosts');
    env = { PARALLEL_SSH: `ssh -F ${hosts}/ssh_config`, PARALLEL_HOME: join(dir, 'parallel-home') };
    const r = spawnSync(HOSTS, ['start', hosts, '2', BIN], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`could not start the sshd hosts: ${r.stderr}`);
  });

  afterAll(() => {
    if (hosts) spawnSync(HOSTS, ['stop', hosts], { encoding: 'utf8' });
    cleanup();
  });

  it('uses a subset with documents and one bad input', () => {
    expect(pdfs.length).toBeGreaterThanOrEqual(6);
  });

  it('survives a killed job: --resume redoes it, and the index equals the one-machine build', async () => {
    const single = join(dir, 'single.ream');
    const merged = join(dir, 'cluster.ream');
    const work = join(dir, 'cluster.ream.d');
    const one = sh(`ream extract ${pdfs.map(q).join(' ')} | ream tokenize | ream index -o ${q(single)} >/dev/null`, { cwd: CORPUS });
    expect(one.stderr).toMatch(/png-not-pdf/);

    // First run: watch host2 and kill the first `ream extract` it runs.
    const cmd = `${q(CLUSTER)} index ${logins} -n ${PER_JOB} -r 1 -o ${q(merged)} ${pdfs.map(q).join(' ')}`;
    const first = runAsync(cmd, { cwd: CORPUS, env });
    let killed: number | undefined;
    const watcher = setInterval(() => {
      if (killed !== undefined) return;
      const [pid] = extractsUnder(join(hosts, 'host2', 'home'));
      if (pid !== undefined) {
        process.kill(pid, 'SIGKILL');
        killed = pid;
      }
    }, 20);
    const r1 = await first.done;
    clearInterval(watcher);
    expect(killed, `no job ran on host2 to kill:\n${r1.stderr}`).toBeDefined();
    expect(r1.status, r1.stderr).toBe(1);
    expect(r1.stderr).toMatch(/1 job\(s\) failed .*--resume/);
    expect(existsSync(merged)).toBe(false);
    const log1 = joblog(work);
    const failed = log1.filter((j) => j.exitval !== 0);
    expect(failed).toHaveLength(1);
    expect(failed[0]!.host).toMatch(/host2$/);
    // The killed job's shard never came back, half-built or otherwise.
    expect(readdirSync(join(work, 'shards'))).not.toContain(`shard-${failed[0]!.seq}.ream`);

    // Second run: only the failed job runs again, and the shards are merged.
    const r2 = sh(`${cmd} --resume`, { cwd: CORPUS, env, timeoutMs: 600_000 });
    expect(r2.status, r2.stderr).toBe(0);
    const log2 = joblog(work);
    expect(log2.slice(log1.length).map((j) => [j.seq, j.exitval])).toEqual([[failed[0]!.seq, 0]]);
    const jobs = Math.ceil(pdfs.length / PER_JOB);
    expect(readdirSync(join(work, 'shards')).sort()).toEqual(Array.from({ length: jobs }, (_, i) => `shard-${i + 1}.ream`).sort());
    // Jobs ran on both hosts, each in a directory of its own that --cleanup emptied.
    expect(new Set(log1.map((j) => j.host.replace(/^\d+\//, '')))).toEqual(new Set(['host1', 'host2']));
    for (const h of ['host1', 'host2']) expect(sh(`find ${q(join(hosts, h, 'home'))} -name '*.pdf' -o -name '*.ream'`).stdout).toBe('');

    // Same documents and pages (nothing lost, nothing twice), same terms and frequencies.
    const listing = (args: string): string[] => {
      const r = sh(`ream ${args}`);
      expect(r.status, r.stderr).toBe(0);
      return r.stdout.trim().split('\n').sort();
    };
    expect(listing(`docs ${q(merged)}`)).toEqual(listing(`docs ${q(single)}`));
    const terms = listing(`terms ${q(single)}`);
    expect(terms.length).toBeGreaterThan(100);
    expect(listing(`terms ${q(merged)}`)).toEqual(terms);

    // Same hits, merged or searched across the returned shards without merging.
    const frequent = parseLines(terms.join('\n'))
      .sort((a, b) => b.df - a.df || (a.term < b.term ? -1 : 1))
      .slice(0, 40)
      .filter((_, i) => i % 8 === 0)
      .map((t) => t.term as string);
    const queries = [...frequent, `${frequent[0]} ${frequent[1]}`];
    for (const query of queries) {
      const want = sh(`ream search -i ${q(single)} -k 20 ${q(query)}`);
      expect(want.status, want.stderr).toBe(0);
      expect(parseLines(want.stdout).length).toBeGreaterThan(0);
      for (const index of [merged, join(work, 'shards', '*.ream')]) {
        const got = sh(`ream search -i ${q(index)} -k 20 ${q(query)}`);
        expect(got.status, got.stderr).toBe(0);
        expect(hits(got.stdout), `${query} on ${index}`).toEqual(hits(want.stdout));
      }
    }
  }, 900_000);

  it('spreads one NDJSON stream over the hosts with --pipe, in input order, a failed block sent again', () => {
    // Keyed by doc, so that --keyed keeps a long page's chunk records in one block: tokenize needs
    // them together and in order.
    const pages = join(dir, 'pages.keyed');
    sh(`ream extract --key doc ${pdfs.map(q).join(' ')} > ${q(pages)}`, { cwd: CORPUS });
    expect(readFileSync(pages).length).toBeGreaterThan(40_000); // more than one block
    const local = sh(`ream tokenize --key doc < ${q(pages)}`);
    expect(local.status, local.stderr).toBe(0);
    // The first job to start fails (mkdir is atomic, and the hosts share this filesystem).
    const failOnce = `mkdir ${join(dir, 'failed-once')} 2>/dev/null && exit 1; exec ream tokenize --key doc`;
    const remote = sh(`${q(CLUSTER)} pipe ${logins} --keyed --block 20k -r 3 -- bash -c ${q(failOnce)} < ${q(pages)}`, { env, timeoutMs: 600_000 });
    expect(remote.status, remote.stderr).toBe(0);
    expect(existsSync(join(dir, 'failed-once'))).toBe(true);
    expect(remote.stdout).toBe(local.stdout);
  }, 600_000);
});

interface Job {
  seq: number;
  host: string;
  exitval: number;
}

function joblog(work: string): Job[] {
  return readFileSync(join(work, 'joblog'), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split('\t'))
    .map((f) => ({ seq: Number(f[0]), host: f[1]!, exitval: Number(f[6]) || Number(f[7]) }));
}

/** Hits without float noise in the last digits of the score, and without the `index` a hit from
 *  several indexes names. */
function hits(stdout: string): unknown[] {
  return parseLines(stdout).map(({ index: _index, ...h }) => ({ ...h, score: Math.round(h.score * 1e9) / 1e9 }));
}
