// Build-time edits of pdf.js's parser (pdf.worker.mjs, PATCHES) and API (pdf.mjs, API_PATCHES), applied
// by build.mjs as it bundles pdf.js into dist/pdfjs.cjs, which reader.ts loads instead of the installed
// files. Why: pdf.js's text extraction spends its time per glyph and per text run, and a few of those
// steps cost far more than they need to (each patch says what and why; docs/extract.md, "Speed", has
// the measurements). Each one computes what the code it replaces computes: records of the whole good/
// corpus, stderr lines of good/ and bad/, and --info records are byte-identical with and without
// them, and test/pdf/pdfjs-patch.test.ts checks the arithmetic and state ones against upstream on
// random input, and the lexer and Type3 ones against pdf.js as shipped, run in a process of its own.
//
// Each edit is an exact-text replacement: if pdf-parse brings a pdf.js whose text differs, the build
// fails here. Then check whether upstream changed that code, and update or drop the patch.
// Plain JavaScript so that build.mjs can run it without a TypeScript step.
import { createRequire } from 'node:module';

/**
 * Every field pdf.js gives a Font, in the order the "every Font has the same fields" patch declares
 * them (test/pdf/pdfjs-patch.test.ts checks the list against the installed pdf.js).
 */
const FONT_FIELDS = [
  'name', 'psName', 'mimetype', 'disableFontFace', 'fontExtraProperties', 'loadedName', 'isType3Font',
  'missingFile', 'cssFontInfo', '_charsCache', '_glyphCache', 'isSerifFont', 'isSymbolicFont',
  'isMonospace', 'type', 'subtype', 'systemFontInfo', 'isInvalidPDFjsFont', 'fallbackName',
  'differences', 'widths', 'defaultWidth', 'composite', 'cMap', 'capHeight', 'ascent', 'descent',
  'lineHeight', 'fontMatrix', 'bbox', 'defaultEncoding', 'toUnicode', 'toFontChar', 'cidEncoding',
  'vertical', 'vmetrics', 'defaultVMetrics', 'isOpenType', 'lineGap', 'data', 'seacMap', 'bold',
  'italic', 'black', 'remeasure', 'charProcOperatorList', 'isCharBBox',
];

