import { join } from 'node:path';
import type { Env } from '../context.js';

/**
 * A path given in a variable, as botocore (the AWS CLI) reads AWS_CONFIG_FILE and
 * AWS_SHARED_CREDENTIALS_FILE: `$NAME` and `${NAME}` expanded (one not set left as written, as Python's
 * os.path.expandvars leaves it), then a leading `~/` to the home folder `home()` gives (left as written
 * without one). Undefined when the variable is not set or empty.
 */
export function pathFromVariable(env: Env, variable: string, home: () => string | undefined): string | undefined {
  const expanded = env[variable]?.replace(/\$([A-Za-z0-9_]+|\{[^}]*\})/g, (written, name: string) => env[name.startsWith('{') ? name.slice(1, -1) : name] ?? written);
  if (!expanded?.startsWith('~/')) return expanded || undefined;
  const dir = home();
  return dir ? join(dir, expanded.slice(2)) : expanded;
}
