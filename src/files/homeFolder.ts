import type { Env } from '../context.js';

/**
 * The user's home folder, found one way for everything the helper keeps under it (the shared config and
 * credentials files, the caches, p11-kit's configuration), as the reference's Go SDK finds it and the AWS
 * CLI and SDKs do: HOME as given, else (HOME unset or empty: a systemd unit without User=, say) the user
 * database's entry. Undefined when there is neither. node:os is loaded only then: a cache hit, which
 * finds its folder here, loads nothing it need not.
 */
export function homeFolder(env: Env): string | undefined {
  if (env.HOME) return env.HOME;
  try {
    return process.getBuiltinModule('node:os').userInfo().homedir || undefined;
  } catch {
    return undefined; // a user without an entry (a container run with --user 4242, say)
  }
}
