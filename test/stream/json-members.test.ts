import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JsonMembers, ValueKind } from '../../src/stream/json-members.js';

const scanned = (line: string, opaque?: string) => {
  const m = new JsonMembers();
  const buf = Buffer.from(line);
  if (!m.scan(buf, 0, buf.length, opaque === undefined ? undefined : Buffer.from(opaque))) return undefined;
  return Array.from({ length: m.count }, (_, i) => [
    buf.toString('utf8', m.keyStart[i], m.keyEnd[i]),
    buf.toString('utf8', m.valueStart[i], m.valueEnd[i]),
    m.kind[i],
  ]);
};

describe('JsonMembers', () => {
  it('finds the top-level members of a canonical line, and refuses what JSON.stringify would write differently', () => {
    expect(scanned('{"doc":"a.pdf","page":3,"meta":{"x":[1,{"y":null}]},"ok":true,"text":"é\\n"}')).toEqual([
      ['doc', '"a.pdf"', ValueKind.String],
      ['page', '3', ValueKind.Number],
      ['meta', '{"x":[1,{"y":null}]}', ValueKind.Object],
      ['ok', 'true', ValueKind.Boolean],
      ['text', '"é\\n"', ValueKind.String],
    ]);
    expect(scanned('{}')).toEqual([]);
    for (const odd of [
      '{"a":1 }', '{ "a":1}', '{"a": 1}', '{"a":1,"a":2}', '{"1":1}', '{"__proto__":1}', '{"\\u0061":1}', '{"a":"\\/"}',
      '{"a":"\\u0041"}', '{"a":"\\u001F"}', '{"a":"\\u0009"}', '{"a":1.0}', '{"a":-0}', '{"a":1e2}', '{"a":01}',
      '{"a":12345678901234567890}', '{"a":{"b":1,"b":2}}', '{"a":[1,]}', '{"a":tru}', '{"a":1}x', '[1]', '{"a":"raw\ttab"}',
    ]) {
      expect([odd, scanned(odd)]).toEqual([odd, undefined]);
    }
    // The opaque member's string may be escaped any way (its content is the caller's to check).
    expect(scanned('{"text":"\\u0041\\/","a":1}', 'text')).toEqual([['text', '"\\u0041\\/"', ValueKind.String], ['a', '1', ValueKind.Number]]);
  });

  it('property: a line it accepts is exactly JSON.stringify(JSON.parse(line)), with the keys in order', () => {
    const key = fc.constantFrom('a', 'b', 'text', '1', 'é', '__proto__', 'x y', 'q"');
    const value = fc.letrec((tie) => ({
      v: fc.oneof(
        { depthSize: 'small' },
        fc.string({ unit: 'binary', maxLength: 6 }),
        fc.integer(),
        fc.double(),
        fc.boolean(),
        fc.constant(null),
        fc.array(tie('v'), { maxLength: 3 }),
        fc.dictionary(key, tie('v'), { maxKeys: 3 }),
      ),
    })).v;
    const mutation = fc.constantFrom('none', 'space', 'slash', 'upper-hex', 'float');
    let accepted = 0;
    fc.assert(
      fc.property(fc.dictionary(key, value, { maxKeys: 4 }), mutation, (record, mutate) => {
        let line = JSON.stringify(record);
        if (mutate === 'space') line = line.replace(',', ', ');
        if (mutate === 'slash') line = line.replace('/', '\\/');
        if (mutate === 'upper-hex') line = line.replace(/\\u00([0-9a-f])([a-f])/, (_, a: string, b: string) => `\\u00${a}${b.toUpperCase()}`);
        if (mutate === 'float') line = line.replace(/:(\d+)([,}])/, ':$1.0$2');
        const members = scanned(line);
        if (members === undefined) return;
        accepted++;
        expect(JSON.stringify(JSON.parse(line))).toBe(line);
        expect(members.map(([k]) => k)).toEqual(Object.keys(JSON.parse(line)));
      }),
      { numRuns: 1000 },
    );
    expect(accepted).toBeGreaterThan(100);
  });
});
