'use strict';
// Loads only the bundle of the command asked for (dist/cmd/<command>.cjs, see build.mjs); help,
// version and unknown names go to the dispatcher bundle.
const { existsSync } = require('node:fs');
const { join } = require('node:path');
const name = process.argv[2];
const bundle = join(__dirname, '..', 'dist', 'cmd', `${name}.cjs`);
const chosen = typeof name === 'string' && /^[a-z][a-z-]*$/.test(name) && existsSync(bundle) ? bundle : join(__dirname, '..', 'dist', 'cmd', '_dispatch.cjs');
require(chosen).main(process.argv.slice(2));
