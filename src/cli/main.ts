// `ream <command> …`: finds the command, parses its flags with commander, runs it with a fresh
// context, and turns the outcome into one exit status (0 ok, 1 some input failed, 2 usage) in this
// one place. Output is written synchronously, so exiting right after the run loses nothing.
import { Command, CommanderError } from 'commander';
import { writeSync } from 'node:fs';
import { commands, findCommand } from './registry.js';
import { createContext, type RunContext } from '../stream/context.js';
import { addStreamingOptions, counterLines } from '../stream/hadoop.js';
import { addMetricsOptions, finishMetrics, startMetrics } from '../metrics/options.js';
import { EXIT_BAD_INPUT, EXIT_OK, EXIT_USAGE, FatalInputError, OutputClosed, UsageError, describeError, oneLine, writeStderr } from '../stream/report.js';

declare const __REAM_VERSION__: string | undefined;
export const VERSION = typeof __REAM_VERSION__ === 'string' ? __REAM_VERSION__ : '0.0.0-dev';

function writeStdout(text: string): void {
  try {
    writeSync(1, text);
  } catch {
    // reader gone: nothing to do for help text
  }
}

function overview(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'Usage: ream <command> [options] [args]',
    '',
    'Unix pipes and filters for piles of PDFs: NDJSON records on stdin and stdout.',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Every command is also its own executable (ream-<command>). `ream <command> --help` shows its',
    'options and an example pipeline. Exit status: 0 all good, 1 some input failed, 2 usage error.',
    '',
  ].join('\n');
}

/** Builds the commander program for one command (exported for in-process tests). */
export async function buildCommand(name: string, ctx: RunContext, done: (p: Promise<void>) => void): Promise<Command> {
  const entry = findCommand(name)!;
  const { command: mod } = await entry.load();
  const cmd = new Command(`ream ${name}`)
    .description(entry.summary)
    .version(VERSION, '-V, --version')
    .helpOption('-h, --help', 'show this help')
    .exitOverride()
    .configureOutput({
      writeOut: writeStdout,
      writeErr: writeStderr,
      outputError: (str, write) => write(`ream ${name}: ${oneLine(str.replace(/^error: /, '').trim())}\n`),
    })
    .showSuggestionAfterError(true)
    .allowExcessArguments(false);
  mod.configure(cmd);
  addMetricsOptions(cmd);
  const streamingFormOf = addStreamingOptions(cmd);
  cmd.action((...params: unknown[]) => {
    const opts = cmd.opts();
    const args = cmd.processedArgs.flatMap((a: unknown) => (a === undefined ? [] : Array.isArray(a) ? a : [a])) as string[];
    void params;
    ctx.streaming = streamingFormOf(opts);
    ctx.out.keyField = ctx.streaming?.keyField;
    done(startMetrics(ctx, opts).then(() => mod.run(ctx, args, opts)));
  });
  return cmd;
}

/** Runs `ream <argv…>` and returns the exit status. */
export async function run(argv: readonly string[], ctx?: RunContext): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '-h' || name === '--help' || name === 'help') {
    if (name === undefined) {
      writeStderr(overview());
      return EXIT_USAGE;
    }
    writeStdout(overview());
    return EXIT_OK;
  }
  if (name === '-V' || name === '--version') {
    writeStdout(`${VERSION}\n`);
    return EXIT_OK;
  }
  if (!findCommand(name)) {
    writeStderr(`ream: '${oneLine(name)}' is not a ream command (see ream --help)`);
    return EXIT_USAGE;
  }
  const context = ctx ?? createContext(name);
  let running: Promise<void> | undefined;
  let status: number;
  try {
    const cmd = await buildCommand(name, context, (p) => (running = p));
    await cmd.parseAsync([...rest], { from: 'user' });
    await running;
    status = context.report.exitCode;
  } catch (err) {
    status = exitStatusOf(err, context);
  }
  try {
    context.out.flush();
  } catch (err) {
    if (!(err instanceof OutputClosed)) status = Math.max(status, exitStatusOf(err, context));
  }
  context.report.summarize();
  if (context.streaming?.counters) writeStderr(counterLines(context).join('\n'));
  return finishMetrics(context, status);
}

function exitStatusOf(err: unknown, ctx: RunContext): number {
  if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
  if (err instanceof OutputClosed) return ctx.report.exitCode; // `| head`: quiet
  if (err instanceof UsageError) {
    writeStderr(`ream ${ctx.command}: ${oneLine(err.message)}`);
    for (const line of err.details) writeStderr(line);
    return EXIT_USAGE;
  }
  if (err instanceof FatalInputError) return EXIT_BAD_INPUT; // already reported
  writeStderr(`ream ${ctx.command}: ${process.env.REAM_DEBUG ? describeError(err) : oneLine(describeError(err))}`);
  return EXIT_BAD_INPUT;
}

/** Entry point of bin/ream and bin/ream-<command>. */
export async function main(argv: readonly string[]): Promise<never> {
  const status = await run(argv);
  // Every write was synchronous, so nothing is queued: exit now rather than wait for idle handles.
  process.exit(status);
}
