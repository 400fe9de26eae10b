import { outputFlushed } from '../stdio.js';
import { main } from './main.js';
import { warningsRedirected } from './nodeWarnings.js';

// The modules every bundle shares one copy of: the bundles this one loads are handed these exports
// (src/bin/aws_signing_helper.cjs, scripts/build.mjs).
export * from '../runtime.js';
// Whether src/bin/aws_signing_helper.cjs should keep this run's compiled code.
export { codeCacheWorthKeeping } from './codeCacheWorth.js';

// Output is written synchronously (src/stdio.ts), so the process can leave as soon as main is done rather
// than wait for sockets to finish closing; only what had to go through a stream is waited for.
void main(process.argv.slice(2)).then(async (code) => {
  const exitCode = (await outputFlushed()) ? code : 1;
  if (!warningsRedirected()) process.exit(exitCode);
  // Node appends warnings to a --redirect-warnings file asynchronously, and an exit at once lost them
  // (CI: 4 runs in 40 under load): leave when the loop is done (with this code), or after a second if a socket holds it.
  process.exitCode = exitCode;
  setTimeout(() => process.exit(exitCode), 1000).unref();
});
