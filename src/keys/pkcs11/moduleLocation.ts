import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type { Env } from '../../context.js';
import { HelperError } from '../../errors.js';
import { homeFolder } from '../../files/homeFolder.js';
import { uriName, type Pkcs11Uri } from './uri.js';
import { option } from '../../optionNames.js';

const SUFFIX = process.platform === 'darwin' ? '.dylib' : process.platform === 'win32' ? '.dll' : '.so';

/** p11-kit's proxy: every module registered with p11-kit, so that a URI alone finds the token. */
export const DEFAULT_MODULE = `p11-kit-proxy${SUFFIX}`;

/** Where a PKCS#11 module is, and for a `module-name` p11-kit does not know, what to add should it not load. */
export interface ModuleLocation {
  readonly path: string;
  readonly hint?: string;
}

/**
 * The module to load: `--pkcs11-lib` if given; else the URIs' `module-path` (a file, or a directory holding
 * `<module-name><suffix>`) or `module-name` (a module registered with p11-kit, else `<module-name><suffix>` on
 * the library search path); else p11-kit's proxy. The certificate and key URIs must not disagree.
 */
export function moduleLocation(pkcs11Lib: string | undefined, uris: readonly Pkcs11Uri[], env: Env): ModuleLocation {
  if (pkcs11Lib) return { path: pkcs11Lib };
  const named = uris.filter((uri) => uri.modulePath !== undefined || uri.moduleName !== undefined);
  const locations = [...new Map(named.map((uri) => locationFromUri(uri, env)).map((location) => [location.path, location])).values()];
  if (locations.length > 1) {
    throw new HelperError(
      `the certificate and key URIs name different PKCS#11 modules (${named.map(uriName).join(' and ')}); ` +
        `give one module with ${option('pkcs11Lib')}`,
    );
  }
  return locations[0] ?? { path: DEFAULT_MODULE };
}

function locationFromUri(uri: Pkcs11Uri, env: Env): ModuleLocation {
  const { modulePath, moduleName } = uri;
  if (modulePath !== undefined) {
    if (!isDirectory(modulePath)) return { path: modulePath };
    if (moduleName === undefined) {
      throw new HelperError(`module-path ${modulePath} of ${uriName(uri)} is a directory: add module-name`);
    }
    return { path: join(modulePath, `${moduleName}${SUFFIX}`) };
  }
  const registered = registeredModule(moduleName!, env);
  if (registered) return { path: registered };
  const names = registeredNames(env);
  return {
    path: `${moduleName}${SUFFIX}`,
    hint: `module-name=${moduleName} is no module registered with p11-kit (${names.length > 0 ? `registered: ${names.join(', ')}` : 'none is registered'})`,
  };
}

/** p11-kit's module configuration directories, user first (pkcs11.conf(5)). */
function registrationDirectories(env: Env): string[] {
  const home = homeFolder(env);
  const configHome = env.XDG_CONFIG_HOME || (home && join(home, '.config'));
  return [...(configHome ? [join(configHome, 'pkcs11/modules')] : []), '/etc/pkcs11/modules', '/usr/share/p11-kit/modules'];
}

/** Where p11-kit looks for a module its registration names with a relative path. */
function p11KitModuleDirectories(): string[] {
  const multiarch = { x64: 'x86_64-linux-gnu', arm64: 'aarch64-linux-gnu' }[process.arch as string];
  return [...(multiarch ? [`/usr/lib/${multiarch}/pkcs11`] : []), '/usr/lib64/pkcs11', '/usr/lib/pkcs11'];
}

/** The `module:` line of `<name>.module` in p11-kit's configuration, as a loadable path. */
function registeredModule(name: string, env: Env): string | undefined {
  for (const directory of registrationDirectories(env)) {
    const file = join(directory, `${name}.module`);
    if (!existsSync(file)) continue;
    const module = /^\s*module\s*:\s*(.+?)\s*$/m.exec(readFileSync(file, 'utf8'))?.[1];
    if (!module) continue;
    if (isAbsolute(module)) return module;
    return p11KitModuleDirectories().map((dir) => join(dir, module)).find((path) => existsSync(path)) ?? module;
  }
  return undefined;
}

/** The names of the modules registered with p11-kit (`<name>.module` files), sorted. */
function registeredNames(env: Env): string[] {
  const names = registrationDirectories(env).flatMap((directory) => {
    try {
      return readdirSync(directory).filter((file) => file.endsWith('.module')).map((file) => file.slice(0, -'.module'.length));
    } catch {
      return [];
    }
  });
  return [...new Set(names)].sort();
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
