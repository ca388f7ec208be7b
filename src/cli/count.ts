// `ream count`: term or field-value frequencies, NDJSON {term, count} most frequent first. Its output
// is its own input for a reduce step (`--by term --sum count`), so partial counts from parallel jobs
// combine; see docs/records.md.
import type { CommandModule } from './command.js';
import { examples, positiveInt } from './command.js';
import { ExactCounter, SpaceSavingCounter, type TermCounter } from '../text/counter.js';
import { readRecords } from '../stream/ndjson.js';
import { UsageError } from '../stream/report.js';

interface Opts {
  by: string;
  sum?: string;
  top?: number;
  counters?: number;
}

export const command: CommandModule<Opts> = {
  configure(cmd) {
    cmd
      .argument('[files...]', 'NDJSON records (stdin when none or -)')
      .option('-b, --by <field>', 'count the values of this field (strings or numbers; arrays count each element)', 'tokens')
      .option('-s, --sum <field>', 'add this numeric field instead of 1 per value (to combine earlier counts)')
      .option('-n, --top <n>', 'only the N most frequent terms', positiveInt)
      .option(
        '--counters <m>',
        'bound memory to M counters (Space-Saving): counts may be too high by at most total/M, shown as error',
        positiveInt,
      )
      .addHelpText(
        'after',
        examples(
          'ream extract a.pdf | ream tokenize -a en | ream count --top 20',
          "ream extract *.pdf | ream filter 'not chunk' | ream count --by doc   # pages per document (a long page's chunks once)",
          "ls *.pdf | xargs -P2 -n8 sh -c 'ream extract \"$@\" | ream tokenize | ream count > part.$$.ndjson' sh",
          'cat part.*.ndjson | ream count --by term --sum count --top 100',
        ),
      );
  },
  async run(ctx, args, opts) {
    if (opts.counters !== undefined && opts.top !== undefined && opts.counters < opts.top) {
      throw new UsageError(`--counters ${opts.counters} is fewer than --top ${opts.top}`);
    }
    const counter: TermCounter = opts.counters ? new SpaceSavingCounter(opts.counters) : new ExactCounter();
    const { by, sum } = opts;
    let records = 0;
    let withField = 0;
    await readRecords(ctx, args, (record, where) => {
      records++;
      const value = record[by];
      if (value === undefined || value === null) return;
      withField++;
      let weight = 1;
      if (sum !== undefined) {
        const w = record[sum];
        if (typeof w !== 'number' || !Number.isFinite(w)) {
          return ctx.report.fail(`${where.source}:${where.line}`, `'${sum}' is not a number`, 'bad_field');
        }
        weight = w;
      }
      if (typeof value === 'string') counter.add(value, weight);
      else if (Array.isArray(value)) {
        for (const v of value) {
          if (typeof v === 'string') counter.add(v, weight);
          else if (typeof v === 'number' || typeof v === 'boolean') counter.add(String(v), weight);
        }
      } else if (typeof value === 'number' || typeof value === 'boolean') counter.add(String(value), weight);
      else ctx.report.fail(`${where.source}:${where.line}`, `'${by}' is an object, not a string, number or array`, 'bad_field');
    });
    // Nothing to count at all is more often a misspelt field (or tokens already gone) than an answer.
    if (records > 0 && withField === 0) {
      ctx.report.warn(`no record has '${by}'${by === 'tokens' ? ' (count tokenized records, or name a field with --by)' : ''}`);
    }
    for (const entry of counter.result(opts.top)) ctx.out.write(entry);
  },
};