export const PATCHES = [
  {
    // Placing each glyph, pdf.js multiplied two 6-element matrices through Util.transform, allocating
    // three arrays, twice per glyph: 12% of extract's CPU plus the garbage collection it caused. The
    // replacement does the same floating-point operations in the same order (multiplications by the
    // zero entries included, so NaN, Infinity and -0 come out the same) and allocates one array.
    name: 'getCurrentTextTransform without temporary matrices',
    from: `    function getCurrentTextTransform() {
      const font = textState.font;
      const tsm = [textState.fontSize * textState.textHScale, 0, 0, textState.fontSize, 0, textState.textRise];
      if (font.isType3Font && (textState.fontSize <= 1 || font.isCharBBox) && !isArrayEqual(textState.fontMatrix, FONT_IDENTITY_MATRIX)) {
        const glyphHeight = font.bbox[3] - font.bbox[1];
        if (glyphHeight > 0) {
          tsm[3] *= glyphHeight * textState.fontMatrix[3];
        }
      }
      return Util.transform(textState.ctm, Util.transform(textState.textMatrix, tsm));
    }`,
    to: `    function getCurrentTextTransform() {
      const font = textState.font;
      const t0 = textState.fontSize * textState.textHScale, t1 = 0, t2 = 0, t4 = 0, t5 = textState.textRise;
      let t3 = textState.fontSize;
      if (font.isType3Font && (textState.fontSize <= 1 || font.isCharBBox) && !isArrayEqual(textState.fontMatrix, FONT_IDENTITY_MATRIX)) {
        const glyphHeight = font.bbox[3] - font.bbox[1];
        if (glyphHeight > 0) {
          t3 *= glyphHeight * textState.fontMatrix[3];
        }
      }
      const m = textState.textMatrix, c = textState.ctm;
      const m0 = m[0] * t0 + m[2] * t1, m1 = m[1] * t0 + m[3] * t1, m2 = m[0] * t2 + m[2] * t3, m3 = m[1] * t2 + m[3] * t3, m4 = m[0] * t4 + m[2] * t5 + m[4], m5 = m[1] * t4 + m[3] * t5 + m[5];
      return [c[0] * m0 + c[2] * m1, c[1] * m0 + c[3] * m1, c[0] * m2 + c[2] * m3, c[1] * m2 + c[3] * m3, c[0] * m4 + c[2] * m5 + c[4], c[1] * m4 + c[3] * m5 + c[5]];
    }`,
  },
  {
    // Every operator of a page started by truncating the reused argument array, a runtime call
    // (2% of extract's CPU); a fresh array is cheaper and nothing keeps the old one past its operator.
    name: 'getTextContent: a new argument array per operator',
    from: `      while (!(stop = timeSlotManager.check())) {
        args.length = 0;
        operation.args = args;`,
    to: `      while (!(stop = timeSlotManager.check())) {
        args = [];
        operation.args = args;`,
  },
  {
    // The same for a text run's pieces, joined by runBidiTransform just before.
    name: 'flushTextContentItem: a new piece array per text run',
    from: `      textContentItem.initialized = false;
      textContentItem.str.length = 0;`,
    to: `      textContentItem.initialized = false;
      textContentItem.str = [];`,
  },
  {
    // bidi() classified every character of every text run, a one-character string and a type each,
    // to find out that there is nothing right-to-left in it. Only code points in these ranges can be
    // R, AL or AN (the Latin-1 table has none), so a run without them takes the early return that
    // numBidi === 0 takes; the rest goes the old way, warnings included.
    name: 'bidi: left-to-right runs decided by one scan',
    from: `  if (strLength === 0 || vertical) {
    return createBidiText(str, isLTR, vertical);
  }
  chars.length = strLength;`,
    to: `  if (strLength === 0 || vertical) {
    return createBidiText(str, isLTR, vertical);
  }
  let maybeBidi = false;
  for (let k = 0; k < strLength; ++k) {
    const c = str.charCodeAt(k);
    if (c >= 1424 && (c <= 2220 || c >= 64336 && c <= 65023 || c >= 65136 && c <= 65279)) {
      maybeBidi = true;
      break;
    }
  }
  if (!maybeBidi) {
    return createBidiText(str, true);
  }
  chars.length = strLength;`,
  },
  {
    // charsToGlyphs kept every string a font ever showed as a key of a dictionary, hashing each
    // new one: 5% of the CPU, and memory that grows with the document. The glyphs themselves stay
    // cached per char code (_glyphCache), so the same glyph objects come back in a new array.
    name: 'charsToGlyphs without the per-string cache',
    from: `  charsToGlyphs(chars) {
    let glyphs = this._charsCache[chars];
    if (glyphs) {
      return glyphs;
    }
    glyphs = [];`,
    to: `  charsToGlyphs(chars) {
    const glyphs = [];`,
  },
  {
    name: 'charsToGlyphs without the per-string cache (store)',
    from: `    return this._charsCache[chars] = glyphs;
  }
  getCharPositions`,
    to: `    return glyphs;
  }
  getCharPositions`,
  },
  {
    // A glyph name outside the standard list (uni0041, g12, …) was recovered by walking all ~4,500
    // standard names for one with the same code point, once per such name per font: 2.5% of the
    // CPU. The walk's answer, the first name in for-in order with that value, is now looked up in a
    // table built by the same walk, once.
    name: 'recoverGlyphName through a reverse table',
    from: `function recoverGlyphName(name, glyphsUnicodeMap) {
  if (glyphsUnicodeMap[name] !== undefined) {
    return name;
  }
  const unicode = getUnicodeForGlyph(name, glyphsUnicodeMap);
  if (unicode !== -1) {
    for (const key in glyphsUnicodeMap) {
      if (glyphsUnicodeMap[key] === unicode) {
        return key;
      }
    }
  }`,
    to: `const glyphNamesByUnicode = new WeakMap();
function recoverGlyphName(name, glyphsUnicodeMap) {
  if (glyphsUnicodeMap[name] !== undefined) {
    return name;
  }
  const unicode = getUnicodeForGlyph(name, glyphsUnicodeMap);
  if (unicode !== -1) {
    let byUnicode = glyphNamesByUnicode.get(glyphsUnicodeMap);
    if (!byUnicode) {
      byUnicode = new Map();
      for (const key in glyphsUnicodeMap) {
        if (!byUnicode.has(glyphsUnicodeMap[key])) {
          byUnicode.set(glyphsUnicodeMap[key], key);
        }
      }
      glyphNamesByUnicode.set(glyphsUnicodeMap, byUnicode);
    }
    const key = byUnicode.get(unicode);
    if (key !== undefined) {
      return key;
    }
  }`,
  },
  {
    // A Font's fields were added in an order that depends on the font's type (Type3 fonts stop early,
    // vertical ones add metrics, TrueType adds isOpenType and lineGap, fonts without a file add bold,
    // italic...): six shapes ("maps") on good/, so V8's optimized text code met a new shape with each
    // new kind of font, threw its code away ("wrong map") and compiled it again, 15-18 times per
    // process. Declaring every field first, in one order, gives every Font one shape: -5% CPU on 40
    // files. Reading an undeclared field gives undefined either way, and exportData() skips undefined.
    name: 'every Font has the same fields, in the same order',
    from: `class Font {
  constructor(name, file, properties, evaluatorOptions) {
    this.name = name;`,
    to: `class Font {
  constructor(name, file, properties, evaluatorOptions) {
    ${FONT_FIELDS.map((field) => `this.${field} = undefined;`).join(' ')}
    this.name = name;`,
  },
  {
    // getTextContent keeps its text state on a stack: each "q" operator saved the state and went on
    // with Object.create(state), an object whose prototype is the saved one. Objects with different
    // prototypes have different shapes, so every nesting made a new one, and reading the state
    // (font, size, matrices: several times per glyph) went through V8's megamorphic lookups and
    // along prototype chains. A copy with the constructor's fields, in its order, gives every state
    // one shape: -7% CPU on 40 files. Same values: the copy takes what the chain would have shown
    // (ctm shared as before: it is replaced, never written in place; the three matrices copied as
    // before), and a saved state is not changed while a copy of it is in use.
    name: 'TextState.clone copies into a TextState',
    from: `class TextState {
  constructor() {
    this.ctm = new Float32Array(IDENTITY_MATRIX);`,
    to: `class TextState {
  constructor(from) {
    if (from) {
      this.ctm = from.ctm;
      this.fontName = from.fontName;
      this.fontSize = from.fontSize;
      this.loadedName = from.loadedName;
      this.font = from.font;
      this.fontMatrix = from.fontMatrix.slice();
      this.textMatrix = from.textMatrix.slice();
      this.textLineMatrix = from.textLineMatrix.slice();
      this.charSpacing = from.charSpacing;
      this.wordSpacing = from.wordSpacing;
      this.leading = from.leading;
      this.textHScale = from.textHScale;
      this.textRise = from.textRise;
      return;
    }
    this.ctm = new Float32Array(IDENTITY_MATRIX);`,
  },
  {
    name: 'TextState.clone copies into a TextState (clone)',
    from: `  clone() {
    const clone = Object.create(this);
    clone.textMatrix = this.textMatrix.slice();
    clone.textLineMatrix = this.textLineMatrix.slice();
    clone.fontMatrix = this.fontMatrix.slice();
    return clone;
  }
}
class EvalState {`,
    to: `  clone() {
    return new TextState(this);
  }
}
class EvalState {`,
  },
  {
    // The lexer read an operator (Tj, TJ, Td, re, cm…: most tokens of a content stream) a byte at a
    // time, as a string grown by concatenation and looked up by name in the operator table after each
    // byte, then again in the table of Cmd objects: fresh strings that V8 must internalize before each
    // lookup, ~2% of the CPU. Tokens of up to three bytes are now read as a number (the bytes in base
    // 256; a byte is never 0, which is whitespace) and looked up in sets of numbers made once from the
    // same tables. A fourth byte goes on the old way, from where the number left off: same tokens, same
    // Cmd objects, same reads of the stream.
    name: 'Lexer: short operators read as numbers',
    from: `class Lexer {
  constructor(stream, knownCommands = null) {`,
    to: `const knownCommandCodes = new WeakMap();
const NO_KNOWN_COMMANDS = new Set();
function shortTokenCode(token) {
  let code = 0;
  for (let i = 0; i < token.length; i++) {
    code = code * 256 + token.charCodeAt(i);
  }
  return code;
}
function shortTokenOf(code) {
  return code < 0x100 ? String.fromCharCode(code) : code < 0x10000 ? String.fromCharCode(code >> 8, code & 0xff) : String.fromCharCode(code >> 16, (code >> 8) & 0xff, code & 0xff);
}
function shortKnownCommands(knownCommands) {
  if (!knownCommands) {
    return NO_KNOWN_COMMANDS;
  }
  let codes = knownCommandCodes.get(knownCommands);
  if (!codes) {
    codes = new Set();
    for (const name in knownCommands) {
      if (name.length <= 3 && knownCommands[name] !== undefined && /^[\x01-\xff]+$/.test(name)) {
        codes.add(shortTokenCode(name));
      }
    }
    knownCommandCodes.set(knownCommands, codes);
  }
  return codes;
}
const shortCmds = new Map();
function shortCmd(code) {
  let cmd = shortCmds.get(code);
  if (cmd === undefined) {
    cmd = Cmd.get(shortTokenOf(code));
    shortCmds.set(code, cmd);
  }
  return cmd;
}
class Lexer {
  constructor(stream, knownCommands = null) {`,
  },
  {
    name: 'Lexer: short operators read as numbers (getObj)',
    from: `    const knownCommands = this.knownCommands;
    let knownCommandFound = knownCommands?.[str] !== undefined;
    while ((ch = this.nextChar()) >= 0 && !specialChars[ch]) {
      const possibleCommand = str + String.fromCharCode(ch);
      if (knownCommandFound && knownCommands[possibleCommand] === undefined) {
        break;
      }
      if (str.length === 128) {
        throw new FormatError(\`Command token too long: \${str.length}\`);
      }
      str = possibleCommand;
      knownCommandFound = knownCommands?.[str] !== undefined;
    }
    if (str === "true") {`,
    to: `    const knownCommands = this.knownCommands;
    const known = shortKnownCommands(knownCommands);
    let code = ch;
    let length = 1;
    let knownCommandFound = known.has(code);
    let fourthByte = false;
    while (true) {
      ch = this.nextChar();
      if (ch < 0 || specialChars[ch]) {
        break;
      }
      if (length === 3) {
        fourthByte = true;
        break;
      }
      const possible = code * 256 + ch;
      if (knownCommandFound && !known.has(possible)) {
        break;
      }
      code = possible;
      length++;
      knownCommandFound = known.has(code);
    }
    if (!fourthByte) {
      if (code === 0x4249) {
        this.beginInlineImagePos = this.stream.pos;
      }
      return shortCmd(code);
    }
    str = shortTokenOf(code);
    do {
      const possibleCommand = str + String.fromCharCode(ch);
      if (knownCommandFound && knownCommands[possibleCommand] === undefined) {
        break;
      }
      if (str.length === 128) {
        throw new FormatError(\`Command token too long: \${str.length}\`);
      }
      str = possibleCommand;
      knownCommandFound = knownCommands?.[str] !== undefined;
    } while ((ch = this.nextChar()) >= 0 && !specialChars[ch]);
    if (str === "true") {`,
  },
  {
    // pdf.js inflates Flate streams (content streams, fonts, object streams) in JavaScript, a block at
    // a time as they are read: 7% of extract's CPU (readBlock, Huffman tables). Node's zlib does it
    // natively. A Flate stream over bytes in memory is now inflated whole by zlib the first time it
    // is read; zlib stops at the end of the deflate data, where pdf.js stops, and gives the same bytes.
    // Where zlib refuses (damaged or truncated data, where pdf.js keeps what it could decode), or
    // the output would pass 64 MB (pdf.js decodes such a stream as it is read), or zlib is not
    // there, the stream is inflated as before. callgrind: -5 to -7% instructions.
    name: 'FlateStream: inflated by zlib',
    from: `    this.codeSize = 0;
    this.codeBuf = 0;
  }
  async getImageData(length, _decoderOptions) {`,
    to: `    this.codeSize = 0;
    this.codeBuf = 0;
    this.triedZlib = false;
  }
  inflateWithZlib() {
    this.triedZlib = true;
    const str = this.str;
    if (!nodeZlib || !(str instanceof Stream) || str.pos >= str.end) {
      return false;
    }
    const start = str.pos;
    let inflated;
    try {
      inflated = nodeZlib.inflateRawSync(str.bytes.subarray(start, str.end), { maxOutputLength: 64 << 20 });
    } catch {
      return false;
    }
    str.pos = str.end;
    this.buffer = new Uint8Array(inflated.buffer, inflated.byteOffset, inflated.length);
    this.bufferLength = inflated.length;
    this.eof = true;
    return true;
  }
  async getImageData(length, _decoderOptions) {`,
  },
  {
    name: 'FlateStream: inflated by zlib (first read)',
    from: `  readBlock() {
    let buffer, hdr, len;
    const str = this.str;
    try {
      hdr = this.getBits(3);`,
    to: `  readBlock() {
    if (!this.triedZlib && this.inflateWithZlib()) {
      return;
    }
    let buffer, hdr, len;
    const str = this.str;
    try {
      hdr = this.getBits(3);`,
  },
  {
    name: 'FlateStream: inflated by zlib (zlib)',
    from: `class FlateStream extends DecodeStream {`,
    to: `const nodeZlib = typeof process === "object" && typeof process.getBuiltinModule === "function" ? process.getBuiltinModule("zlib") : null;
class FlateStream extends DecodeStream {`,
  },
  {
    // A Type3 font's glyphs are content streams; pdf.js parses each one as its font loads, and traces
    // the outline of every bitmap glyph (old TeX PDFs: whole fonts of them) into a path for the
    // canvas: 18% of the CPU on such a file. Text needs only the glyph boxes the font's bbox is taken
    // from (d1), and the traced paths only when the font has no bbox of its own (the one case in which
    // pdf.js guesses one from them). In every other case the bitmap stays untraced, as upstream
    // leaves a bitmap it cannot trace.
    name: 'Type3 glyph bitmaps traced only when the font has no bbox',
    from: `    const fontBBoxSize = Math.hypot(width, height);
    for (const key of charProcs.getKeys()) {`,
    to: `    const fontBBoxSize = Math.hypot(width, height);
    type3Evaluator.options.traceType3Bitmaps = !fontBBoxSize;
    for (const key of charProcs.getKeys()) {`,
  },
  {
    name: 'Type3 glyph bitmaps traced only when the font has no bbox (trace)',
    from: `      if (this.parsingType3Font) {
        args = compileType3Glyph(imgData);`,
    to: `      if (this.parsingType3Font) {
        if (!this.options.traceType3Bitmaps) {
          operatorList.addImageOps(OPS.paintImageMaskXObject, [imgData], optionalContent);
          return;
        }
        args = compileType3Glyph(imgData);`,
  },
];

