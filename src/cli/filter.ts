// `ream filter EXPR [FILE…]`: keeps the records for which EXPR is true (language: docs/filter.md).
// Kept records are written as the very line that was read, so nothing is re-serialised.
import type { CommandModule } from './command.js';
import { examples } from './command.js';
import { compileFilter, type Test } from '../expr/compile.js';
import { ExprSyntaxError } from '../expr/parse.js';
import { readRecords } from '../stream/ndjson.js';
import { UsageError } from '../stream/report.js';

interface FilterOptions {
  invert?: boolean;
  count?: boolean;
  strict?: boolean;
}

/** Compiles EXPR, or refuses the run (exit 2) with the expression and a caret under the fault. */
function compileOrRefuse(source: string): Test {
  try {
    return compileFilter(source);
  } catch (err) {
    if (err instanceof ExprSyntaxError) throw new UsageError(`syntax error in expression at column ${err.at + 1}: ${err.message}`, err.pointer());
    throw err;
  }
}

export const command: CommandModule<FilterOptions> = {
  configure(cmd) {
    cmd
      .argument('<expr>', "what to keep, e.g. 'pages > 3 and lang in [\"en\", \"de\"]' (see docs/filter.md)")
      .argument('[file...]', 'NDJSON inputs (.gz read transparently); stdin when none or -')
      .option('-v, --invert', 'keep the records for which EXPR is false')
      .option('-c, --count', 'print only {"count": N}, the number of records kept')
      .option('--strict', 'stop at the first bad input line')
      .addHelpText(
        'after',
        examples(
          `ream extract docs/*.pdf | ream filter 'chars > 200 and text icontains "invoice"' | head`,
          `ream filter 'meta.author matches /^(Ada|Grace) / and year >= 1950' pages.ndjson.gz`,
          `ream filter --count 'len(text) == 0' pages.ndjson        # how many empty pages`,
          `Operators: == != < <= > >= and or not + - * / % in contains starts ends matches =~ !~`,
          `           icontains istarts iends imatches (case-insensitive); /regex/i; [list]`,
          `Functions: len lower upper trim num str exists type abs floor ceil round min max`,
        ),
      );
  },
  async run(ctx, args, opts) {
    const [expr, ...files] = args;
    const test = compileOrRefuse(expr!);
    const keep = !opts.invert;
    let kept = 0;
    if (opts.count) {
      await readRecords(ctx, files, (record) => {
        if (test(record) === keep) kept++;
      }, { strict: opts.strict });
      ctx.out.write({ count: kept });
      return;
    }
    const out = ctx.out;
    await readRecords(ctx, files, (record, where) => {
      if (test(record) === keep) out.writeLine(where.text);
    }, { strict: opts.strict });
  },
};
