// Where a worker thread's bundle is: build.mjs writes src/<dir>/<name>.worker.ts as
// dist/<dir>-<name>.worker.js, next to dist/ream.js. The code asking is dist/ream.js or a chunk in
// dist/chunks/ when bundled, or its source in src/<dir>/ under vitest (which uses the built file).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The URL of dist/`file` (e.g. 'index-merge.worker.js') seen from `from` (the caller's import.meta.url), or undefined when not built. */
export function workerUrl(file: string, from: string): URL | undefined {
  const candidates = [`./${file}`, `../${file}`, `../../dist/${file}`].map((p) => new URL(p, from));
  return candidates.find((u) => existsSync(fileURLToPath(u)));
}
