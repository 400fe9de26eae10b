// Bundles the CLI into dist/ with esbuild: one small entry chunk for what every command needs, and the
// rest (each command, PKCS#12, ML-DSA, proxies, the emulator) split into chunks loaded on demand.
import { build } from 'esbuild';
import { readFileSync, rmSync } from 'node:fs';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url)));
rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });

await build({
  entryPoints: { cli: 'src/cli/bin.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // The ES builds of @smithy/* tree-shake down to the few helpers used; their CommonJS builds do not.
  mainFields: ['module', 'main'],
  minify: true,
  sourcemap: 'linked',
  chunkNames: 'chunks/[name]-[hash]',
  define: { __HELPER_VERSION__: JSON.stringify(version) },
  // Native addons stay in node_modules.
  external: ['pkcs11js'],
  // Some CommonJS dependencies call require(); give the ESM bundle one.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  logLevel: 'warning',
});
