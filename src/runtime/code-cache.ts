// Loading bundled CommonJS code through V8's code cache.
//
// Every stage of every pipeline is a new process, and ream extract starts a worker thread per few
// hundred documents: each one compiles its JavaScript again — the command's bundle, and pdf.js's 3 MB.
// V8 can instead start from code it compiled before (a "code cache"); Node 22 has
// module.enableCompileCache() for that, Node 20 only vm.Script's cachedData, used here. The cache is
// kept next to the file it belongs to and written by the first run that has none (or whose cache V8
// rejected: another Node version or other flags), once that run has done representative work, so
// that it holds the functions that work compiled, not only the top level.
import { readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import Module from 'node:module';
import { dirname } from 'node:path';
import { Script } from 'node:vm';

export interface CachedModule {
  /** What the file's `module.exports` holds. */
  exports: any;
  /** Writes the cache if this run had none it could use (temp file + rename); call it when the code
   *  has done its typical work. Never throws: a read-only installation runs without a cache. */
  saveCache(): void;
}

/**
 * A name for the V8 flags this process runs with ('' for none). V8 rejects a cache made under other
 * flags, and a run that finds no cache it can use writes its own: runs of one command under two sets
 * of flags (bin/ream passes some to one-query searches) would each overwrite the other's cache, and
 * none would start from one. So each set of flags keeps its own.
 */
function flagsTag(): string {
  const flags = [...process.execArgv, process.env.NODE_OPTIONS ?? ''].join(' ').trim();
  if (flags === '') return '';
  let hash = 0x811c9dc5;
  for (let i = 0; i < flags.length; i++) hash = Math.imul(hash ^ flags.charCodeAt(i), 0x01000193);
  return `.${(hash >>> 0).toString(36)}`;
}

/** Code compiled by vm.Script has no import() hook: the bundles given here must use require() only. */
export function requireWithCodeCache(file: string): CachedModule {
  // V8 checks a cache against the source's length only, not its content: the file's mtime in the
  // cache's name keeps a rebuilt file of the same length from running stale code.
  const cacheFile = `${file}.${Math.trunc(statSync(file).mtimeMs)}${flagsTag()}.v8cache`;
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    // no cache yet
  }
  const script = new Script((Module as unknown as { wrap(source: string): string }).wrap(readFileSync(file, 'utf8')), { filename: file, cachedData });
  let stale = cachedData === undefined || script.cachedDataRejected === true;
  const mod = new Module(file) as Module & { filename: string; paths: string[]; loaded: boolean };
  mod.filename = file;
  mod.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(dirname(file));
  script.runInThisContext().call(mod.exports, mod.exports, Module.createRequire(file), mod, file, dirname(file));
  mod.loaded = true;
  return {
    exports: mod.exports,
    saveCache() {
      if (!stale) return;
      stale = false;
      try {
        const temp = `${cacheFile}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
        writeFileSync(temp, script.createCachedData());
        renameSync(temp, cacheFile);
      } catch {
        // read-only, or gone: next run compiles again
      }
    },
  };
}
