import { describe, expect, it } from 'vitest';
import { flagNaming } from '../../src/cli/flags.js';
import { HelperError, reasonOf } from '../../src/errors.js';
import { libraryNaming, nameOptions, option, optionElement, optionWays } from '../../src/optionNames.js';

describe('options named as each caller names them', () => {
  const error = new HelperError(`invalid ${option('durationSeconds')} 5: use ${option('privateKey')} with ${option('verifyTls')}`);

  it('the library reads its option names', () => {
    expect(error.message).toBe('invalid durationSeconds 5: use privateKey with verifyTls');
  });

  it('the CLI reads its flags', () => {
    expect(nameOptions(error.text, flagNaming)).toBe('invalid --session-duration 5: use --private-key with --no-verify-ssl');
  });

  it('an element of a list option and its field, each caller numbering them its way', () => {
    const text = `invalid ${optionElement('fallbacks', 0, 'stsEndpoint')} "x"; invalid ${optionElement('fallbacks', 1)}: y`;
    expect(nameOptions(text, libraryNaming)).toBe('invalid fallbacks[0].stsEndpoint "x"; invalid fallbacks[1]: y');
    expect(nameOptions(text, flagNaming)).toBe('invalid --fallback #1: sts-endpoint "x"; invalid --fallback #2: y');
  });

  it('a hint offers every way to give a secret: the CLI its file flag first, the library its one option', () => {
    const hint = `use ${optionWays('pkcs8Password')} or a variable; ${optionWays('roleArn')}; given with ${option('pkcs8Password')}`;
    expect(nameOptions(hint, flagNaming)).toBe('use --pkcs8-password-file, --pkcs8-password or a variable; --role-arn; given with --pkcs8-password');
    expect(nameOptions(hint, libraryNaming)).toBe('use pkcs8Password or a variable; roleArn; given with pkcs8Password');
  });

  it('keeps the placeholders through a wrapping error', () => {
    const outer = new HelperError(`unable to parse private key k.pem: ${reasonOf(error)}`);
    expect(nameOptions(outer.text, flagNaming)).toBe('unable to parse private key k.pem: invalid --session-duration 5: use --private-key with --no-verify-ssl');
    expect(nameOptions('no placeholders', flagNaming)).toBe('no placeholders');
  });
});
