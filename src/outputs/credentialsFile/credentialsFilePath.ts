import { homedir } from 'node:os';
import { join } from 'node:path';
import { HelperError } from '../../errors.js';

/** AWS_SHARED_CREDENTIALS_FILE (with `~/` expanded, as the AWS CLI does), else ~/.aws/credentials. */
export function credentialsFilePath(env: NodeJS.ProcessEnv = process.env): string {
  const configured = env.AWS_SHARED_CREDENTIALS_FILE;
  if (configured) return configured.startsWith('~/') ? join(home(env), configured.slice(2)) : configured;
  return join(home(env), '.aws', 'credentials');
}

function home(env: NodeJS.ProcessEnv): string {
  const dir = env.HOME || homedir();
  if (!dir) throw new HelperError('unable to locate the home directory: set HOME or AWS_SHARED_CREDENTIALS_FILE');
  return dir;
}
