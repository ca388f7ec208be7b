import { describe, expect, it } from 'vitest';
import { EncodedMemo, hashKey } from '../../src/text/encoded-memo.js';

const SAME = new Uint8Array(256).map((_, c) => c);
const LOWERED = new Uint8Array(256).map((_, c) => (c >= 65 && c <= 90 ? c + 32 : c));

/** Looks `key` up; on a miss adds it with the value `[key]` upper-cased. Returns the value and whether it was found. */
function lookUp(memo: EncodedMemo, key: string, fold = SAME): { value: string; hit: boolean } {
  const buf = Buffer.from(key);
  let entry = memo.findHashed(buf, 0, buf.length, hashKey(fold, buf, 0, buf.length));
  const hit = entry >= 0;
  if (!hit) {
    const value = Buffer.from(JSON.stringify(key.toUpperCase()));
    entry = memo.add(buf, 0, buf.length, value, value.length, 1);
  }
  const out = new Uint8Array(memo.valueLength(entry));
  memo.copyValue(entry, out, 0);
  return { value: Buffer.from(out).toString(), hit };
}

describe('EncodedMemo (the byte path memo)', () => {
  it('finds what was added, through the fold, as its table grows', () => {
    const memo = new EncodedMemo(LOWERED);
    const keys = Array.from({ length: 20_000 }, (_, i) => `Word${i}`);
    for (const k of keys) expect(lookUp(memo, k, LOWERED)).toEqual({ value: JSON.stringify(k.toUpperCase()), hit: false });
    for (const k of keys) expect(lookUp(memo, k.toUpperCase(), LOWERED)).toEqual({ value: JSON.stringify(k.toUpperCase()), hit: true });
    expect(memo.size).toBe(20_000);
    expect(memo.evictions).toBe(0);
  });

  it('when full, keeps the entries found since the last eviction and drops the others', () => {
    const memo = new EncodedMemo(SAME, { maxEntries: 64 });
    for (let i = 0; i < 64; i++) lookUp(memo, `k${i}`);
    // k0..k9 are used again; the others were only added.
    for (let i = 0; i < 10; i++) expect(lookUp(memo, `k${i}`).hit).toBe(true);
    expect(lookUp(memo, 'new').hit).toBe(false);
    expect(memo.evictions).toBe(1);
    expect(memo.size).toBe(11);
    for (let i = 0; i < 10; i++) expect(lookUp(memo, `k${i}`)).toEqual({ value: JSON.stringify(`K${i}`), hit: true });
    expect(lookUp(memo, 'new')).toEqual({ value: '"NEW"', hit: true });
    expect(lookUp(memo, 'k10').hit).toBe(false);
    expect(lookUp(memo, 'k10').value).toBe('"K10"');
  });

  it('does not keep a key or value too long for its header', () => {
    const memo = new EncodedMemo(SAME);
    const key = Buffer.from('k'.repeat(128));
    expect(memo.find(key, 0, key.length)).toBe(-1);
    expect(memo.add(key, 0, key.length, Buffer.from('"x"'), 3, 1)).toBe(-1);
    const short = Buffer.from('k');
    expect(memo.find(short, 0, 1)).toBe(-1);
    expect(memo.add(short, 0, 1, new Uint8Array(70_000), 70_000, 1)).toBe(-1);
    expect(memo.size).toBe(0);
    expect(lookUp(memo, 'k'.repeat(127))).toEqual({ value: JSON.stringify('K'.repeat(127)), hit: false });
    expect(lookUp(memo, 'k'.repeat(127)).hit).toBe(true);
  });

  it('keeps at most half its capacity, and evicts when the pool would pass its bound', () => {
    const memo = new EncodedMemo(SAME, { maxEntries: 32 });
    for (let i = 0; i < 32; i++) lookUp(memo, `k${i}`);
    for (let i = 0; i < 32; i++) lookUp(memo, `k${i}`);
    lookUp(memo, 'x');
    expect(memo.size).toBe(17);

    const small = new EncodedMemo(SAME, { maxPoolBytes: 1000 });
    for (let i = 0; i < 200; i++) expect(lookUp(small, `key-${i}`).value).toBe(JSON.stringify(`KEY-${i}`));
    expect(small.evictions).toBeGreaterThan(0);
    expect(small.pool.length).toBeLessThanOrEqual(1000);
  });
});
