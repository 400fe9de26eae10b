import { HelperError, reasonOf } from '../../../errors.js';
import type { Logger } from '../../../log/logger.js';
import { helperFolder, loadSocketTtl, SYSTEM_HOP_LIMIT, type SocketTtlAddon } from '../../../outputs/httpServer/socketTtl.js';
import { ADDONS_DISABLED, npmRebuildCommand } from '../../../npmRebuild.js';
import { shellWord } from '../../../shellWord.js';

/**
 * What sets `--hop-limit` on each socket, or undefined when the sockets keep the system's (64): without the
 * native addon (installed where there was no C toolchain) no other limit can be set.
 */
export function socketHopLimit(hopLimit: number, logger: Logger): ((fd: number) => void) | undefined {
  if (!Number.isInteger(hopLimit) || hopLimit < 1 || hopLimit > 255) {
    throw new HelperError(`invalid --hop-limit ${hopLimit}: it must be between 1 and 255`);
  }
  // Built, but for another platform (node_modules copied into a container from a macOS or glibc build), or damaged.
  let socketTtl: SocketTtlAddon | undefined;
  let failure: NodeJS.ErrnoException | undefined;
  try {
    socketTtl = loadSocketTtl();
  } catch (error) {
    failure = error as NodeJS.ErrnoException;
  }
  const disabled = failure?.code === 'ERR_DLOPEN_DISABLED';
  const unloadable = failure && (disabled ? ADDONS_DISABLED : reasonOf(failure));
  if (failure) logger.debug(`the socket_ttl native addon cannot be loaded (${unloadable}): sockets keep the system's hop limit`);
  if (!socketTtl && hopLimit !== SYSTEM_HOP_LIMIT) {
    if (disabled) throw new HelperError(`--hop-limit ${hopLimit} needs the socket_ttl native addon, and ${ADDONS_DISABLED}`);
    // Yarn's Plug'n'Play keeps a package in a zip archive when told to ("unplugged": false): nothing is built there (QA).
    const archive = /^(.*?\.zip)\/node_modules\//.exec(helperFolder())?.[1];
    if (archive) {
      throw new HelperError(
        `--hop-limit ${hopLimit} needs the socket_ttl native addon, which cannot be built in the zip archive Yarn keeps roles-anywhere-helper in (${archive}): ` +
          'give it "built": true rather than "unplugged": false in the dependenciesMeta of your package.json, and run yarn install, on a machine with python3, make and a C compiler ' +
          `(without --hop-limit, serve uses the system's ${SYSTEM_HOP_LIMIT})`,
      );
    }
    // Deno loads a native addon only with --allow-ffi: rebuilding would change nothing (QA: runtimes).
    if (failure?.name === 'NotCapable') {
      throw new HelperError(
        `--hop-limit ${hopLimit} needs the socket_ttl native addon, which Deno loads only with --allow-ffi (${unloadable}): run it with --allow-ffi, or -A ` +
          `(without --hop-limit, serve uses the system's ${SYSTEM_HOP_LIMIT})`,
      );
    }
    throw new HelperError(
      unloadable
        ? `--hop-limit ${hopLimit} needs the socket_ttl native addon, which cannot be loaded here (${unloadable}): run \`${rebuildCommand()}\` ` +
          'on this machine, with python3, make and a C compiler'
        : `--hop-limit ${hopLimit} needs the socket_ttl native addon, which is not built here: run \`${rebuildCommand()}\` ` +
            `on a machine with python3, make and a C compiler (without --hop-limit, serve uses the system's ${SYSTEM_HOP_LIMIT})`,
    );
  }
  return (
    socketTtl &&
    ((fd) => {
      try {
        socketTtl.setHopLimit(fd, hopLimit);
      } catch (error) {
        logger.warn(`unable to set the hop limit of a socket: ${reasonOf(error)}`);
      }
    })
  );
}

/** How to build the addon: `npm rebuild` of the installed package, or its install script in a clone of the repository. */
function rebuildCommand(): string {
  const folder = helperFolder();
  return npmRebuildCommand(folder, 'roles-anywhere-helper') ?? `npm run install --prefix ${shellWord(folder)}`;
}
