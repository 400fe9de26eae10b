import { shellWord } from './shellWord.js';

/**
 * The command that builds an installed package's native part where it is, whatever the layout: npm hoists
 * pkcs11js beside the helper in an app's node_modules, nests it inside the helper in a global install, and
 * `npm rebuild <name>` only finds a package in the node_modules of the folder it runs in. `--prefix` names
 * that folder, so the command works as written from anywhere. `path` is the package's folder
 * (`<folder>/node_modules/<name>`) or a file in it; undefined when it is not inside a node_modules folder
 * (a clone of the helper's repository). `--ignore-scripts=false`: a package installed without its scripts may
 * be so because npm is set to run none (`ignore-scripts` in an .npmrc), and then `npm rebuild` builds nothing
 * while saying it did (QA).
 */
export function npmRebuildCommand(path: string, name: string): string | undefined {
  const marker = `/node_modules/${name}`;
  const at = path.lastIndexOf(marker);
  if (at === -1 || (path.length > at + marker.length && path[at + marker.length] !== '/')) return undefined;
  return `npm rebuild --ignore-scripts=false --prefix ${shellWord(path.slice(0, at) || '/')} ${name}`;
}

/**
 * Why a native addon that is built and fine was not loaded: Node refuses every addon (ERR_DLOPEN_DISABLED) under
 * --no-addons, and under --permission without --allow-addons (a hardened service's NODE_OPTIONS). Rebuilding
 * it, which the other load failures call for, changes nothing (QA: serve --hop-limit advised a C compiler).
 */
export const ADDONS_DISABLED = "Node's native addons are disabled (--no-addons, or --permission without --allow-addons)";
