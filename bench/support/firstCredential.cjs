// A program's cold start with the library, for bench/library.mjs: it loads the library (argv[2], the
// package's CommonJS entry) and asks a provider made of the options (argv[3], JSON) for its first
// credentials, then ends as a short-lived program does, when nothing is left to do (the provider keeps
// nothing open). With a folder as argv[4], it first turns on Node's compile cache there, as a program may
// (`module.enableCompileCache`, Node 22.1 and later; nothing on Node 20). Says why and exits 1 if the
// provider fails.
'use strict';
const [library, options, compileCache] = process.argv.slice(2);
if (compileCache) require('node:module').enableCompileCache?.(compileCache);
const { fromRolesAnywhere } = require(library);

fromRolesAnywhere(JSON.parse(options))().catch((error) => {
  process.stderr.write(`${error.message}\n`);
  process.exitCode = 1;
});
