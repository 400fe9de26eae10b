import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Env } from '../../context.js';
import { HelperError } from '../../errors.js';

/** AWS_SHARED_CREDENTIALS_FILE (with `~/` expanded, as the AWS CLI does), else ~/.aws/credentials. */
export function credentialsFilePath(env: Env): string {
  const configured = env.AWS_SHARED_CREDENTIALS_FILE;
  if (configured) return configured.startsWith('~/') ? join(home(env), configured.slice(2)) : configured;
  return join(home(env), '.aws', 'credentials');
}

function home(env: Env): string {
  const dir = env.HOME || homedir();
  if (!dir) throw new HelperError('unable to locate the home directory: set HOME or AWS_SHARED_CREDENTIALS_FILE');
  return dir;
}
