// The package's install script: builds serve --hop-limit's addon (socket_ttl.c) with node-gyp, against the
// headers of the Node running it where that Node has them (include/node, as its official builds and most
// packages install it) and npm names none (nodedir): node-gyp would otherwise download them from nodejs.org,
// and without network access not build the addon (QA: supply). A failed build fails no install: serve works
// without the addon, and --hop-limit says how to build it.
// The command comes from package.json's install script, `node native/install.cjs node-gyp rebuild`: Yarn
// Berry gives node-gyp (as a dependency of the package) only to a package whose scripts name it, and
// without it the build found none ('Couldn't find a script name "node-gyp"'); npm and pnpm put their own on PATH.
'use strict';
const { spawnSync } = require('node:child_process');
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const prefix = join(process.execPath, '../..');
const env = { ...process.env };
if (!env.npm_config_nodedir && existsSync(join(prefix, 'include/node/node_api.h'))) env.npm_config_nodedir = prefix;
const [tool, ...args] = process.argv.slice(2);
const { status, error } = spawnSync(tool, args, { stdio: 'inherit', env });
if (status !== 0) {
  console.log(
    `roles-anywhere-helper: the hop-limit addon was not built (${error ? `${tool}: ${error.message}` : "node-gyp's messages above say why"}; ` +
      "it needs python3, make, a C compiler and Node's headers); serve works without it",
  );
}
