/**
 * The arguments a command that takes none passes over with a warning (src/cli/main.ts): all but an empty
 * one or a lone `-`, which cobra passes over before the command too, and which lose nothing.
 */
export function lostArguments(positionals: readonly string[]): string[] {
  return positionals.filter((arg) => arg !== '' && arg !== '-');
}

/**
 * The warning for the arguments passed over, with what made flags of them arguments:
 * - a line break (or a blank) before the flag in its argument (`\n--certificate`): botocore makes that of a
 *   credential_process written over several lines ending in `\`, the backslash keeping the line break in the
 *   next word; the run then fails for want of what those flags gave, in words that do not point there
 *   (aws_signing_helper issue #151: "multiple matching identities");
 * - dashes that are not hyphen-minus (`\u2014certificate`): a word processor's or a web page's for `--`, copied.
 */
export function lostArgumentsWarning(lost: readonly string[]): string {
  const flagName = (arg: string) => arg.trim().replace(/=[^]*$/, '');
  const broken = lost.filter((arg) => /^\s+--?[A-Za-z]/.test(arg)).map(flagName);
  const dashed = lost.filter((arg) => TYPOGRAPHIC_DASHES.test(arg)).map(flagName);
  const reasons: string[] = [];
  if (broken.length > 0) {
    const one = broken.length === 1;
    reasons.push(
      `${listed(broken)} ${one ? 'was not read as a flag' : 'were not read as flags'}, as a line break or a blank comes first in ` +
        `${one ? 'its argument' : 'their arguments'}: ${ONE_LINE}`,
    );
  }
  // The AWS SDK for JavaScript reads the indented lines after it as a sub-section: the command ends in a `\`.
  if (broken.length === 0 && lost.includes('\\')) reasons.push(`a \\ ended the line: ${ONE_LINE}`);
  if (dashed.length > 0) {
    const one = dashed.length === 1;
    const codes = [...new Set(dashed.flatMap((name) => [...name.slice(0, name.search(/[A-Za-z]/))]))].map(
      (dash) => `U+${dash.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`,
    );
    reasons.push(
      `${listed(dashed)} ${one ? 'begins with a dash' : 'begin with dashes'} that ${one ? 'is not a' : 'are not'} hyphen-minus (${codes.sort().join(', ')}): ` +
        `write ${listed(dashed.map((name) => `--${name.slice(name.search(/[A-Za-z]/))}`))}`,
    );
  }
  if (reasons.length === 0) reasons.push('a value holding spaces must be quoted');
  return `ignoring what is not a flag: ${JSON.stringify(lost.join(' '))} (${reasons.join('; ')})`;
}

const ONE_LINE = 'write the command on one line, without \\ at line ends (a credential_process of ~/.aws/config too)';

/** A flag begun with dashes other than hyphen-minus: hyphen, non-breaking hyphen, figure dash, en and em dash, bar, minus. */
const TYPOGRAPHIC_DASHES = /^[\u2010-\u2015\u2212\uFE58\uFE63\uFF0D]+[A-Za-z]/;

function listed(names: readonly string[]): string {
  return names.length < 2 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names.slice(-1).join('')}`;
}
