import { build, type Metafile } from 'esbuild';

/**
 * What each source file reached from `entryPoints` imports (static or dynamic; type-only imports do not
 * count), as esbuild's metafile records it: paths of src/ relative to the project root, packages left as
 * imported.
 */
export async function sourceImports(entryPoints: readonly string[]): Promise<Metafile['inputs']> {
  const result = await build({
    entryPoints: [...entryPoints],
    bundle: true,
    write: false,
    metafile: true,
    platform: 'node',
    format: 'esm',
    outdir: '/unused',
    packages: 'external',
    logLevel: 'silent',
    define: { __HELPER_VERSION__: '"test"' },
  });
  return result.metafile.inputs;
}
