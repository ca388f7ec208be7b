// The build-time patch of pdf.js's parser (src/pdf/pdfjs-patch.mjs): it must apply to the installed
// pdf.js exactly, fail loudly on any other text, and compute bit for bit what the code it replaces does.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { API_PATCHES, installedPdfjsApi, installedPdfjsWorker, PATCHES, patchPdfjsApi, patchPdfjsWorker } from '../../src/pdf/pdfjs-patch.mjs';
import { loadPdfjs } from '../../src/pdf/reader.js';
import { contentStreamPdf, type3BitmapPdf, writePdf, type Type3Options } from '../fixtures/pdfs.js';
// @ts-expect-error plain JavaScript module shared with upstream-pdfjs.mjs
import { pageOutput } from './page-output.mjs';
import { workdir } from '../helpers.js';

const upstream = readFileSync(installedPdfjsWorker(), 'utf8');
const upstreamApi = readFileSync(installedPdfjsApi(), 'utf8');
const patch = PATCHES.find((p) => p.name.startsWith('getCurrentTextTransform'))!;

describe('pdf.js patch', () => {
  it('applies once to the installed pdf.worker.mjs, and the build ships the result', () => {
    const patched = patchPdfjsWorker(upstream);
    for (const p of PATCHES) {
      // gone, unless the patch inserts code before it
      if (!p.to.includes(p.from)) expect(patched.includes(p.from)).toBe(false);
      expect(patched.split(p.to).length - 1).toBe(1);
    }
    // the bundle reader.ts loads (esbuild reprints the code, so one line of each side is looked for)
    const bundle = readFileSync(new URL('../../dist/pdfjs.cjs', import.meta.url), 'utf8');
    expect(bundle).not.toContain('return Util.transform(textState.ctm, Util.transform(textState.textMatrix, tsm));');
    expect(bundle.split('const m = textState.textMatrix, c = textState.ctm;').length - 1).toBe(1);
  });

  it('fails when the upstream text has changed', () => {
    const changed = upstream.replace(patch.from, patch.from.replace('textState.textRise', 'textState.textRise ?? 0'));
    expect(() => patchPdfjsWorker(changed)).toThrow(/getCurrentTextTransform.*found it 0 times/);
  });

  it('computes exactly what upstream computes, NaN, infinities and -0 included', () => {
    // pdf.js's own Util.transform and isArrayEqual, from the installed file.
    const transform = /static transform\(m1, m2\) \{\n\s*(return [^\n]*)\n/.exec(upstream)![1]!;
    const isArrayEqual = /function isArrayEqual\(arr1, arr2\) \{[\s\S]*?\n\}/.exec(upstream)![0];
    const make = (body: string) =>
      new Function('textState', `const Util = { transform(m1, m2) { ${transform} } }; ${isArrayEqual}; const FONT_IDENTITY_MATRIX = [0.001, 0, 0, 0.001, 0, 0];\n${body}\nreturn getCurrentTextTransform();`) as (s: unknown) => number[];
    const before = make(patch.from);
    const after = make(patch.to);
    const num = fc.oneof(fc.double(), fc.constantFrom(0, -0, 1, -1, 0.001, NaN, Infinity, -Infinity), fc.integer({ min: -1000, max: 1000 }));
    const matrix = fc.array(num, { minLength: 6, maxLength: 6 });
    const state = fc.record({
      font: fc.record({ isType3Font: fc.boolean(), isCharBBox: fc.boolean(), bbox: fc.array(num, { minLength: 4, maxLength: 4 }) }),
      fontSize: num,
      textHScale: num,
      textRise: num,
      textMatrix: matrix,
      ctm: matrix,
      fontMatrix: fc.oneof(matrix, fc.constant([0.001, 0, 0, 0.001, 0, 0])),
    });
    fc.assert(
      fc.property(state, (s) => {
        const a = before(s);
        const b = after(s);
        expect(b.length).toBe(6);
        b.forEach((v, i) => expect(Object.is(v, a[i]), `element ${i}: ${v} vs ${a[i]}`).toBe(true));
      }),
      { numRuns: 2000 },
    );
  });

  it('bidi() returns what upstream returns for any mix of scripts', () => {
    // pdf.js's bidi module (tables, helpers, bidi()) from the installed and the patched file
    const section = (source: string) => /;\/\/ \.\/src\/core\/bidi\.js\n[\s\S]*?\nfunction bidi\([\s\S]*?\n\}\n/.exec(source)![0];
    const load = (source: string) => new Function('warn', `${section(source)}; return bidi;`)(() => {}) as (s: string, level?: number, vertical?: boolean) => unknown;
    const before = load(upstream);
    const after = load(patchPdfjsWorker(upstream));
    expect(section(patchPdfjsWorker(upstream))).toContain('maybeBidi');
    // ASCII, Latin-1, Hebrew, Arabic, Syriac/Thaana/NKo, presentation forms, CJK, and both sides of each range's ends
    const codes = [0x20, 0x41, 0x61, 0x31, 0x2e, 0xa0, 0xe9, 0x58f, 0x590, 0x5d0, 0x5f4, 0x5f5, 0x600, 0x627, 0x660, 0x6ff, 0x700, 0x8ac, 0x8ad, 0xfb4f, 0xfb50, 0xfdff, 0xfe00, 0xfe6f, 0xfe70, 0xfeff, 0xff00, 0x4e2d, 0x300];
    const text = fc.array(fc.constantFrom(...codes), { maxLength: 40 }).map((cs) => String.fromCharCode(...cs));
    fc.assert(
      fc.property(text, fc.constantFrom(-1, 0, 1), fc.boolean(), (s, level, vertical) => {
        expect(after(s, level, vertical)).toEqual(before(s, level, vertical));
      }),
      { numRuns: 3000 },
    );
  });

  it('recoverGlyphName() returns what upstream returns', () => {
    // the standard glyph table, getUnicodeForGlyph and recoverGlyphName from the installed and the patched file
    const pick = (source: string, re: RegExp) => re.exec(source)![0];
    const load = (source: string) =>
      new Function(
        'info',
        [
          pick(source, /function getLookupTableFactory\([\s\S]*?\n\}\n/),
          pick(source, /const getGlyphsUnicode = getLookupTableFactory\([\s\S]*?\n\}\);\n/),
          pick(source, /function getUnicodeForGlyph\([\s\S]*?\n\}\n/),
          pick(source, /(const glyphNamesByUnicode = new WeakMap\(\);\n)?function recoverGlyphName\([\s\S]*?\n\}\n/),
          'return (name) => recoverGlyphName(name, getGlyphsUnicode());',
        ].join('\n'),
      )(() => {}) as (name: string) => string;
    const before = load(upstream);
    const after = load(patchPdfjsWorker(upstream));
    // standard names, uniXXXX and uXXXX[XX] names (upper and lower case), code points several names share, and junk
    const hex = fc.integer({ min: 0, max: 0x2ffff }).map((n) => n.toString(16).toUpperCase().padStart(4, '0'));
    const name = fc.oneof(
      fc.constantFrom('A', 'space', 'Alpha', 'afii10017', 'uni0041', 'uni00A0', 'uni0020', 'uni2010', 'uni00AD', 'u1F600', 'uni03a9', 'g12', '', 'u', 'uni'),
      hex.map((h) => `uni${h.slice(-4)}`),
      hex.map((h) => `u${h}`),
      hex.map((h) => `uni${h.slice(-4).toLowerCase()}`),
      fc.string({ maxLength: 8 }),
    );
    fc.assert(
      fc.property(name, (n) => {
        expect(after(n)).toBe(before(n));
      }),
      { numRuns: 3000 },
    );
  });

  it('declares, in the Font constructor, every field pdf.js gives a Font', () => {
    // One shape for every Font only holds if no field is added after the declarations: a field that
    // a newer pdf.js adds must be declared too (src/pdf/pdfjs-patch.mjs, "every Font has the same fields").
    const fontClass = /\nclass Font \{[\s\S]*?\nclass ErrorFont \{/.exec(upstream)![0];
    const assigned = new Set([...fontClass.matchAll(/\bthis\.(\w+) = /g)].map((m) => m[1]!));
    // TranslatedFont adds these two to Type3 fonts once their glyph programs are loaded
    for (const m of upstream.matchAll(/\n\s*font\.(charProcOperatorList|isCharBBox) = /g)) assigned.add(m[1]!);
    const shape = PATCHES.find((p) => p.name.startsWith('every Font'))!;
    const declared = [...shape.to.matchAll(/\bthis\.(\w+) = undefined;/g)].map((m) => m[1]!);
    expect(new Set(declared).size).toBe(declared.length);
    expect([...assigned].sort()).toEqual([...declared].sort());
    expect(assigned.size).toBeGreaterThan(40);
  });

  it('TextState copies show what the prototype chains showed, through any mix of q, Q and state changes', () => {
    // upstream's StateManager and TextState against the patched TextState (flat copies instead of
    // Object.create), driven by the same random operations; every field is compared after each one.
    const cls = (src: string, name: string) => new RegExp(`\\nclass ${name} \\{[\\s\\S]*?\\n\\}\\n`).exec(src)![0];
    const transform = /static transform\(m1, m2\) \{\n\s*(return [^\n]*)\n/.exec(upstream)![1]!;
    const make = (src: string) =>
      new Function(`const IDENTITY_MATRIX = [1, 0, 0, 1, 0, 0]; const FONT_IDENTITY_MATRIX = [0.001, 0, 0, 0.001, 0, 0];
        const Util = { transform(m1, m2) { ${transform} } };
        ${cls(upstream, 'StateManager')} ${cls(src, 'TextState')}
        return () => new StateManager(new TextState());`)() as () => { state: Record<string, unknown>; save(): void; restore(): void; transform(m: number[]): void };
    const patched = patchPdfjsWorker(upstream);
    expect(cls(patched, 'TextState')).toContain('return new TextState(this);');
    const before = make(upstream);
    const after = make(patched);
    const fields = ['ctm', 'fontName', 'fontSize', 'loadedName', 'font', 'fontMatrix', 'textMatrix', 'textLineMatrix', 'charSpacing', 'wordSpacing', 'leading', 'textHScale', 'textRise'];
    const snapshot = (state: Record<string, unknown>) => fields.map((f) => (ArrayBuffer.isView(state[f]) || Array.isArray(state[f]) ? Array.from(state[f] as number[]) : state[f]));
    const fonts = [{ name: 'a' }, { name: 'b' }];
    const num = fc.integer({ min: -50, max: 50 });
    const op = fc.oneof(
      fc.constant(['save'] as const),
      fc.constant(['restore'] as const),
      fc.tuple(fc.constant('set' as const), fc.constantFrom('fontName', 'fontSize', 'loadedName', 'charSpacing', 'wordSpacing', 'leading', 'textHScale', 'textRise'), num),
      fc.tuple(fc.constant('font' as const), fc.constantFrom(0, 1)),
      fc.tuple(fc.constant('fontMatrix' as const), num),
      fc.tuple(fc.constant('setTextMatrix' as const), fc.array(num, { minLength: 6, maxLength: 6 })),
      fc.tuple(fc.constant('setTextLineMatrix' as const), fc.array(num, { minLength: 6, maxLength: 6 })),
      fc.tuple(fc.constant('translateTextMatrix' as const), num, num),
      fc.tuple(fc.constant('translateTextLineMatrix' as const), num, num),
      fc.constant(['carriageReturn'] as const),
      fc.tuple(fc.constant('transform' as const), fc.array(num, { minLength: 6, maxLength: 6 })),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const managers = [before(), after()];
        for (const o of ops) {
          for (const m of managers) {
            const st = m.state as Record<string, any>;
            switch (o[0]) {
              case 'save': m.save(); break;
              case 'restore': m.restore(); break;
              case 'set': st[o[1]] = o[2]; break;
              case 'font': st.font = fonts[o[1]]; break;
              case 'fontMatrix': st.fontMatrix = [o[1], 0, 0, o[1], 0, 0]; break;
              case 'setTextMatrix': case 'setTextLineMatrix': st[o[0]](...o[1]); break;
              case 'translateTextMatrix': case 'translateTextLineMatrix': st[o[0]](o[1], o[2]); break;
              case 'carriageReturn': st.carriageReturn(); break;
              case 'transform': m.transform(o[1]); break;
            }
          }
          expect(snapshot(managers[1]!.state)).toEqual(snapshot(managers[0]!.state));
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('leaves @napi-rs/canvas unloaded when the rendering classes exist, and loads it when one is missing', () => {
    const patched = patchPdfjsApi(upstreamApi);
    for (const p of API_PATCHES) {
      expect(patched.includes(p.from)).toBe(false);
      expect(patched.split(p.to).length - 1).toBe(1);
    }
    expect(readFileSync(new URL('../../dist/pdfjs.cjs', import.meta.url), 'utf8')).toContain('globalThis.DOMMatrix && globalThis.ImageData && globalThis.Path2D ?');
    // the patched statement, run with and without the three classes
    const statement = API_PATCHES[0]!.to.trim().replace(/^try \{\s*/, '');
    const run = (globals: Record<string, unknown>) => {
      const loaded: string[] = [];
      new Function('globalThis', 'require', `let canvas; ${statement} return canvas;`)(globals, (name: string) => (loaded.push(name), {}));
      return loaded;
    };
    expect(run({ DOMMatrix: class {}, ImageData: class {}, Path2D: class {} })).toEqual([]);
    expect(run({ DOMMatrix: class {}, ImageData: class {} })).toEqual(['@napi-rs/canvas']);
    expect(run({})).toEqual(['@napi-rs/canvas']);
  });

  it('Type3 bitmap fonts: the text items (strings, transforms, sizes) are those of pdf.js as shipped, with a bbox, a tiny one or none', async () => {
    const cases: Type3Options[] = [
      { fontBBox: [0, 0, 8, 8], glyphOp: 'd1' }, // bitmaps not traced; the font's own box
      { fontBBox: [0, 0, 0.5, 0.5], glyphOp: 'd1' }, // not traced; the glyphs' d1 boxes, 10x the font's, taken instead
      { fontBBox: [0, 0, 0, 0], glyphOp: 'd0' }, // traced: the box is guessed from the traced outlines
      { fontBBox: [0, 0, 0, 0], glyphOp: 'd1' }, // traced; the d1 boxes taken
    ];
    const pdfs = await Promise.all(cases.map((opts) => type3BitmapPdf('ABBA BAB', opts)));
    const ours = await againstShipped('text', pdfs);
    for (const items of ours) expect(items.map((i: { str: string }) => i.str).join('')).toBe('ABBA BAB');
    // the fonts differ in what their box makes of the text's height: the cases test something
    expect(new Set(ours.map((items) => items[0].transform[3])).size).toBeGreaterThan(1);
  });

  it('the lexer reads any operator soup into the operators and text pdf.js as shipped reads', async () => {
    // Tokens around the lexer's edges: every known operator, prefixes and extensions of them, the
    // operator table's entries for true/false/null and their prefixes, bytes above 0x7f, a token of
    // 130 bytes (too long), numbers, names, strings, arrays, dictionaries, an inline image.
    const operators = ['w', 'J', 'j', 'M', 'd', 'ri', 'i', 'gs', 'q', 'Q', 'cm', 'm', 'l', 'c', 'v', 'y', 'h', 're', 'S', 's', 'f', 'F', 'f*', 'B', 'B*', 'b', 'b*', 'n', 'W', 'W*', 'BT', 'ET', 'Tc', 'Tw', 'Tz', 'TL', 'Tf', 'Tr', 'Ts', 'Td', 'TD', 'Tm', 'T*', 'Tj', 'TJ', "'", '"', 'd0', 'd1', 'CS', 'cs', 'SC', 'SCN', 'sc', 'scn', 'G', 'g', 'RG', 'rg', 'K', 'k', 'sh', 'Do', 'MP', 'DP', 'BMC', 'BDC', 'EMC', 'BX', 'EX', 'BM', 'BD'];
    const odd = ['true', 'false', 'null', 'tru', 'fa', 'fal', 'fals', 'nu', 'nul', 'truee', 'nulll', 'Tjx', 'TJJ', 'BDCX', 'SCNx', 'reW', 'Qq', 'qQ', 'BTET', 'x', 'xy', 'xyz', 'wxyz', 'T\xe9', '\xe9t\xe9', '\xff\xfe\xfd\xfc', 'B'.repeat(130)];
    const operands = ['0', '1', '-2.5', '.5', '12 0 0 12 10 100', '/F1', '/F1 12', '(Hello)', '(a\\(b\\)c)', '<414243>', '[(A) -120 (B)]', '<< /MCID 0 >>', 'BI /W 2 /H 2 /IM true ID \x00\x00 EI'];
    const token = fc.oneof({ arbitrary: fc.constantFrom(...operators), weight: 4 }, { arbitrary: fc.constantFrom(...odd), weight: 2 }, { arbitrary: fc.constantFrom(...operands), weight: 4 });
    // no separator at all glues tokens together (QqBT, Tjx, 12Tf): where a token ends is the lexer's call
    const separator = fc.constantFrom(' ', '\n', '\r\n', '  ', '\t', '', '');
    const soup = fc.array(fc.tuple(token, separator), { minLength: 1, maxLength: 40 }).map((parts) => Buffer.from('BT /F1 12 Tf 10 100 Td ' + parts.map(([t, sep]) => t + sep).join('') + ' ET', 'latin1'));
    const contents = fc.sample(soup, { numRuns: 150, seed: 20261204 });
    contents.push(Buffer.from('BT /F1 12 Tf 10 100 Td (abc) Tj fals (d) Tj truee null 1 0 0 1 0 0 cm (A)Tjq(B)TjQq BI /W 1 /H 1 /IM true ID \x00 EI ET', 'latin1'));
    const pdfs = await Promise.all(contents.map((c) => contentStreamPdf(c)));
    await againstShipped('ops', pdfs);
    await againstShipped('text', pdfs);
  });

  it('Flate streams: zlib inflates what pdf.js inflates, and damaged ones are left to pdf.js', async () => {
    const lines = Array.from({ length: 300 }, (_, i) => `BT /F1 9 Tf 10 ${(i * 7) % 190} Td (line ${i} of the stream, ${'word '.repeat(i % 9)}) Tj ET`);
    const content = Buffer.from(lines.join('\n'), 'latin1');
    const valid = deflateSync(content);
    const flip = (b: Buffer, at: number) => Buffer.concat([b.subarray(0, at), Buffer.from([b[at]! ^ 0x5a]), b.subarray(at + 1)]);
    const variants = [
      valid,
      deflateSync(content, { level: 0 }), // stored blocks
      deflateSync(content, { level: 9, windowBits: 9, memLevel: 1 }), // short distances, several blocks
      deflateSync(Buffer.alloc(0)), // empty
      Buffer.concat([valid, Buffer.from('trailing garbage after the checksum')]),
      valid.subarray(0, valid.length - 4), // no checksum
      valid.subarray(0, Math.floor(valid.length * 0.6)), // truncated: pdf.js keeps what it decoded
      flip(valid, Math.floor(valid.length / 2)), // damaged in the middle
      flip(valid, 3), // damaged block header
      Buffer.from([0x78, 0x9c]), // a header and nothing else
    ];
    const pdfs = await Promise.all(variants.map((v) => contentStreamPdf(v, 'FlateDecode')));
    const ops = await againstShipped('ops', pdfs);
    await againstShipped('text', pdfs);
    // the valid variants did give the whole page: the comparison is not between two failures
    for (const i of [0, 1, 2, 4, 5]) expect(ops[i].fnArray.length, `variant ${i}`).toBeGreaterThan(1000);
  });
});

/**
 * What page 1 of each PDF gives (page-output.mjs) through ream's bundle here (with its stand-ins) and
 * through pdf.js as shipped, in a process of its own with @napi-rs/canvas: expects them equal, and
 * returns ours.
 */
async function againstShipped(kind: 'text' | 'ops', pdfs: Buffer[]): Promise<any[]> {
  const { pdfjs, worker } = (await loadPdfjs()) as { pdfjs: unknown; worker: unknown };
  const { dir, cleanup } = workdir();
  try {
    const files = pdfs.map((pdf, i) => writePdf(join(dir, `${i}.pdf`), pdf));
    const ours = [];
    // pdf.js warns (console.warn) about every odd operator of the soups; as shipped, its stderr is captured
    const warn = console.warn;
    console.warn = () => {};
    try {
      for (const file of files) ours.push(await pageOutput(pdfjs, readFileSync(file), { worker }, kind));
    } finally {
      console.warn = warn;
    }
    const shipped = spawnSync(process.execPath, [fileURLToPath(new URL('./upstream-pdfjs.mjs', import.meta.url)), kind, ...files], { encoding: 'utf8', maxBuffer: 1 << 28 });
    expect(shipped.status, shipped.stderr).toBe(0);
    const theirs = JSON.parse(shipped.stdout) as unknown[];
    ours.forEach((page, i) => expect(page, `${kind} of ${files[i]}`).toEqual(theirs[i]));
    return ours;
  } finally {
    cleanup();
  }
}
