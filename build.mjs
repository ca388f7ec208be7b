// Bundles the CLI with esbuild: one ESM file per entry point plus lazily loaded chunks, so that
// `ream filter` parses only the filter code. Heavy or native packages stay external and are
// imported only by the commands that use them (see docs/architecture.md, "start-up").
import { build } from 'esbuild';
import { readFileSync, readdirSync, rmSync } from 'node:fs';

const { version } = JSON.parse(readFileSync('package.json', 'utf8'));

const external = ['pdf-parse', 'pdfjs-dist', '@napi-rs/canvas', 'better-sqlite3', 'prom-client'];
// Worker entry points (src/**/*.worker.ts) are bundled as their own files next to ream.js.
const workers = [];
for (const dir of readdirSync('src', { withFileTypes: true })) {
  if (!dir.isDirectory()) continue;
  for (const f of readdirSync(`src/${dir.name}`)) if (f.endsWith('.worker.ts')) workers.push(`src/${dir.name}/${f}`);
}

rmSync('dist', { recursive: true, force: true });
await build({
  entryPoints: { ream: 'src/cli/main.ts', ...Object.fromEntries(workers.map((w) => [w.replace(/^src\/|\.ts$/g, '').replace('/', '-'), w])) },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external,
  chunkNames: 'chunks/[name]-[hash]',
  sourcemap: 'linked',
  legalComments: 'none',
  logLevel: 'warning',
  define: { __REAM_VERSION__: JSON.stringify(version) },
  // Bundled CommonJS packages (commander, csv-parse's cjs parts) call require() for builtins.
  banner: { js: "import { createRequire as __ream_createRequire } from 'node:module'; const require = __ream_createRequire(import.meta.url);" },
});
