// Bundles one TypeScript entry point (a benchmark, a tool) into an ES module that Node runs as is,
// with ream's WebAssembly compiled in (scripts/wasm.mjs). Usage: node scripts/bundle.mjs ENTRY.ts OUT.mjs
import { build } from 'esbuild';
import { esbuildWasm } from './wasm.mjs';

const [entry, outfile] = process.argv.slice(2);
if (!entry || !outfile) {
  process.stderr.write('usage: node scripts/bundle.mjs ENTRY.ts OUT.mjs\n');
  process.exit(2);
}
await build({
  entryPoints: [entry],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  logLevel: 'warning',
  plugins: [esbuildWasm],
  // a native addon: loaded from node_modules as is
  external: ['better-sqlite3'],
  // Bundled CommonJS packages call require() for builtins.
  banner: { js: "import { createRequire as __ream_createRequire } from 'node:module'; const require = __ream_createRequire(import.meta.url);" },
});
