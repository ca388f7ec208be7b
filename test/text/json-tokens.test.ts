import { describe, expect, it } from 'vitest';
import { JsonTokenList } from '../../src/text/json-tokens.js';

const encode = (tokens: string[]): string => {
  const list = new JsonTokenList();
  list.open();
  for (const t of tokens) list.token(t);
  list.close();
  return list.bytes.toString('utf8', 0, list.length);
};

describe('JsonTokenList', () => {
  it('encodes byte for byte what JSON.stringify writes', () => {
    for (const tokens of [
      [],
      ['a'],
      ['plain', "don't", '3.14'],
      ['café', 'данные', '中文', '𝒳', 'emoji😀'],
      ['say "no"', 'back\\slash', 'tab\there', 'nul\u0000', 'lone\ud800', 'lone\udc00x', '\u2028'],
    ]) {
      expect(encode(tokens)).toBe(JSON.stringify(tokens));
    }
  });

  it('lower-cases plain ASCII slices and grows past its first buffer', () => {
    const list = new JsonTokenList();
    list.open();
    const text = 'Hello WORLD 42 ';
    for (let i = 0; i < 20000; i++) list.plainSlice(text, 0, 11);
    list.close();
    const parsed = JSON.parse(list.bytes.toString('utf8', 0, list.length)) as string[];
    expect(parsed).toHaveLength(20000);
    expect(new Set(parsed)).toEqual(new Set(['hello world']));
    expect(list.count).toBe(20000);
  });
});
