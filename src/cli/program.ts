import { Command, Option } from 'commander';
import { UsageError } from '../errors.js';
import {
  CREDENTIAL_FLAGS,
  EXCLUSIONS,
  FLAGS,
  READ_CERTIFICATE_DATA_FLAGS,
  SIGN_STRING_FLAGS,
  exclusionViolation,
  type FlagName,
  type FlagSpec,
} from './flags.js';
import { parseGoInt } from './goSyntax.js';

/** Flag values by flag name (`role-arn`), as the commands read them. */
export type FlagValues = Readonly<Record<string, string | number | boolean | undefined>>;

export type CommandName = 'credential-process' | 'serve' | 'update' | 'sign-string' | 'read-certificate-data';

/** Runs one command with its parsed flags. Loaded lazily, so each command pays only for what it uses. */
export type CommandRunner = (command: CommandName, flags: FlagValues) => Promise<void>;

interface CommandSpec {
  readonly name: CommandName;
  readonly description: string;
  readonly flags: readonly FlagName[];
  readonly exclusions: (typeof EXCLUSIONS)[keyof typeof EXCLUSIONS];
}

const COMMANDS: readonly CommandSpec[] = [
  {
    name: 'credential-process',
    description: 'Retrieve AWS credentials in the format the AWS CLI and SDKs expect from credential_process',
    flags: CREDENTIAL_FLAGS,
    exclusions: EXCLUSIONS.credentials,
  },
  {
    name: 'serve',
    description: 'Serve AWS credentials on a local IMDSv2-compatible endpoint',
    flags: [...CREDENTIAL_FLAGS, 'port', 'hop-limit'],
    exclusions: EXCLUSIONS.credentials,
  },
  {
    name: 'update',
    description: 'Keep a profile of the AWS shared credentials file updated',
    flags: [...CREDENTIAL_FLAGS, 'profile', 'once'],
    exclusions: EXCLUSIONS.credentials,
  },
  {
    name: 'sign-string',
    description: 'Sign a fixed test string with the private key, to check that it can be used',
    flags: SIGN_STRING_FLAGS,
    exclusions: EXCLUSIONS.signString,
  },
  {
    name: 'read-certificate-data',
    description: 'Print a certificate\'s data (or list the matching certificates of a PKCS#11 token)',
    flags: READ_CERTIFICATE_DATA_FLAGS,
    exclusions: EXCLUSIONS.readCertificateData,
  },
];

/** Bool flags, for the `--flag=false` spelling that the argv pre-pass handles. */
export const BOOL_FLAGS: ReadonlySet<string> = new Set(
  Object.entries(FLAGS)
    .filter(([, spec]) => spec.type === 'bool')
    .map(([name]) => name),
);

/**
 * The commander program with the reference's commands and flags. `explicitlyFalse` holds bool flags given
 * as `--flag=false`, which count as set for the mutual-exclusion rules (as in pflag) but are false.
 */
export function buildProgram(
  programName: string,
  version: string,
  run: CommandRunner,
  explicitlyFalse: ReadonlySet<string>,
): Command {
  const program = new Command(programName)
    .description('The credential helper is a tool to retrieve temporary AWS credentials')
    .helpCommand('help [command]', 'Help about any command')
    .exitOverride()
    .configureOutput({ writeErr: () => {}, outputError: () => {} });

  for (const spec of COMMANDS) {
    const command = program
      .command(spec.name)
      .description(spec.description)
      .allowExcessArguments(true)
      .exitOverride()
      .configureOutput({ writeErr: () => {}, outputError: () => {} });
    for (const flag of spec.flags) command.addOption(commanderOption(flag, FLAGS[flag]));
    command.action(async () => {
      const isSet = (flag: FlagName) => command.getOptionValueSource(attributeOf(flag)) === 'cli' || explicitlyFalse.has(flag);
      const violation = exclusionViolation(spec.exclusions, isSet);
      if (violation) throw new UsageError(violation);
      const values = command.opts();
      const flags: Record<string, string | number | boolean | undefined> = {};
      for (const flag of spec.flags) flags[flag] = explicitlyFalse.has(flag) ? false : values[attributeOf(flag)];
      await run(spec.name, flags);
    });
  }

  program
    .command('version')
    .description('Print the version of the credential helper')
    .allowExcessArguments(true)
    .exitOverride()
    .action(() => {
      process.stdout.write(`${version}\n`);
    });
  return program;
}

function commanderOption(name: FlagName, spec: FlagSpec): Option {
  const valueName = spec.type === 'int' ? ' <int>' : spec.type === 'bool' ? '' : ' <string>';
  const option = new Option(`--${name}${valueName}`, spec.help);
  // pflag has no negation: --no-verify-ssl and --no-tpm-key-password are plain flags of their own.
  option.negate = false;
  if (spec.default !== undefined) option.default(spec.default);
  if (spec.type === 'int') {
    option.argParser((value) => {
      try {
        return Number(parseGoInt(value));
      } catch (error) {
        throw invalidArgument(value, name, (error as Error).message);
      }
    });
  } else if (spec.type === 'enum') {
    option.argParser((value) => {
      if (!spec.values!.includes(value)) throw invalidArgument(value, name, `${value} is not included in ${spec.values!.join(',')}`);
      return value;
    });
  }
  return option;
}

function invalidArgument(value: string, flag: string, cause: string): UsageError {
  return new UsageError(`invalid argument ${JSON.stringify(value)} for "--${flag}" flag: ${cause}`);
}

/** Commander's attribute for a flag: `role-arn` → `roleArn`. */
function attributeOf(flag: string): string {
  return flag.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}
