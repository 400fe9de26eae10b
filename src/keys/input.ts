import { statSync } from 'node:fs';
import { redactPin } from '../log/redactUrl.js';
import { readInputFile } from '../files/readInputFile.js';

/**
 * A certificate, key or chain as the caller gave it: the path of a file (or, where the option takes one, a
 * pkcs11: URI or a TPM `handle:`), or its bytes given inline: a library caller's PEM or DER, or what the CLI
 * read from an environment variable or standard input. Inline content is never written to disk.
 */
export type Input = string | InputContent;

export interface InputContent {
  readonly content: Buffer;
  /** How messages name it: `certificate content`, `env:WORKLOAD_CERT`, `standard input`. */
  readonly name: string;
}

export function isContent(input: Input | undefined): input is InputContent {
  return typeof input === 'object';
}

/** The path (a pkcs11: URI without its PIN), or what inline content is called, for messages. */
export function inputName(input: Input): string {
  return isContent(input) ? input.name : redactPin(input);
}

/** The bytes: the content itself, or the file's (a failure is `unable to read <what> <path>: <reason>`). */
export function readInput(input: Input, what: string): Buffer {
  return isContent(input) ? input.content : readInputFile(input, what);
}

/**
 * Identity, size and modification time of each file (inline content never changes), so that a source
 * notices a file renewed on disk and reads it again.
 */
export function inputStamp(inputs: readonly (Input | undefined)[]): string {
  return inputs
    .map((input) => {
      if (input === undefined) return '-';
      if (isContent(input)) return 'content';
      try {
        const stat = statSync(input);
        return `${stat.ino}:${stat.size}:${stat.mtimeMs}`;
      } catch {
        return `missing:${Math.random()}`;
      }
    })
    .join('|');
}
