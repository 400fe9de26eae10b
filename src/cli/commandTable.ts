import { CREDENTIAL_FLAGS, EXCLUSIONS, READ_CERTIFICATE_DATA_FLAGS, SIGN_STRING_FLAGS, type FlagName } from './flags.js';
import type { FlagValues } from './commandLine.js';

export type CommandName = 'credential-process' | 'serve' | 'update' | 'sign-string' | 'read-certificate-data';

export interface CommandSpec {
  readonly name: CommandName;
  readonly summary: string;
  readonly flags: readonly FlagName[];
  readonly exclusions: (typeof EXCLUSIONS)[keyof typeof EXCLUSIONS];
}

export type CommandRunner = (flags: FlagValues) => Promise<void>;

/** The reference's commands, each with the flags it accepts and the flag pairs it refuses together. */
export const COMMANDS: readonly CommandSpec[] = [
  {
    name: 'credential-process',
    summary: 'Retrieve AWS credentials in the format the AWS CLI and SDKs expect from credential_process',
    flags: CREDENTIAL_FLAGS,
    exclusions: EXCLUSIONS.credentials,
  },
  {
    name: 'read-certificate-data',
    summary: "Print a certificate's data (or list the matching certificates of a PKCS#11 token)",
    flags: READ_CERTIFICATE_DATA_FLAGS,
    exclusions: EXCLUSIONS.readCertificateData,
  },
  {
    name: 'serve',
    summary: 'Serve AWS credentials on a local endpoint compatible with IMDSv2',
    flags: [...CREDENTIAL_FLAGS, 'port', 'hop-limit'],
    exclusions: EXCLUSIONS.credentials,
  },
  {
    name: 'sign-string',
    summary: 'Sign a fixed test string with the private key, to check that it can be used',
    flags: SIGN_STRING_FLAGS,
    exclusions: EXCLUSIONS.signString,
  },
  {
    name: 'update',
    summary: 'Keep a profile of the AWS shared credentials file updated with fresh credentials',
    flags: [...CREDENTIAL_FLAGS, 'profile', 'once'],
    exclusions: EXCLUSIONS.credentials,
  },
];

/** Commands that take no flags of their own. */
export const SIMPLE_COMMANDS = {
  completion: 'Generate the autocompletion script for the specified shell (bash, zsh, fish, powershell)',
  help: 'Help about any command',
  version: 'Print the version of the credential helper',
} as const;
