import { userInfo } from 'node:os';

/** This user's home in the user database, or undefined for a user without an entry (docker run --user 4242). */
export function databaseHome(): string | undefined {
  try {
    return userInfo().homedir || undefined;
  } catch {
    return undefined;
  }
}
