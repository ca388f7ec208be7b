#!/usr/bin/env node
// Writes the demo's sample PDFs: a handful of short documents in English, German, French and Russian,
// some pages long enough that `ream extract` splits them into chunk records. Made with pdfkit (a dev
// dependency, so it runs on a fresh clone after `npm ci`); Cyrillic uses the Liberation Sans font that
// pdfjs-dist ships. The output is byte-for-byte reproducible, and a file whose bytes would not change
// is left alone, so re-running the demo does not make `make` re-index anything.
//
// Usage: node scripts/sample-pdfs.mjs OUTDIR
import { createRequire } from 'node:module';
import { mkdirSync, readFileSync, renameSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const PDFDocument = require('pdfkit');
const CYRILLIC_FONT = join(dirname(require.resolve('pdfjs-dist/package.json')), 'standard_fonts', 'LiberationSans-Regular.ttf');
const FIXED_DATE = new Date(Date.UTC(2024, 0, 15, 12, 0, 0));

/** Each page: a heading and paragraphs. `long: n` repeats the paragraphs n times in small type. */
const documents = [
  {
    file: 'rivers/field-guide-to-rivers.pdf',
    title: 'A Short Field Guide to Rivers',
    author: 'ream demo',
    pages: [
      {
        heading: 'Where rivers begin',
        paragraphs: [
          'Most rivers begin as rain. Water that the soil cannot hold runs off in rills, the rills join into brooks, and the brooks gather into a stream that keeps its course all year. Springs feed a river from below, and glaciers feed it in summer, when the melt is at its height.',
          'The drainage basin is the whole area whose water ends in one river. A ridge that divides two basins is a watershed; rain falling a step to one side of it may reach a different ocean.',
        ],
      },
      {
        heading: 'Meanders and oxbow lakes',
        paragraphs: [
          'On flat ground a river swings from side to side. Water on the outside of a bend flows faster and cuts the bank; on the inside it slows down and drops sand and gravel. Year by year the loops grow wider, until a flood cuts through the narrow neck and leaves the old loop behind as an oxbow lake.',
        ],
      },
      {
        heading: 'The river delta',
        paragraphs: [
          'Where a river meets the sea it slows down and drops the silt it has carried. The silt builds a delta, a fan of land crossed by many small channels. The Nile delta, the Mississippi delta and the Ganges delta are among the largest; some of them grow by many metres a year.',
          'A delta is fertile and flat, and floods easily. People have farmed deltas for thousands of years and built dikes to keep the water out.',
        ],
      },
      {
        heading: 'Measuring a river',
        long: 6,
        paragraphs: [
          'Hydrologists measure discharge, the volume of water passing a point each second, in cubic metres per second. A gauging station records the water level, the stage, every few minutes, and a rating curve turns the stage into discharge. The curve is checked by measuring the velocity across the channel with a current meter or an acoustic Doppler profiler, section by section, and adding up velocity times area.',
          'Floods are described by their return period: a hundred-year flood has a one in a hundred chance of being reached or exceeded in any one year. Long records of annual peak discharge are fitted to a probability distribution to estimate it, and every new flood changes the estimate a little.',
        ],
      },
      {
        heading: 'Life in the river',
        paragraphs: [
          'Salmon hatch in gravel beds far upstream, spend years at sea and come back to the stream where they were born to spawn. Dams stop them unless a fish ladder lets them climb past. Otters, kingfishers and dippers hunt in clean, fast water; their presence is a sign of a healthy river.',
        ],
      },
    ],
  },
  {
    file: 'computing/pipes-and-filters.pdf',
    title: 'Pipes and Filters',
    author: 'ream demo',
    pages: [
      {
        heading: 'Small programs that do one thing',
        paragraphs: [
          'A filter reads a stream of lines on its standard input and writes a stream of lines on its standard output. Connected with a pipe, small filters make a large program: the shell starts every process at once and the kernel moves the data between them through a pipe buffer.',
          'A write of at most PIPE_BUF bytes to a pipe is atomic: when several processes write into the same pipe, their lines are never torn, as long as each line goes out in one such write.',
        ],
      },
      {
        heading: 'xargs and parallel jobs',
        paragraphs: [
          'The xargs command turns a list of file names into command lines. With -P it runs several of them at once, and with -n it passes a batch of names to each. GNU parallel does the same with more control: it can keep the output in input order, retry failed jobs from a job log, and spread the jobs over several machines with ssh.',
        ],
      },
      {
        heading: 'make as a build system for data',
        long: 5,
        paragraphs: [
          'A Makefile says how each target is made from its prerequisites. make compares modification times and runs only the recipes whose targets are older than their inputs, so after a change only the affected targets are rebuilt. Pattern rules describe a whole family of targets at once: every text file is made from the PDF of the same name, every shard from its text file.',
          'A recipe that fails must not leave a half-written target behind, or the next run would trust it. The special target .DELETE_ON_ERROR deletes a target whose recipe failed, and writing to a temporary file that is renamed into place at the end makes the update atomic even when the build is interrupted.',
        ],
      },
      {
        heading: 'Map and reduce',
        paragraphs: [
          'Map and reduce is the same idea at a larger scale: the map step turns each piece of the input into a partial result, independently and in parallel, and the reduce step merges the partial results into one. An index built in shards and merged at the end is a map and reduce job that needs nothing but the shell.',
        ],
      },
    ],
  },
  {
    file: 'reisen/bahnreise.pdf',
    title: 'Mit der Bahn durch die Alpen',
    author: 'ream demo',
    pages: [
      {
        heading: 'Abfahrt in Zürich',
        paragraphs: [
          'Der Zug verlässt den Hauptbahnhof pünktlich um acht Uhr. Durch das Fenster sieht man zuerst den See, dann die Hügel mit ihren Obstgärten und schließlich die ersten schneebedeckten Gipfel. Die Reisenden trinken Kaffee und lesen Zeitung.',
        ],
      },
      {
        heading: 'Der Gotthard',
        paragraphs: [
          'Die alte Bergstrecke windet sich in Kehrtunneln den Berg hinauf; die Kirche von Wassen sieht man dreimal, jedes Mal aus einer anderen Höhe. Der neue Basistunnel ist siebenundfünfzig Kilometer lang und führt flach unter dem Gebirge hindurch.',
          'Im Winter schützen Lawinengalerien die Gleise. Der Fluss Reuss begleitet die Strecke bis hinauf nach Göschenen.',
        ],
      },
      {
        heading: 'Ankunft im Tessin',
        paragraphs: [
          'Nach dem Tunnel ist alles anders: Palmen, italienische Ortsnamen und warme Luft. In Bellinzona stehen drei Burgen über der Stadt, und der Fluss Ticino fließt weiter zum Lago Maggiore.',
        ],
      },
    ],
  },
  {
    file: 'cuisine/recettes.pdf',
    title: 'Recettes de la rivière',
    author: 'ream demo',
    pages: [
      {
        heading: 'La truite aux amandes',
        paragraphs: [
          'Farinez légèrement les truites, faites-les dorer au beurre dans une poêle chaude, quatre minutes de chaque côté. Retirez-les, faites griller les amandes effilées dans le même beurre, ajoutez un filet de citron et versez sur le poisson. Servez avec des pommes de terre vapeur.',
        ],
      },
      {
        heading: 'La soupe au pistou',
        long: 4,
        paragraphs: [
          'Coupez en dés les courgettes, les carottes, les pommes de terre et les haricots verts; faites-les cuire dans l\'eau salée avec les haricots blancs pendant quarante minutes. Ajoutez les pâtes à la fin. Pilez l\'ail et le basilic avec le sel et l\'huile d\'olive pour faire le pistou, que l\'on incorpore hors du feu, au moment de servir.',
          'Cette soupe provençale se mange tiède en été. On la prépare la veille pour que les saveurs se mélangent; elle est encore meilleure réchauffée.',
        ],
      },
    ],
  },
  {
    file: 'reka/reka-volga.pdf',
    title: 'Волга',
    author: 'ream demo',
    font: 'cyrillic',
    pages: [
      {
        heading: 'Великая русская река',
        paragraphs: [
          'Волга — самая длинная река Европы. Она начинается на Валдайской возвышенности из маленького родника и впадает в Каспийское море, образуя огромную дельту с сотнями рукавов.',
          'На берегах Волги стоят старинные города: Тверь, Ярославль, Нижний Новгород, Казань, Самара и Волгоград.',
        ],
      },
      {
        heading: 'Рыба и судоходство',
        paragraphs: [
          'В дельте Волги водятся осётр и белуга. Плотины и водохранилища изменили течение реки, но по ней и сегодня ходят грузовые суда и туристические теплоходы.',
        ],
      },
    ],
  },
];

function render(spec) {
  return new Promise((resolvePdf, reject) => {
    const doc = new PDFDocument({
      autoFirstPage: false,
      compress: true,
      info: { Title: spec.title, Author: spec.author, Producer: 'ream sample-pdfs (pdfkit)', Creator: 'ream demo', CreationDate: FIXED_DATE, ModDate: FIXED_DATE },
    });
    const chunks = [];
    doc.on('data', (c) => chunks.push(c));
    doc.on('end', () => resolvePdf(Buffer.concat(chunks)));
    doc.on('error', reject);
    const font = spec.font === 'cyrillic' ? CYRILLIC_FONT : 'Helvetica';
    const boldFont = spec.font === 'cyrillic' ? CYRILLIC_FONT : 'Helvetica-Bold';
    spec.pages.forEach((page, i) => {
      doc.addPage({ size: 'A4', margin: 56 });
      doc.font(boldFont).fontSize(16).text(page.heading);
      doc.moveDown(0.5);
      const paragraphs = page.long ? Array.from({ length: page.long }, () => page.paragraphs).flat() : page.paragraphs;
      doc.font(font).fontSize(page.long ? 7.5 : 11);
      for (const p of paragraphs) doc.text(p, { align: 'left' }).moveDown(0.5);
      doc.fontSize(8).text(`${spec.title} — ${i + 1}`, 56, doc.page.height - 40, { lineBreak: false });
    });
    doc.end();
  });
}

async function main() {
  const outDir = process.argv[2];
  if (!outDir) {
    process.stderr.write('usage: node scripts/sample-pdfs.mjs OUTDIR\n');
    process.exitCode = 2;
    return;
  }
  let written = 0;
  for (const spec of documents) {
    const path = join(outDir, spec.file);
    const bytes = await render(spec);
    if (existsSync(path) && readFileSync(path).equals(bytes)) continue;
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(`${path}.tmp`, bytes);
    renameSync(`${path}.tmp`, path);
    written++;
  }
  process.stderr.write(`sample-pdfs: ${documents.length} PDFs in ${outDir} (${written} written, ${documents.length - written} unchanged)\n`);
}

await main();
