// The character tables (src/text/chars.ts): ASCII is filled without the Unicode regexes, and must
// give what they give.
import { describe, expect, it } from 'vitest';
import { classOf, fromProperties, scriptOfCode } from '../../src/text/chars.js';

describe('character classes', () => {
  it("ASCII's classes and scripts are those of the Unicode properties", () => {
    for (let c = 0; c < 0x80; c++) {
      expect([classOf(c), scriptOfCode(c)], `U+${c.toString(16).padStart(4, '0')}`).toEqual(fromProperties(String.fromCharCode(c)));
    }
  });

  it('the rest of the first block comes from the properties', () => {
    for (const c of [0xaa, 0xad, 0xb2, 0xb5, 0xc0, 0xd7, 0xdf, 0xf7, 0xff]) {
      expect([classOf(c), scriptOfCode(c)], `U+${c.toString(16).padStart(4, '0')}`).toEqual(fromProperties(String.fromCharCode(c)));
    }
  });
});
