// Real page text from the shared corpus, one script at a time. The expected tokens were written by
// hand from the line shown in each test, not copied from the program's output.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { getAnalyzer } from '../../src/text/analyzer.js';
import { CORPUS, describeWithCorpus } from '../helpers.js';

/** The first line of page `page` of a corpus PDF (as pdftotext prints it) that starts with `start`. */
function line(file: string, page: number, start: string): string {
  const r = spawnSync('pdftotext', ['-q', '-enc', 'UTF-8', '-f', String(page), '-l', String(page), join(CORPUS, 'good', file), '-'], { encoding: 'utf8' });
  const found = r.stdout.split('\n').find((l) => l.trimStart().startsWith(start));
  if (found === undefined) throw new Error(`${file} p${page}: no line starts with ${start}`);
  return found;
}

const tokens = (analyzer: string, text: string): string[] => getAnalyzer(analyzer).analyze(text);

describeWithCorpus('analyzers on real pages', () => {
  it('English (bitcoin whitepaper)', () => {
    const text = line('pp-bitcoin-ooo24.pdf', 1, 'Abstract.');
    expect(text).toContain('peer-to-peer');
    expect(tokens('standard', text)).toEqual(['abstract', 'a', 'purely', 'peer', 'to', 'peer', 'version', 'of', 'electronic', 'cash', 'would', 'allow', 'online']);
    expect(tokens('en', text)).toEqual(['abstract', 'pure', 'peer', 'peer', 'version', 'electron', 'cash', 'allow', 'onlin']);
  });

  it('German (TeX Live guide)', () => {
    const text = line('de-texlive-de.pdf', 6, 'Diese Anleitung');
    expect(tokens('standard', text)).toEqual(['diese', 'anleitung', 'beschreibt', 'das', 'tex', 'live', 'system', 'an', 'sich', 'nicht', 'die', 'arbeit', 'mit', 'tex']);
    const de = tokens('de', text);
    for (const stop of ['diese', 'das', 'an', 'sich', 'nicht', 'die', 'mit']) expect(de).not.toContain(stop);
    expect(de).toEqual(expect.arrayContaining(['anleit', 'arbeit', 'tex']));
  });

  it('French (auto-multiple-choice manual)', () => {
    const text = line('amc-manual-fr.pdf', 20, 'le fichier');
    expect(tokens('standard', text)).toEqual(['le', 'fichier', 'latex', 'généré', 'à', 'partir', 'du', 'fichier', 'source', 'amc', 'txt']);
    const elided = line('amc-manual-fr.pdf', 20, 'Les questions utilisant');
    expect(elided).toContain('l’option');
    const fr = tokens('fr', elided);
    expect(fr).toContain('option');
    for (const stop of ['les', 'ou', 'ne', 'pas', 'et', "l'option"]) expect(fr).not.toContain(stop);
  });

  it('Russian (TeX Live guide)', () => {
    const text = line('ru-texlive-ru.pdf', 3, 'документе');
    expect(tokens('standard', text)).toEqual(['документе', 'в', 'основном', 'описан', 'tex', 'live']);
    expect(tokens('ru', text)).toEqual(['документ', 'основн', 'описа', 'tex', 'live']);
  });

  it('Ukrainian (lshort-ukr)', () => {
    const text = line('uk-lshort-ukr.pdf', 20, 'Будь');
    expect(tokens('standard', text)).toEqual(['будь', 'ласка', 'почніть', 'новий']);
    expect(tokens('auto', text)).toContain('почніть');
  });

  it('Serbian Cyrillic (TeX Live guide; б of дистрибуције is an unmapped private-use glyph)', () => {
    const text = line('sr-texlive-sr-luatex.pdf', 3, 'У овом');
    expect(tokens('standard', text)).toEqual(['у', 'овом', 'документу', 'су', 'описане', 'главне', 'могућности', 'софтверске', 'дистри\uf6c5уције', 'tex', 'live', 'која', 'се', 'састоји']);
    // letters Russian lacks: auto does not run the Russian stemmer on them
    expect(tokens('auto', text)).toEqual(expect.arrayContaining(['могућности', 'која']));
  });

  it('Greek (polytonic, micro signs for mu)', () => {
    const text = line('el-elhyphen-modern-pdftex110.pdf', 2, 'µνήµης');
    expect(tokens('standard', text).slice(0, 8)).toEqual(['μνημησ', 'επισησ', 'δεν', 'θα', 'ασχοληθουμε', 'με', 'το', 'αρχειο']);
  });

  it('Arabic (presentation forms from the PDF)', () => {
    const text = line('ar-arabi-add-example-gs.pdf', 2, '\u202b• ');
    expect(tokens('standard', text)).toEqual(['لتكن', 'f', 'دالة', 'عددية', 'معرفة', 'على', 'مجال', 'مفتوح', 'i', 'و', 'x0', 'i']);
  });

  it('Persian (presentation forms, Persian digits)', () => {
    const text = line('fa-lshort-persian.pdf', 10, '\u202b\u202a ۱۱.۲.۵');
    expect(tokens('standard', text)).toEqual(['۱۱', '۲', '۵', 'سرعت', 'در', 'نظریه', 'نسبیت', 'عام', '۹۳']);
  });

  it('Hebrew (bidi controls around the words)', () => {
    const text = line('js-he-issue11656.pdf', 1, '\u202bשלום');
    expect(tokens('standard', text)).toEqual(['שלום', 'עולם', 'מה', 'שלום', 'כולם']);
  });

  it('Thai (ICU dictionary words)', () => {
    const text = line('js-th-issue13211.pdf', 1, 'คือ');
    const t = tokens('standard', text);
    expect(t.join('')).toBe(text.replace(/\s/g, ''));
    expect(t).toEqual(expect.arrayContaining(['คือ', 'ใน']));
    expect(t.length).toBeGreaterThan(4);
  });

  it('Korean (compatibility jamo, NFKC)', () => {
    const text = line('js-ko-issue8424.pdf', 1, 'ㄱ');
    expect(text.replace(/\s+/g, ' ').trim()).toBe('ㄱ ㅁ ㅑ ㅡ ㅱ ㆁ');
    expect(tokens('standard', text)).toEqual(['\u1100', '\u1106', '\u1163', '\u1173', '\u111d', '\u114c']);
  });

  it('Japanese (Universal Declaration of Human Rights)', () => {
    const text = line('pp-jpn-distiller5.pdf', 1, '人権の無視');
    expect(tokens('standard', text)).toEqual([
      '人権', '権の', 'の無', '無視', '視及', '及び', 'び軽', '軽侮', '侮が',
      '人類', '類の', 'の良', '良心', '心を', 'を踏', '踏み', 'みに', 'にじ', 'じっ', 'った', 'た野', '野蛮', '蛮行', '行為', '為を', 'をも', 'もた', 'たら', 'らし',
      '言論', '論及',
    ]);
    expect(tokens('cjk', text)).toEqual(expect.arrayContaining(['人権', '無視', '人類', '良心', '野蛮', '行為']));
  });

  it('Chinese (TeX Live guide)', () => {
    const text = line('zh-texlive-zh-cn.pdf', 5, '提问');
    expect(tokens('standard', text)).toEqual([
      '提问', '如果', '果你', '你还', '还是', '是找', '找不', '不到', '到答', '答案', '可以', '以在',
      'https', 'latex', 'org', '和', 'https', 'tex', 'stackexchange', 'com', '网站',
    ]);
  });
});
