// `ream merge -o OUT IN…`: joins index files into one (the reduce step). Inputs are checked in full
// (whole-file CRC) before anything is written; the output replaces OUT atomically.
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { examples, positiveInt, prepareIndexOutput, type CommandModule } from './command.js';
import { UsageError, describeError } from '../stream/report.js';
import { IndexReader } from '../index/codec/reader.js';
import { defaultMergeThreads, mergeInThreads } from '../index/merge-parallel.js';
import { expandIndexPaths } from '../index/paths.js';
import { recordIndexMetrics } from '../index/summary.js';

interface Opts {
  output: string;
  deleteDocs?: string;
  verify: boolean;
  threads?: number;
}

/** Doc names to delete: one per line, or NDJSON records with a `doc` field. */
export function readDeletions(path: string): Set<string> {
  const out = new Set<string>();
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const t = line.replace(/\r$/, '');
    if (t.trim() === '') continue;
    if (t.startsWith('{')) {
      const r = JSON.parse(t) as { doc?: unknown };
      if (typeof r.doc === 'string') out.add(r.doc);
    } else out.add(t);
  }
  return out;
}

export const command: CommandModule<Opts> = {
  configure(cmd: Command) {
    cmd
      .argument('<inputs...>', 'index files (globs such as \'shards/*.ream\' are expanded)')
      .requiredOption('-o, --output <file>', 'the merged index to write (replaced atomically)')
      .option('--delete-docs <file>', 'leave out these documents (one doc per line, or NDJSON with "doc")')
      .option('--no-verify', 'skip the whole-file checksum of the inputs')
      .option('--threads <n>', 'threads merging the terms, each a range of them (default: 2 on two cores or more, 1 for inputs under 32 MB of postings); the output is the same', positiveInt)
      .addHelpText(
        'after',
        examples(
          'ream merge -o all.ream shards/*.ream',
          'ream merge -o all.ream all.ream shards/new.ream     # re-indexed documents in new.ream win',
          'ream merge --delete-docs gone.txt -o all.ream all.ream',
        ),
      );
  },

  async run(ctx, args, opts) {
    const paths = expandIndexPaths(args);
    if (paths.length === 0) throw new UsageError('no input indexes');
    let deleted: Set<string> | undefined;
    if (opts.deleteDocs) {
      try {
        deleted = readDeletions(opts.deleteDocs);
      } catch (err) {
        throw new UsageError(`--delete-docs: ${describeError(err)}`);
      }
    }
    const output = prepareIndexOutput(ctx, opts.output);
    const started = process.hrtime.bigint();
    const readers: IndexReader[] = [];
    try {
      for (const p of paths) {
        const r = IndexReader.open(p);
        readers.push(r);
        if (opts.verify) r.verify();
      }
      const withoutText = paths.filter((_, i) => !readers[i]!.storesText);
      if (withoutText.length > 0 && withoutText.length < paths.length) {
        // The merged index keeps page text only if every input does: say which ones lose it.
        const named = withoutText.length <= 3 ? `: ${withoutText.join(', ')}` : ` (${withoutText.slice(0, 3).join(', ')}, …)`;
        ctx.report.warn(`${withoutText.length} of ${paths.length} inputs keep no page text${named}; the merged index keeps none, so search shows no snippets (build them with --store text)`);
      }
      const threads = opts.threads ?? defaultMergeThreads(readers);
      const result = await mergeInThreads(readers, output, { replace: 'doc', deleted, threads });
      recordIndexMetrics(ctx, result);
      if (deleted && result.deleted < deleted.size) {
        // A name that matches nothing is most likely a typo or a path written differently.
        ctx.report.warn(`--delete-docs: ${deleted.size - result.deleted} of ${deleted.size} documents are in no input (names must match their "doc" exactly)`);
      }
      ctx.out.write({
        index: opts.output,
        inputs: paths.length,
        analyzer: readers[0]!.analyzer,
        documents: result.docCount,
        replaced: result.replaced,
        deleted: result.deleted,
        terms: result.termCount,
        postings: result.postingCount,
        tokens: result.totalTokens,
        bytes: result.bytes,
        threads: result.threads,
        seconds: Number(process.hrtime.bigint() - started) / 1e9,
      });
    } finally {
      for (const r of readers) r.close();
    }
  },
};
