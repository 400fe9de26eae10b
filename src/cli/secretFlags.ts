/**
 * The flags that give a password on the command line, and the option each sets; each also has a file flag
 * (`--<flag>-file`). What must not be recorded (the cache's shortcut), what a roles file may not hold where
 * others read it, and how messages name a secret all come from this one list. Its own file: the cache-hit
 * bundle reads it without the flag tables.
 */
export const SECRET_FLAG_OPTIONS = { 'pkcs8-password': 'pkcs8Password', 'pkcs12-password': 'pkcs12Password', 'tpm-key-password': 'tpmKeyPassword' } as const;

export type SecretFlag = keyof typeof SECRET_FLAG_OPTIONS;

export const SECRET_FLAGS = Object.keys(SECRET_FLAG_OPTIONS) as SecretFlag[];
