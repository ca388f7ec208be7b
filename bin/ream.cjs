'use strict';
// Loads only the bundle of the command asked for (dist/cmd/<command>.cjs, see build.mjs); help,
// version and unknown names go to the dispatcher bundle.
//
// Every stage of every pipeline starts a process, and V8 compiling the bundle is a cost each one pays
// again (~10 ms of a `ream search`, see docs/architecture.md "Build"). So the bundle is compiled with
// V8's code cache: the cache is written next to the bundle after the first run that has none (or whose
// cache V8 rejected: another Node version or flags), and later runs start from the compiled code.
// Node 22's module.enableCompileCache() does this for require(); Node 20 has no such switch.
const { existsSync, readFileSync, renameSync, statSync, writeFileSync } = require('node:fs');
const { dirname, join } = require('node:path');
const Module = require('node:module');
const vm = require('node:vm');

const name = process.argv[2];
const cmds = join(__dirname, '..', 'dist', 'cmd');
const named = join(cmds, `${name}.cjs`);
const bundle = typeof name === 'string' && /^[a-z][a-z-]*$/.test(name) && existsSync(named) ? named : join(cmds, '_dispatch.cjs');

loadBundle(bundle).main(process.argv.slice(2));

/** require(file), through V8's code cache. */
function loadBundle(file) {
  // V8 checks a cache against the source's length only, not its content: the bundle's mtime in the
  // cache's name keeps a rebuilt bundle of the same length from running stale code.
  const cacheFile = `${file}.${Math.trunc(statSync(file).mtimeMs)}.v8cache`;
  let cachedData;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    // no cache yet
  }
  const script = new vm.Script(Module.wrap(readFileSync(file, 'utf8')), {
    filename: file,
    cachedData,
  });
  if (cachedData === undefined || script.cachedDataRejected) {
    // at exit, so that the cache also holds the functions this run compiled lazily
    process.once('exit', () => {
      try {
        const temp = `${cacheFile}.${process.pid}.tmp`;
        writeFileSync(temp, script.createCachedData());
        renameSync(temp, cacheFile);
      } catch {
        // a read-only installation runs without a cache
      }
    });
  }
  const mod = new Module(file, null);
  mod.filename = file;
  mod.paths = Module._nodeModulePaths(dirname(file));
  script.runInThisContext().call(mod.exports, mod.exports, Module.createRequire(file), mod, file, dirname(file));
  mod.loaded = true;
  return mod.exports;
}
