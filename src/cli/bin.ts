import { outputFlushed } from '../stdio.js';
import { main } from './main.js';

// The modules every bundle shares one copy of: the bundles this one loads are handed these exports
// (src/bin/aws_signing_helper.cjs, scripts/build.mjs).
export * from '../runtime.js';
// Whether src/bin/aws_signing_helper.cjs should keep this run's compiled code.
export { codeCacheWorthKeeping } from './codeCacheWorth.js';

// Output is written synchronously (src/stdio.ts), so the process can leave as soon as main is done rather
// than wait for sockets to finish closing; only what had to go through a stream is waited for.
void main(process.argv.slice(2)).then(async (code) => {
  const written = await outputFlushed();
  process.exit(written ? code : 1);
});