/**
 * Edits of pdf.js's API (pdf.mjs). On loading in Node it requires the native @napi-rs/canvas (a
 * Skia build with its own thread pool) to polyfill DOMMatrix, ImageData and Path2D, which only
 * rendering uses: ~30 ms of CPU and ~19 MB of memory in every extract process, for nothing, and native
 * code loaded next to untrusted PDFs. reader.ts defines stand-ins for the three (pdf.js builds one
 * DOMMatrix as it loads), and the package is then left unloaded; with any of them missing pdf.js
 * loads it as before.
 */
export const API_PATCHES = [
  {
    name: '@napi-rs/canvas only when DOMMatrix, ImageData or Path2D is missing',
    from: `    try {
      canvas = require("@napi-rs/canvas");`,
    to: `    try {
      canvas = globalThis.DOMMatrix && globalThis.ImageData && globalThis.Path2D ? undefined : require("@napi-rs/canvas");`,
  },
];

/** Applies `patches` to the text of pdf.js's `file`; throws unless each one's `from` occurs exactly once. */
function applyPatches(source, patches, file) {
  let out = source;
  for (const { name, from, to } of patches) {
    const count = out.split(from).length - 1;
    if (count !== 1) {
      throw new Error(`pdf.js patch "${name}": expected its upstream text once in ${file}, found it ${count} times (pdfjs-dist changed?). Update or drop it in src/pdf/pdfjs-patch.mjs.`);
    }
    out = out.replace(from, () => to);
  }
  return out;
}

/** Applies PATCHES to the text of pdf.worker.mjs. */
export function patchPdfjsWorker(source) {
  return applyPatches(source, PATCHES, 'pdf.worker.mjs');
}

/** Applies API_PATCHES to the text of pdf.mjs. */
export function patchPdfjsApi(source) {
  return applyPatches(source, API_PATCHES, 'pdf.mjs');
}

/** A file of the installed pdf.js build: the copy pdf-parse depends on. */
function installedPdfjs(file) {
  const fromPdfParse = createRequire(createRequire(import.meta.url).resolve('pdf-parse'));
  return fromPdfParse.resolve(`pdfjs-dist/legacy/build/${file}`);
}

/** The installed pdf.js worker (parser) file, which PATCHES edit. */
export function installedPdfjsWorker() {
  return installedPdfjs('pdf.worker.mjs');
}

/** The installed pdf.js API file, which API_PATCHES edit. */
export function installedPdfjsApi() {
  return installedPdfjs('pdf.mjs');
}
