// ream's WebAssembly (wasm/*.ts, AssemblyScript) compiled at build time, and the plugins that let
// TypeScript import it: `import binary from '../../wasm/byte-tokenizer.wasm'` gives the bytes of
// wasm/byte-tokenizer.ts compiled, as a Uint8Array. build.mjs bundles them with esbuild's plugin,
// vitest.config.ts loads them with Vite's; nothing compiled is kept in the repository.
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import asc from 'assemblyscript/asc';

/** asc's options: -O3; the minimal runtime (heap.alloc/free, no collector running on its own); function names kept for profiles and stack traces. */
const FLAGS = ['-O3', '--enable', 'simd', '--runtime', 'minimal', '--noAssert', '--debug'];

const compiled = new Map();

/** The WebAssembly of the AssemblyScript file `source` (memoized per process). */
export function compileAssemblyScript(source) {
  let binary = compiled.get(source);
  if (!binary) {
    binary = compile(source);
    compiled.set(source, binary);
  }
  return binary;
}

async function compile(source) {
  let binary;
  const { error, stderr } = await asc.main([source, ...FLAGS, '--outFile', 'out.wasm'], {
    readFile: async (name, baseDir) => {
      try {
        return await readFile(resolve(baseDir, name), 'utf8');
      } catch {
        return null;
      }
    },
    writeFile: (name, contents) => {
      if (name.endsWith('.wasm')) binary = contents;
    },
    listFiles: () => [],
  });
  if (error) throw new Error(`asc ${source}: ${error.message}\n${stderr.toString()}`);
  return binary;
}

/** The AssemblyScript source that an import of `path` (…/name.wasm) stands for. */
function sourceOf(path) {
  return path.replace(/\.wasm$/, '.ts');
}

/** esbuild: a `.wasm` import is the compiled source, embedded in the bundle (esbuild's binary loader). */
export const esbuildWasm = {
  name: 'ream-wasm',
  setup(b) {
    b.onResolve({ filter: /\.wasm$/ }, (args) => ({ path: resolve(args.resolveDir, args.path), namespace: 'ream-wasm' }));
    b.onLoad({ filter: /.*/, namespace: 'ream-wasm' }, async (args) => ({
      contents: await compileAssemblyScript(sourceOf(args.path)),
      loader: 'binary',
      watchFiles: [sourceOf(args.path)],
    }));
  },
};

/** Vite (vitest): the same, as a module whose default export is the bytes. */
export const viteWasm = {
  name: 'ream-wasm',
  enforce: 'pre',
  resolveId(source, importer) {
    if (!source.endsWith('.wasm') || !importer) return null;
    return `${resolve(dirname(importer), source)}?ream-wasm`;
  },
  async load(id) {
    if (!id.endsWith('.wasm?ream-wasm')) return null;
    const binary = await compileAssemblyScript(sourceOf(id.slice(0, -'?ream-wasm'.length)));
    return `export default new Uint8Array(Buffer.from(${JSON.stringify(Buffer.from(binary).toString('base64'))}, 'base64'));`;
  },
};
