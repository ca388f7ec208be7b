// WriteBehind: syncs started as a file is written, and its own descriptor closed once they are done.
import { mkdtempSync, readdirSync, rmSync, writeSync, openSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { WriteBehind } from '../../src/stream/write-behind.js';

const dir = mkdtempSync(join(tmpdir(), 'ream-write-behind-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const openFds = () => readdirSync('/proc/self/fd').length;
const until = async (done: () => boolean) => {
  for (let i = 0; i < 500 && !done(); i++) await new Promise((r) => setTimeout(r, 10));
};

describe('WriteBehind', () => {
  it('starts a sync every so many bytes written, and none after close', async () => {
    const path = join(dir, 'a');
    const fd = openSync(path, 'w');
    const before = openFds();
    const behind = new WriteBehind(path, 1000);
    expect(openFds()).toBe(before + 1);
    const bytes = new Uint8Array(600);
    writeSync(fd, bytes);
    behind.written(600);
    expect(behind.inFlight).toBe(0);
    writeSync(fd, bytes);
    behind.written(600); // 1200: one sync
    expect(behind.inFlight).toBe(1);
    writeSync(fd, bytes);
    behind.written(600); // 600 since: none
    expect(behind.inFlight).toBe(1);
    closeSync(fd); // the writer's descriptor may go first
    behind.close();
    behind.written(5000);
    behind.close();
    await until(() => behind.inFlight === 0);
    expect(behind.inFlight).toBe(0);
    await until(() => openFds() === before - 1);
    expect(openFds()).toBe(before - 1);
  });

  it('closes its descriptor at once when no sync is running', () => {
    const path = join(dir, 'b');
    closeSync(openSync(path, 'w'));
    const before = openFds();
    const behind = new WriteBehind(path, 1 << 20);
    behind.written(10);
    behind.close();
    expect(openFds()).toBe(before);
  });
});

describe('WriteBehind on a file it cannot read', () => {
  it('does nothing, and the writer goes on', () => {
    const behind = new WriteBehind(join(dir, 'missing'), 10);
    behind.written(100);
    expect(behind.inFlight).toBe(0);
    behind.close();
  });
});
