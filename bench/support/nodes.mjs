// The Nodes the benchmarks run on.
import { execFileSync } from 'node:child_process';
import { nodeBinary } from '../../scripts/nodeBinary.mjs';

/**
 * This machine's Node and Node 24 (installed into .cache/ on first use), as [label, path] pairs labelled
 * `node vX.Y.Z`: only this machine's with `--node-only-local` among the arguments, or when it is that 24.
 */
export function benchNodes(argv) {
  const nodes = [[`node ${process.version}`, process.execPath]];
  if (argv.includes('--node-only-local')) return nodes;
  const binary = nodeBinary(24);
  const version = execFileSync(binary, ['--version']).toString().trim();
  if (version !== process.version) nodes.push([`node ${version}`, binary]);
  return nodes;
}
