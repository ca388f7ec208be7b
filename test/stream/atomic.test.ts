// Temp files: named for the process and host that made them, so that those a killed run left are
// found and removed, and no one else's are.
import { afterAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { checkOutput, removeStaleTemps, resolveOutput, tempPathFor, writeFileAtomically } from '../../src/stream/atomic.js';
import { UsageError } from '../../src/stream/report.js';
import { workdir } from '../helpers.js';

const { dir, cleanup } = workdir();
afterAll(cleanup);

describe('temp files', () => {
  it('removes the temp files of a process of this host that has exited, and only those', () => {
    const out = join(dir, 'out.ream');
    // a process that has exited: its pid is free (pids are not reused this soon)
    const gone = spawnSync('true').pid!;
    const mine = basename(tempPathFor(out)); // .out.ream.PID@HOST.RANDOM.tmp, PID this process
    const mark = /^\.out\.ream\.(\d+)@([A-Za-z0-9-]+)\.[a-z0-9]+\.tmp$/.exec(mine)!;
    expect(Number(mark[1])).toBe(process.pid);
    const host = mark[2]!;
    const names = {
      stale: [`.out.ream.${gone}@${host}.a1.tmp`, `.out.ream.run0.${gone}@${host}.b2.tmp.positions.tmp`, `.out.ream.part1.${gone}@${host}.c3.tmp.postings`],
      kept: [
        mine, // this process: running
        `.out.ream.${process.ppid}@${host}.d4.tmp`, // the parent: running
        `.out.ream.${gone}@another-host.e5.tmp`, // another host's: cannot be checked from here
        `.other.ream.${gone}@${host}.f6.tmp`, // another output's
        `.out.ream.${gone}@${host}.g7.txt`, // not a temp file
        'out.ream',
      ],
    };
    for (const name of [...names.stale, ...names.kept]) writeFileSync(join(dir, name), '');
    expect(removeStaleTemps(out)).toEqual([...names.stale].sort());
    expect(readdirSync(dir).sort()).toEqual([...names.kept].sort());
    expect(removeStaleTemps(out)).toEqual([]);
  });

  it('writes a file atomically, leaving no temp file', () => {
    const path = join(dir, 'metrics.prom');
    writeFileAtomically(path, 'a 1\n');
    writeFileAtomically(path, 'a 2\n');
    expect(readdirSync(dir).filter((f) => f.includes('metrics.prom'))).toEqual(['metrics.prom']);
  });

  it('writes a device or pipe in place rather than renaming a file over it', async () => {
    const fifo = join(dir, 'pipe');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    expect(resolveOutput(fifo)).toEqual({ path: fifo, inPlace: true });
    expect(resolveOutput('/dev/null')).toEqual({ path: '/dev/null', inPlace: true });
    const cat = spawn('cat', [fifo]);
    let read = '';
    cat.stdout.on('data', (d: Buffer) => (read += d.toString()));
    writeFileAtomically(fifo, 'through the pipe');
    await once(cat, 'close');
    expect(read).toBe('through the pipe');
    expect(statSync(fifo).isFIFO()).toBe(true);
  });

  it('refuses a directory, a missing directory and (for indexes) a device before any work', () => {
    expect(() => checkOutput(dir, '-o')).toThrow(UsageError);
    expect(() => checkOutput(join(dir, 'no', 'x'), '--errors')).toThrow(/--errors .*: no such directory/);
    expect(() => checkOutput('/dev/null', '-o', true)).toThrow(/not a regular file/);
    expect(checkOutput('/dev/null', '--metrics')).toEqual({ path: '/dev/null', inPlace: true });
    expect(checkOutput(join(dir, 'new.ream'), '-o', true)).toEqual({ path: join(realpathSync(dir), 'new.ream'), inPlace: false });
  });
});
