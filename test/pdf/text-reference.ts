// joinRuns and usableCharRatio as first written (objects per glyph, array spreads, regular
// expressions), kept as the reference that test/pdf/text.test.ts compares the faster code with.
import type { TextRun } from '../../src/pdf/text.js';

/**
 * Joins text runs in content order: a newline where pdf.js says a line ends or the baseline moves by
 * more than half a line, a space where a gap on the same line is wider than a fraction of the font
 * size and pdf.js did not put one.
 */
export function referenceJoinRuns(runs: readonly TextRun[]): string {
  let out = '';
  // The last character of `out`, kept apart: reading it from `out` would flatten the string being
  // built (a rope) at every run, copying the page text over and over. -1 while `out` is empty.
  let last = -1;
  // Recent runs, to drop text drawn again on top of itself (fake bold: the same glyphs printed 2–4
  // times a fraction of a point apart), as pdftotext does.
  const recent: Array<{ str: string; x: number; y: number }> = [];
  const glyphs: Glyph[] = [];
  let lastX: number | undefined;
  let lastStartX: number | undefined;
  let lastY: number | undefined;
  let lastHeight = 0;
  for (const run of runs) {
    const x = run.transform[4]!;
    const y = run.transform[5]!;
    // The font size: the run's height, except in vertical writing, where pdf.js gives the run's advance
    // as its height (a whole column) and the text matrix has the size.
    const scale = Math.hypot(run.transform[2]!, run.transform[3]!);
    const height = Math.abs(run.height);
    const size = (height && scale ? Math.min(height, scale) : height || scale) || lastHeight;
    let str = run.str;
    if (str.trim().length > 0) {
      const near = size * 0.2;
      if (recent.some((r) => r.str === str && Math.abs(r.x - x) < near && Math.abs(r.y - y) < near)) continue;
      recent.push({ str, x, y });
      if (recent.length > 4) recent.shift();
      if (run.transform[1] === 0 && run.transform[2] === 0) {
        str = dropOverprintedPrefix(str, x, y, run.width, size, glyphs);
        if (str.length === 0) continue;
      }
    }
    if (str.length > 0 && lastY !== undefined && last !== -1 && !isBreak(last)) {
      const lineStep = Math.max(size, lastHeight) * 0.5;
      if (Math.abs(y - lastY) > lineStep) {
        out += '\n';
        last = 10;
      } else if (lastX !== undefined && lastStartX !== undefined && !/^\s/.test(str)) {
        const start = x + run.width * (1 - str.length / run.str.length);
        // A run that lies left of the previous one (right-to-left text, or runs drawn out of order):
        // the gap is between its end and the previous run's start.
        const gap = start < lastStartX ? lastStartX - (x + run.width) : start - lastX;
        if (gap > size * 0.25) {
          out += ' ';
          last = 32;
        }
      }
    }
    if (str.length > 0) {
      out += str;
      last = str.charCodeAt(str.length - 1);
    }
    if (run.str.length > 0) {
      lastStartX = x;
      lastX = x + run.width;
      lastY = y;
      lastHeight = size;
    }
    if (run.hasEOL && last !== 10) {
      out += '\n';
      last = 10;
    }
  }
  return out;
}

interface Glyph {
  ch: string;
  x: number;
  y: number;
}
const GLYPH_MEMORY = 32;

/**
 * Fake bold drawn glyph by glyph (each glyph 2–3 times, a fraction of a point apart): pdf.js merges a
 * copy with the next glyph into one run (`T`, `T`, `Te`, `e`, `es`…), which the whole-run check cannot
 * catch. Drops the leading characters of `str` that repeat a recently drawn glyph at (nearly) the same
 * place, and remembers this run's last glyphs; positions inside a run are estimated from its width.
 */
function dropOverprintedPrefix(str: string, x: number, y: number, width: number, size: number, glyphs: Glyph[]): string {
  const chars = [...str];
  const advance = width / chars.length;
  const tight = size * 0.1;
  let drop = 0;
  while (drop < chars.length && chars[drop]!.trim() && glyphs.some((g) => g.ch === chars[drop] && Math.abs(g.x - (x + advance * drop)) < tight && Math.abs(g.y - y) < tight)) drop++;
  for (let i = Math.max(0, chars.length - GLYPH_MEMORY); i < chars.length; i++) glyphs.push({ ch: chars[i]!, x: x + advance * i, y });
  if (glyphs.length > GLYPH_MEMORY) glyphs.splice(0, glyphs.length - GLYPH_MEMORY);
  return drop === 0 ? str : chars.slice(drop).join('');
}

function isBreak(c: number): boolean {
  return c === 10 || c === 32 || c === 9;
}

const JUNK = /[\x00-\x08\x0e-\x1f\x7f-\x9f\p{Co}\p{Cn}\ufffd]/gu;

export function referenceUsableCharRatio(text: string): number {
  let total = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (!/\s/.test(text[i]!) && !(c >= 0xd800 && c <= 0xdbff)) total++;
  }
  if (total <= 0) return 1;
  return (total - (text.match(JUNK)?.length ?? 0)) / total;
}
