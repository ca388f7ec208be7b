'use strict';
// Loads only the bundle of the command asked for (dist/cmd/<command>.cjs, see build.mjs); help,
// version and unknown names go to the dispatcher bundle. The bundle is compiled with V8's code cache
// (src/runtime/code-cache.ts), whose cache this run writes at exit if it had none it could use.
const { existsSync } = require('node:fs');
const { join } = require('node:path');
const dist = join(__dirname, '..', 'dist');
const { requireWithCodeCache } = require(join(dist, 'code-cache.cjs'));
const name = process.argv[2];
const named = join(dist, 'cmd', `${name}.cjs`);
const bundle = typeof name === 'string' && /^[a-z][a-z-]*$/.test(name) && existsSync(named) ? named : join(dist, 'cmd', '_dispatch.cjs');
const loaded = requireWithCodeCache(bundle);
process.once('exit', loaded.saveCache);
loaded.exports.main(process.argv.slice(2));
