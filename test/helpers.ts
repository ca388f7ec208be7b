// Shared test helpers: run the built binaries, run real shell pipelines, make temp work dirs, and find
// the shared corpus (tests that need it skip loudly when it is absent).
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const BIN = join(ROOT, 'bin');
/** PATH with ream's bin/ first, so `sh -c 'ream … | ream …'` runs this checkout. */
export const PATH_WITH_REAM = `${BIN}:${process.env.PATH}`;

export interface Ran {
  status: number | null;
  stdout: string;
  stderr: string;
}

function done(r: SpawnSyncReturns<string>): Ran {
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Runs `ream ARGS…` (the built binary) with optional stdin. */
export function ream(args: string[], opts: { input?: string | Buffer; cwd?: string; env?: Record<string, string> } = {}): Ran {
  return done(
    spawnSync(join(BIN, 'ream'), args, {
      input: opts.input ?? '',
      cwd: opts.cwd,
      encoding: 'utf8',
      maxBuffer: 1 << 30,
      env: { ...process.env, PATH: PATH_WITH_REAM, ...opts.env },
    }),
  );
}

/** Runs a real shell pipeline with ream's bin/ on PATH. */
export function sh(script: string, opts: { cwd?: string; env?: Record<string, string>; input?: string; timeoutMs?: number } = {}): Ran {
  return done(
    spawnSync('sh', ['-c', script], {
      input: opts.input ?? '',
      cwd: opts.cwd,
      encoding: 'utf8',
      maxBuffer: 1 << 30,
      timeout: opts.timeoutMs,
      env: { ...process.env, PATH: PATH_WITH_REAM, ...opts.env },
    }),
  );
}

/** A fresh temp dir, removed by the returned cleanup. */
export function workdir(prefix = 'ream-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Parses NDJSON text into records (throws on a torn or bad line). */
export function parseLines(text: string): Record<string, any>[] {
  return text
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l));
}

/** `../shared/corpus` (next to the repository), or REAM_CORPUS. */
export const CORPUS = process.env.REAM_CORPUS ?? resolve(ROOT, '..', 'shared', 'corpus');
export const HAVE_CORPUS = existsSync(join(CORPUS, 'MANIFEST.tsv'));

/** `describe` for tests that need the shared corpus: skipped, with a loud note, when it is absent. */
export function describeWithCorpus(name: string, fn: () => void): void {
  if (!HAVE_CORPUS) {
    process.stderr.write(`\n*** SKIPPED "${name}": the shared corpus is not at ${CORPUS} (set REAM_CORPUS) ***\n\n`);
  }
  describe.skipIf(!HAVE_CORPUS)(`${name} [shared corpus]`, fn);
}

/** Whether a command is on PATH (for tests against Debian tools). */
export function haveCommand(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).status === 0;
}
