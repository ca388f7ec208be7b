// Bundles the CLI with esbuild, twice:
// - dist/cmd/<command>.cjs: what bin/ runs. One CommonJS file per command holding the dispatcher and
//   that command only (the other commands' lazy imports point at their own bundles and are never
//   taken). CommonJS because Node's ESM loader costs ~40 ms more per start than require() of one
//   file (measured with --cpu-prof: async module reads, linking, one job per chunk), and every
//   command pays start-up.
// - dist/ream.js + dist/chunks/: the same code as ESM with lazily loaded chunks, for worker entry
//   points (src/**/*.worker.ts → dist/<dir>-<name>.worker.js) and anything that imports the CLI.
// Heavy or native packages stay external and are imported only by the commands that use them (see
// docs/architecture.md, "start-up").
import { build } from 'esbuild';
import { readFileSync, readdirSync, rmSync } from 'node:fs';
import { sep } from 'node:path';
import { esbuildWasm } from './scripts/wasm.mjs';
import { installedPdfjsApi, installedPdfjsWorker, patchPdfjsApi, patchPdfjsWorker } from './src/pdf/pdfjs-patch.mjs';

const { version } = JSON.parse(readFileSync('package.json', 'utf8'));

const external = ['pdf-parse', 'pdfjs-dist', '@napi-rs/canvas', 'better-sqlite3', 'prom-client'];
// Worker entry points (src/**/*.worker.ts) are bundled as their own files next to ream.js.
const workers = [];
for (const dir of readdirSync('src', { withFileTypes: true })) {
  if (!dir.isDirectory()) continue;
  for (const f of readdirSync(`src/${dir.name}`)) if (f.endsWith('.worker.ts')) workers.push(`src/${dir.name}/${f}`);
}

// commander requires child_process at load time (for git-style subcommands ream never uses), which
// costs ~25 ms of start-up; this shim loads it only if commander ever spawns.
const lazyChildProcess = {
  name: 'lazy-child-process',
  setup(b) {
    b.onResolve({ filter: /^(node:)?child_process$/ }, (args) =>
      args.importer.includes(`${sep}commander${sep}`) ? { path: 'lazy-child-process', namespace: 'ream-shim' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'ream-shim' }, () => ({
      contents: "module.exports = { spawn: (...args) => require('node:child_process').spawn(...args) };",
      loader: 'js',
      resolveDir: '.',
    }));
  },
};

/** In the bundle for `only`, the registry's lazy imports of the other commands point at their bundles. */
const onlyCommand = (only) => ({
  name: 'only-command',
  setup(b) {
    b.onResolve({ filter: /^\.\/[a-z-]+\.js$/ }, (args) => {
      if (args.kind !== 'dynamic-import' || !args.importer.endsWith(`${sep}cli${sep}registry.ts`)) return undefined;
      const name = args.path.slice(2, -3);
      return name === only ? undefined : { path: `./${name}.cjs`, external: true };
    });
  },
});

const commandNames = readdirSync('bin').filter((f) => f.startsWith('ream-')).map((f) => f.slice('ream-'.length));

rmSync('dist', { recursive: true, force: true });
// dist/code-cache.cjs: what bin/ream.cjs loads every bundle through (src/runtime/code-cache.ts).
await build({
  entryPoints: ['src/runtime/code-cache.ts'],
  outfile: 'dist/code-cache.cjs',
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  logLevel: 'warning',
});
// dist/pdfjs.cjs: pdf.js (the copy pdf-parse depends on: its API and its in-thread "worker") as one
// CommonJS file, so that extract's workers load it through V8's code cache (src/pdf/reader.ts) instead
// of compiling 3 MB of ES modules in every thread. The code is pdf.js's own but for ream's speed patch
// of its parser and one of its API (src/pdf/pdfjs-patch.mjs, which fails the build if pdf.js's text changed);
// import.meta.url still names pdf.mjs in node_modules (found when the bundle loads), where pdf.js looks
// for its optional @napi-rs/canvas.
await build({
  stdin: {
    contents: `export * as pdfjs from ${JSON.stringify(installedPdfjsApi())};\nexport * as worker from ${JSON.stringify(installedPdfjsWorker())};\n`,
    resolveDir: '.',
    loader: 'js',
  },
  outfile: 'dist/pdfjs.cjs',
  plugins: [
    {
      name: 'pdfjs-patch',
      setup(b) {
        b.onLoad({ filter: /[\\/]pdf\.worker\.mjs$/ }, (args) => ({ contents: patchPdfjsWorker(readFileSync(args.path, 'utf8')), loader: 'js' }));
        b.onLoad({ filter: /[\\/]pdf\.mjs$/ }, (args) => ({ contents: patchPdfjsApi(readFileSync(args.path, 'utf8')), loader: 'js' }));
      },
    },
  ],
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  external: ['@napi-rs/canvas', 'canvas'],
  supported: { 'dynamic-import': false },
  define: { 'import.meta.url': '__pdfjs_url' },
  banner: {
    js: "const __pdfjs_url = require('node:url').pathToFileURL(require('node:module').createRequire(require.resolve('pdf-parse')).resolve('pdfjs-dist/legacy/build/pdf.mjs')).href;",
  },
  legalComments: 'none',
  logLevel: 'error',
});
await Promise.all(
  [...commandNames, '_dispatch'].map((name) =>
    build({
      entryPoints: ['src/cli/main.ts'],
      outfile: `dist/cmd/${name}.cjs`,
      bundle: true,
      format: 'cjs',
      platform: 'node',
      target: 'node20',
      external,
      plugins: [lazyChildProcess, onlyCommand(name), esbuildWasm],
      // import() becomes require(): the lazy imports are builtins and other bundles, and bin/ream.cjs
      // compiles the bundle with vm.Script (for V8's code cache), whose code has no import() hook.
      supported: { 'dynamic-import': false },
      // Less source for V8 to scan at every start; names are kept, and the source map maps back.
      minifyWhitespace: true,
      minifySyntax: true,
      sourcemap: 'linked',
      legalComments: 'none',
      logLevel: 'warning',
      // Code that finds files next to itself (workers) sees the URL it would have as dist/ream.js.
      define: { __REAM_VERSION__: JSON.stringify(version), 'import.meta.url': '__ream_import_meta_url' },
      banner: { js: "const __ream_import_meta_url = require('node:url').pathToFileURL(require('node:path').join(__dirname, '..', 'ream.js')).href;" },
    }),
  ),
);
await build({
  entryPoints: { ream: 'src/cli/main.ts', ...Object.fromEntries(workers.map((w) => [w.replace(/^src\/|\.ts$/g, '').replace('/', '-'), w])) },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external,
  plugins: [lazyChildProcess, esbuildWasm],
  chunkNames: 'chunks/[name]-[hash]',
  sourcemap: 'linked',
  legalComments: 'none',
  logLevel: 'warning',
  define: { __REAM_VERSION__: JSON.stringify(version) },
  // Bundled CommonJS packages (commander, csv-parse's cjs parts) call require() for builtins.
  banner: { js: "import { createRequire as __ream_createRequire } from 'node:module'; const require = __ream_createRequire(import.meta.url);" },
});
