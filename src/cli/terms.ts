// `ream terms INDEX`: the term dictionary as NDJSON {term, df, cf}, in byte order.
import type { Command } from 'commander';
import { examples, type CommandModule } from './command.js';
import { IndexReader } from '../index/codec/reader.js';

interface Opts {
  prefix?: string;
}

export const command: CommandModule<Opts> = {
  configure(cmd: Command) {
    cmd
      .argument('<index>', 'an index file')
      .option('--prefix <text>', 'only terms starting with this (as stored: analyzed, lower-cased)')
      .addHelpText(
        'after',
        examples(
          'ream terms docs.ream --prefix index',
          'ream terms docs.ream | ream filter \'df > 100\' | head',
        ),
      );
  },

  async run(ctx, args, opts) {
    const reader = IndexReader.open(args[0]!);
    try {
      const prefix = Buffer.from(opts.prefix ?? '', 'utf8');
      for (const t of reader.termsWithPrefix(prefix)) {
        ctx.out.write({ term: Buffer.from(t.term).toString('utf8'), df: t.df, cf: t.cf });
      }
    } finally {
      reader.close();
    }
  },
};
