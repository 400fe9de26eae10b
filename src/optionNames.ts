/**
 * The options a caller gives, by the library's names. Messages written below the CLI mention an option with
 * `option('durationSeconds')`; each caller then names it its own way: the library by these names, the CLI
 * by its flags (`--session-duration`), so that neither user reads the other's vocabulary.
 */
export type OptionName =
  | 'certificate'
  | 'privateKey'
  | 'intermediates'
  | 'certSelector'
  | 'pkcs8Password'
  | 'pkcs12Password'
  | 'pkcs11Lib'
  | 'reusePin'
  | 'tpmKeyPassword'
  | 'noTpmKeyPassword'
  | 'trustAnchorArn'
  | 'profileArn'
  | 'roleArn'
  | 'durationSeconds'
  | 'roleSessionName'
  | 'region'
  | 'endpoint'
  | 'assumeRoleArn'
  | 'assumeRoleSessionName'
  | 'externalId'
  | 'assumeRoleDurationSeconds'
  | 'assumeRoleTags'
  | 'assumeRoleTransitiveTagKeys'
  | 'stsEndpoint'
  | 'fallbacks'
  | 'verifyTls'
  | 'trustAnchorCertificate'
  | 'crl'
  | 'useFipsEndpoint'
  | 'useDualstackEndpoint';

/**
 * `index` and `part` name an element of a list option (from 0), or a field of it: see optionElement.
 * `offered` asks for every way to give the option, for a hint: see optionWays.
 */
export type OptionNaming = (option: OptionName, index?: number, part?: OptionName, offered?: boolean) => string;

// Private-use characters: they cannot come from anything a user typed into a message.
const OPEN = '\uf8f0';
const CLOSE = '\uf8f1';

/** A placeholder for the option's name in a message. */
export function option(name: OptionName): string {
  return `${OPEN}${name}${CLOSE}`;
}

/**
 * A placeholder for an option a hint offers, named by every way to give it: the CLI offers a secret's file
 * flag first (`--pkcs8-password-file, --pkcs8-password`), the library its one option.
 */
export function optionWays(name: OptionName): string {
  return `${OPEN}${name}+${CLOSE}`;
}

/**
 * A placeholder for an element of a list option (`index` from 0) or a field of one, as each caller numbers
 * and names them: the library `fallbacks[0].stsEndpoint`, the CLI `--fallback #1: sts-endpoint`.
 */
export function optionElement(name: OptionName, index: number, part?: OptionName): string {
  return `${OPEN}${name}[${index}]${part ? `.${part}` : ''}${CLOSE}`;
}

/** The text with each placeholder replaced by the name `naming` gives the option. */
export function nameOptions(text: string, naming: OptionNaming): string {
  if (!text.includes(OPEN)) return text;
  return text.replace(
    new RegExp(`${OPEN}(\\w+)(?:\\[(\\d+)\\](?:\\.(\\w+))?)?(\\+)?${CLOSE}`, 'g'),
    (_, name: string, index?: string, part?: string, offered?: string) =>
      naming(name as OptionName, index === undefined ? undefined : Number(index), part as OptionName | undefined, offered !== undefined),
  );
}

/** The library's way: an option is named as it is spelt in the options object (it says "no password" with ''). */
export const libraryNaming: OptionNaming = (name, index, part) =>
  index !== undefined ? `${name}[${index}]${part ? `.${part}` : ''}` : name === 'noTpmKeyPassword' ? "tpmKeyPassword: ''" : name;
