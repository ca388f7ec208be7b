// `ream csv [FILE…]`: CSV/TSV with a header row → one NDJSON record per row (keys from the header).
import type { CommandModule } from './command.js';
import { examples } from './command.js';
import { readCsvRows, type CsvOptions } from '../csv/rows.js';

interface CliOptions extends CsvOptions {
  tsv?: boolean;
}

export const command: CommandModule<CliOptions> = {
  configure(cmd) {
    cmd
      .argument('[file...]', 'CSV inputs (.gz read transparently); stdin when none or -')
      .option('-d, --delimiter <char>', 'field separator (\\t or tab for a tab)', ',')
      .option('-t, --tsv', 'tab-separated: the same as --delimiter tab')
      .option('-q, --quote <char>', "quote character, '' for none", '"')
      .option('--typed', 'write number-looking values as JSON numbers (default: all strings)')
      .option('--strict', 'stop at the first bad row')
      .addHelpText(
        'after',
        examples(
          `ream csv catalogue.csv | ream filter 'year >= 2000' | head`,
          `ream csv --tsv --typed catalogue.tsv > catalogue.ndjson`,
          `curl -s https://example.org/list.csv | ream csv --delimiter ';'`,
        ),
      );
  },
  async run(ctx, args, opts) {
    const out = ctx.out;
    await readCsvRows(ctx, args, (row) => out.write(row), { ...opts, delimiter: opts.tsv ? '\t' : opts.delimiter });
  },
};
