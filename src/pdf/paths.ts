// The documents `ream extract` is asked for: file arguments, or a list of paths (`--files-from`,
// newline- or NUL-separated) read lazily, so that `find … | ream extract --files-from -` starts on the
// first path at once and holds only a few paths in memory.
import { forEachLine } from '../stream/lines.js';
import type { Source } from '../stream/sources.js';

const HIGH_WATER = 256;

/** Non-empty lines of `source` as an async iterable, reading ahead at most HIGH_WATER lines. */
export async function* linesOf(source: Source, delimiter: number): AsyncGenerator<string> {
  const queue: string[] = [];
  let finished = false;
  let failure: unknown;
  let wake: (() => void) | undefined;
  let space: (() => void) | undefined;
  void forEachLine(
    source,
    async (line) => {
      if (line.length === 0) return;
      queue.push(line);
      wake?.();
      if (queue.length >= HIGH_WATER) await new Promise<void>((r) => (space = r));
    },
    { delimiter },
  ).then(
    () => {
      finished = true;
      wake?.();
    },
    (err: unknown) => {
      failure = err;
      finished = true;
      wake?.();
    },
  );
  for (;;) {
    if (queue.length > 0) {
      const line = queue.shift()!;
      if (space && queue.length < HIGH_WATER / 2) {
        const s = space;
        space = undefined;
        s();
      }
      yield line;
      continue;
    }
    if (finished) {
      if (failure !== undefined) throw failure;
      return;
    }
    await new Promise<void>((r) => (wake = r));
    wake = undefined;
  }
}
