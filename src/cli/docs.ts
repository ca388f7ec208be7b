// `ream docs INDEX`: the document table as NDJSON {doc, page, length, …stored fields}, in index order.
import type { Command } from 'commander';
import { examples, type CommandModule } from './command.js';
import { IndexReader } from '../index/codec/reader.js';

interface Opts {
  text?: boolean;
}

export const command: CommandModule<Opts> = {
  configure(cmd: Command) {
    cmd
      .argument('<index>', 'an index file')
      .option('--text', 'include the stored page text (indexes built with --store text)')
      .addHelpText(
        'after',
        examples(
          'ream docs docs.ream | ream count --by doc',
          'ream docs docs.ream | ream filter \'length == 0\'',
        ),
      );
  },

  async run(ctx, args, opts) {
    const reader = IndexReader.open(args[0]!);
    try {
      for (const d of reader.docs()) {
        const out: Record<string, unknown> = { doc: d.doc };
        if (d.page !== null) out.page = d.page;
        out.length = d.length;
        if (d.fields) Object.assign(out, JSON.parse(d.fields));
        if (opts.text && d.text !== undefined) out.text = d.text;
        ctx.out.write(out);
      }
    } finally {
      reader.close();
    }
  },
};
