import { describe, expect, it } from 'vitest';
import { parseFlags } from '../../../src/cli/commandLine.js';
import { UsageError } from '../../../src/errors.js';
import type { FlagSet } from '../../../src/cli/flags.js';
import { CREDENTIAL_PROCESS_FLAGS } from '../../../src/cli/commands/credentialProcess/flags.js';

const FLAGS = {
  region: { type: 'string', help: '' },
  fallback: { type: 'stringArray', help: '' },
} as const satisfies FlagSet;

describe('repeatable (stringArray) flags', () => {
  it('keep every occurrence in order, commas and all; other flags keep the last', () => {
    const parsed = parseFlags(['--fallback', 'a=1,b=2', '--region', 'x', '--fallback=c=3', '--region=y'], FLAGS);
    expect(parsed.values.fallback).toEqual(['a=1,b=2', 'c=3']);
    expect(parsed.values.region).toBe('y');
    expect(parsed.given.has('fallback')).toBe(true);
  });

  it('are empty when not given', () => {
    expect(parseFlags([], FLAGS).values.fallback).toEqual([]);
  });
});

describe('a bool flag unset unless given', () => {
  const BOOLS = { fips: { type: 'bool', unsetUnlessGiven: true, help: '' }, plain: { type: 'bool', help: '' } } as const satisfies FlagSet;

  it('is undefined when not given (a plain bool is false), true or false when given', () => {
    expect(parseFlags([], BOOLS).values).toEqual({ fips: undefined, plain: false });
    expect(parseFlags(['--fips'], BOOLS).values.fips).toBe(true);
    expect(parseFlags(['--fips=false'], BOOLS).values.fips).toBe(false);
  });
});

describe('the help flag', () => {
  const flags = { debug: { type: 'bool', help: '' } } as const;

  it('is a bool as cobra has it: --help=true asks for help, --help=false does not, anything else is refused', () => {
    expect(parseFlags(['--help=true'], flags).help).toBe(true);
    expect(parseFlags(['--help=false'], flags).help).toBe(false);
    expect(() => parseFlags(['--help=maybe'], flags)).toThrow(
      'invalid argument "maybe" for "-h, --help" flag: strconv.ParseBool: parsing "maybe": invalid syntax',
    );
    // Its shorthand too, as pflag takes `-h=false` (QA: an unknown shorthand flag).
    expect(parseFlags(['-h=false'], flags).help).toBe(false);
    expect(parseFlags(['-h=1'], flags).help).toBe(true);
    // Named as pflag names a flag with a shorthand in its error, however it was given (QA: compared with pflag).
    expect(() => parseFlags(['-h=no'], flags)).toThrow('invalid argument "no" for "-h, --help" flag: strconv.ParseBool: parsing "no": invalid syntax');
    expect(() => parseFlags(['--help='], flags)).toThrow('invalid argument "" for "-h, --help" flag: strconv.ParseBool: parsing "": invalid syntax');
  });
});

describe('flag errors quote no value that may be a secret', () => {
  const flags = {
    'pkcs8-password': { type: 'string', help: '' },
    'reuse-pin': { type: 'bool', help: '' },
    'no-tpm-key-password': { type: 'bool', help: '' },
    debug: { type: 'bool', help: '' },
  } as const;

  it('a Go-style single-dash flag: its value after = is not shown', () => {
    expect(() => parseFlags(['-pkcs8-password=Hunter2Secret'], flags)).toThrow(/^unknown shorthand flag: 'p' in -pkcs8-password=\*\*\*$/);
    expect(() => parseFlags(['-d'], flags)).toThrow(/^unknown shorthand flag: 'd' in -d$/);
  });

  it("reads shorthand letters one after another, as pflag does: -h is cobra's help flag, the only one (QA: drop-in)", () => {
    expect(parseFlags(['-hh'], flags).help).toBe(true);
    expect(() => parseFlags(['-hx'], flags)).toThrow(/^unknown shorthand flag: 'x' in -x$/);
    expect(() => parseFlags(['-hpin=1234'], flags)).toThrow(/^unknown shorthand flag: 'p' in -pin=\*\*\*$/);
    expect(parseFlags(['-hh=false'], flags).help).toBe(false);
    // `-h=` is -h followed by the letter =, as pflag reads a value only after `=` and something.
    expect(() => parseFlags(['-h='], flags)).toThrow(/^unknown shorthand flag: '=' in -=$/);
  });

  it('says "bad flag syntax" for a long flag whose name is empty or begins with a dash or =, as pflag does (QA: drop-in)', () => {
    expect(() => parseFlags(['---debug'], flags)).toThrow(/^bad flag syntax: ---debug$/);
    expect(() => parseFlags(['--=x'], flags)).toThrow(/^bad flag syntax: --=\*\*\*$/);
    expect(() => parseFlags(['---pkcs8-password=Hunter2'], flags)).toThrow(/^bad flag syntax: ---pkcs8-password=\*\*\*$/);
    // A PEM private key as a word of its own (`"$(cat key.pem)"`): not the key (CI).
    expect(() => parseFlags(['-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGCanary1234\n-----END PRIVATE KEY-----\n'], flags)).toThrow(
      /^bad flag syntax: PEM or base64 content \(not shown\)$/,
    );
    // Nor base64 DER as a word passed over; a word with a line break from botocore's `\` is shown (CI).
    const der = 'MHcCAQEEIMYIzB5pwqiYsj2Vzx48PPDG3jclToY5FsL+ey7ifOlLoAoGCCqGSM49AwEHoUQDQgAECanary1234==';
    expect(parseFlags(['arn:x', der, '\n  arn:y'], flags).shownPositionals).toEqual(['arn:x', 'PEM or base64 content (not shown)', '\n  arn:y']);
    // Nor a PEM's body without its BEGIN and END lines (`sed '1d;$d' key.pem`), or base64 as `base64` wraps it (QA: randomized keys).
    const lines = `${der.slice(0, 64)}\n${der.slice(64)}`;
    expect(parseFlags(['arn:x', lines, `${lines}\r\n`], flags).shownPositionals).toEqual(['arn:x', 'PEM or base64 content (not shown)', 'PEM or base64 content (not shown)']);
    // Nor the short last line of a key left unquoted (`$(sed '1d;$d' key.pem)` split into words), after its full ones (QA).
    expect(parseFlags([der.slice(0, 64), der.slice(64), 'arn:y'], flags).shownPositionals).toEqual([
      'PEM or base64 content (not shown)',
      'PEM or base64 content (not shown)',
      'arn:y',
    ]);
  });

  it("a value given to a PIN's or password's bool flag is not quoted; another flag's is, as pflag quotes it", () => {
    expect(() => parseFlags(['--reuse-pin=123456'], flags)).toThrow(
      /^invalid argument "\*\*\*" for "--reuse-pin" flag: strconv.ParseBool: parsing "\*\*\*": invalid syntax$/,
    );
    // Only the quoted value is hidden: `s` is in Go's text too.
    expect(() => parseFlags(['--reuse-pin=s'], flags)).toThrow(
      /^invalid argument "\*\*\*" for "--reuse-pin" flag: strconv.ParseBool: parsing "\*\*\*": invalid syntax$/,
    );
    // The password given to --no-tpm-key-password, meant for --tpm-key-password (QA17: only the PIN's flag was tested).
    expect(() => parseFlags(['--no-tpm-key-password=hunter2'], flags)).toThrow(
      /^invalid argument "\*\*\*" for "--no-tpm-key-password" flag: strconv.ParseBool: parsing "\*\*\*": invalid syntax$/,
    );
    expect(() => parseFlags(['--debug=123456'], flags)).toThrow(
      /^invalid argument "123456" for "--debug" flag: strconv.ParseBool: parsing "123456": invalid syntax$/,
    );
  });

  it("words that are no flag, as messages quote them: none that may be the rest of a secret (QA: a password with a space, unquoted)", () => {
    const withUri = { ...flags, certificate: { type: 'string', help: '' } } as const;
    const shown = (args: string[]) => parseFlags(args, withUri);
    // The rest of a password holding a space, and what follows it up to the next flag.
    expect(shown(['--pkcs8-password', 'Hunter2', 'TailSecret', 'more', '--debug', 'extra']).shownPositionals).toEqual(['***', '***', 'extra']);
    expect(shown(['--pkcs8-password=Hunter2', 'TailSecret']).shownPositionals).toEqual(['***']);
    // A PKCS#11 URI's PIN with a space, and after `--`.
    expect(shown(['--certificate', 'pkcs11:token=t;object=k?pin-value=12', '34']).shownPositionals).toEqual(['***']);
    expect(shown(['--pkcs8-password', 'a', '--', 'b']).shownPositionals).toEqual(['***']);
    // A flag pasted with a long dash: its value hidden, its name shown.
    expect(shown(['\u2014pkcs8-password=Hunter2Secret']).shownPositionals).toEqual(['\u2014pkcs8-password=***']);
    // Anything else as it is: after a flag that is no secret, or a bool one, and the words that are lost nothing.
    const plain = shown(['--certificate', 'cert.pem', 'extra', '--reuse-pin', 'word', '-', '']);
    expect(plain.shownPositionals).toEqual(['extra', 'word', '-', '']);
    expect(plain.positionals).toEqual(['extra', 'word', '-', '']);
    // The command still gets the words themselves.
    expect(shown(['--pkcs8-password', 'a', 'b']).positionals).toEqual(['b']);
    // A secret flag's name pasted with a long dash, its value after a space (review).
    expect(shown(['\u2014pkcs8-password', 'Hunter2Secret', 'more']).shownPositionals).toEqual(['\u2014pkcs8-password', '***', '***']);
    // Its name in capitals too; and pasted with its value after `=`, the word after it is no part of the secret.
    expect(shown(['\u2014PKCS8-Password', 'Hunter2Secret']).shownPositionals).toEqual(['\u2014PKCS8-Password', '***']);
    expect(shown(['\u2014pkcs8-password=Hunter2Secret', 'extra']).shownPositionals).toEqual(['\u2014pkcs8-password=***', 'extra']);
    // A PKCS#11 URI left a word of its own, its flag taken as another's value (`--certificate $CERT --private-key pkcs11:…` with CERT unset, review).
    expect(shown(['--certificate', '--private-key', 'pkcs11:token=t;object=k?pin-value=Canary12', '34']).shownPositionals).toEqual(['pkcs11:token=t;object=k?pin-value=***', '***']);
  });

  it('a word after a secret that reads as a flag it is not is not quoted: the rest of a password beginning with a dash (review)', () => {
    const message = "unknown flag after a password's or PIN's value, not shown as it may be part of it (a value holding spaces must be quoted)";
    // '-xdebug' too: a single dash before a known flag's name is no flag, and pflag would quote it as shorthand letters.
    for (const rest of ['-Tr0ub4dor', '--Tr0ub4dor', '---Tr0ub4dor', '--Tr0=ub4dor', '-xdebug']) {
      expect(() => parseFlags(['--pkcs8-password', 'hunter', rest], flags), rest).toThrow(message);
    }
    expect(() => parseFlags(['\u2014pkcs8-password', 'hunter', '-Tr0ub4dor'], flags)).toThrow(message);
    // Known flags after it are read as ever, and an unknown one elsewhere is named.
    expect(parseFlags(['--pkcs8-password', 'hunter', '--debug'], flags).values.debug).toBe(true);
    expect(() => parseFlags(['--debug', '--Tr0ub4dor'], flags)).toThrow(/^unknown flag: --Tr0ub4dor$/);
  });
});

describe('an integer with a leading 0', () => {
  const INTS = { port: { type: 'int', default: 0, help: '' } } as const satisfies FlagSet;

  it('is read as octal, as pflag reads it, with a note to warn of it (QA: --session-duration 03600 asked for 1920 s)', () => {
    const parsed = parseFlags(['--port', '017700'], INTS);
    expect(parsed.values.port).toBe(8128);
    expect(parsed.notes).toEqual(['--port 017700 is read as octal, as Go reads a leading 0: 8128']);
    for (const plain of ['0', '8080', '0x1f90', '0o17700', '-5']) expect(parseFlags([`--port=${plain}`], INTS).notes, plain).toEqual([]);
  });

  it('with an underscore after it, as Go allows (0_17700), is octal too, and warned of (mutation testing)', () => {
    const parsed = parseFlags(['--port', '0_17700'], INTS);
    expect(parsed.values.port).toBe(8128);
    expect(parsed.notes).toEqual(['--port 0_17700 is read as octal, as Go reads a leading 0: 8128']);
  });
});

describe('as pflag reads them (mutation testing)', () => {
  it('a flag that takes a value, last on the line, is refused: flag needs an argument', () => {
    expect(() => parseFlags(['--fallback', 'a=1', '--region'], FLAGS)).toThrow(new UsageError('flag needs an argument: --region'));
  });

  it("an enum flag's value is matched case by case: --log-level DEBUG is refused, as pflag's enum check", () => {
    expect(() => parseFlags(['--log-level', 'DEBUG'], CREDENTIAL_PROCESS_FLAGS)).toThrow(
      new UsageError('invalid argument "DEBUG" for "--log-level" flag: DEBUG is not included in error,warn,info,debug'),
    );
    expect(parseFlags(['--log-level', 'debug'], CREDENTIAL_PROCESS_FLAGS).values['log-level']).toBe('debug');
  });

  it('a bool flag given false still counts as given, for the groups a command refuses together (--debug=false --log-level=warn)', () => {
    const parsed = parseFlags(['--debug=false', '--log-level=warn'], CREDENTIAL_PROCESS_FLAGS);
    expect(parsed.values.debug).toBe(false);
    expect([...parsed.given].sort()).toEqual(['debug', 'log-level']);
    expect(parseFlags([], CREDENTIAL_PROCESS_FLAGS).given.size).toBe(0);
  });
});

describe('a flag whose value is the next flag', () => {
  const ARNS = {
    'trust-anchor-arn': { type: 'string', help: '' },
    'profile-arn': { type: 'string', help: '' },
    'pkcs8-password': { type: 'string', help: '' },
  } as const satisfies FlagSet;

  it('takes it, as pflag does, with a note that its own value is missing: `--trust-anchor-arn $TRUST_ANCHOR_ARN` unquoted and unset (QA: real-world scripts)', () => {
    const parsed = parseFlags(['--trust-anchor-arn', '--profile-arn', 'arn:x'], ARNS);
    expect(parsed.values['trust-anchor-arn']).toBe('--profile-arn');
    expect(parsed.positionals).toEqual(['arn:x']);
    expect(parsed.notes).toEqual(['--trust-anchor-arn took "--profile-arn" as its value, as pflag does: the value meant for it is missing (an empty variable left unquoted?)']);
    expect(parseFlags(['--trust-anchor-arn', '--profile-arn=arn:x'], ARNS).notes).toHaveLength(1);
    // A value that only looks like a flag, or a secret's value, is not remarked on.
    expect(parseFlags(['--trust-anchor-arn', '--not-a-flag'], ARNS).notes).toEqual([]);
    expect(parseFlags(['--trust-anchor-arn=--profile-arn'], ARNS).notes).toEqual([]);
    expect(parseFlags(['--pkcs8-password', '--profile-arn'], ARNS).notes).toEqual([]);
    expect(parseFlags(['--profile-arn', '--pkcs8-password'], ARNS).notes).toEqual([expect.stringMatching(/^--profile-arn took "--pkcs8-password" as its value/)]);
  });

  it("refuses to take a secret flag's value with it, which the run's error (the ARN, the path, as given) or a session name would show (review)", () => {
    const KEYS = { ...ARNS, certificate: { type: 'string', help: '' }, 'private-key': { type: 'string', help: '' }, 'role-session-name': { type: 'string', help: '' } } as const satisfies FlagSet;
    for (const [args, shown] of [
      [['--profile-arn', '--pkcs8-password=Canary1234'], '--pkcs8-password=***'],
      [['--role-session-name', '--private-key=pkcs11:token=t;object=k?pin-value=Canary1234'], '--private-key=pkcs11:token=t;object=k?pin-value=***'],
      [['--certificate', '--private-key=pkcs11:token=t;object=k?pin-value=Canary1234'], '--private-key=pkcs11:token=t;object=k?pin-value=***'],
      // The pin-value first among the path attributes: the URI starts after the flag's name (review).
      [['--certificate', '--private-key=pkcs11:pin-value=Canary1234'], '--private-key=pkcs11:pin-value=***'],
    ] as const) {
      let thrown: unknown;
      try {
        parseFlags(args, KEYS);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(UsageError);
      expect((thrown as Error).message).not.toContain('Canary');
      expect((thrown as Error).message).toBe(
        `${args[0]} took ${JSON.stringify(shown)} as its value, as pflag does, with a secret in it: the value meant for ${args[0]} is missing (an empty variable left unquoted?)`,
      );
    }
  });

  it("refuses to take a word written as a flag with a password's or PIN's value, known to the command or not: a single dash, a long dash, capitals, --pkcs11-pin (review)", () => {
    // A line break before it too: botocore keeps it in the next word of a credential_process ending a line in `\` (review).
    for (const taken of ['--pkcs11-pin=Canary1234', '-pkcs8-password=Canary1234', '\u2014pkcs8-password=Canary1234', '--PKCS8-PASSWORD=Canary1234', '\n  --pkcs8-password=Canary1234']) {
      expect(() => parseFlags(['--profile-arn', taken], ARNS)).toThrow(
        new UsageError(
          `--profile-arn took ${JSON.stringify(taken.replace(/=.*/, '=***'))} as its value, as pflag does, with a secret in it: the value meant for --profile-arn is missing (an empty variable left unquoted?)`,
        ),
      );
    }
    // A PEM given as the value is no flag, whatever its base64 holds: not quoted, the run says what it is (CI).
    const KEY = { ...ARNS, 'private-key': { type: 'string', value: 'path', help: '' } } as const satisfies FlagSet;
    const pem = '-----BEGIN PRIVATE KEY-----\nMIIEpinQCanary1234=\n-----END PRIVATE KEY-----\n';
    expect(parseFlags(['--private-key', pem], KEY)).toMatchObject({ values: { 'private-key': pem }, notes: [] });
    // A value that only begins with a dash, or holds no secret: taken, as pflag does.
    expect(parseFlags(['--profile-arn', 'pin=1'], ARNS).values['profile-arn']).toBe('pin=1');
    expect(parseFlags(['--profile-arn', '--unknown=1'], ARNS).values['profile-arn']).toBe('--unknown=1');
  });

  it("hides a URL's user info in a flag it took, and in a word passed over, as messages hide an --endpoint's (review)", () => {
    const URLS = { ...ARNS, endpoint: { type: 'string', help: '' } } as const satisfies FlagSet;
    expect(() => parseFlags(['--profile-arn', '--endpoint=https://user:Canary1234@example.com'], URLS)).toThrow(
      /^--profile-arn took "--endpoint=https:\/\/\*\*\*@example\.com" as its value, as pflag does, with a secret in it/,
    );
    expect(parseFlags(['--profile-arn', 'arn:x', 'https://user:Canary1234@example.com', '/home/me@corp/x'], URLS).shownPositionals).toEqual([
      'https://***@example.com',
      '/home/me@corp/x',
    ]);
  });

  it("hides the words after a secret flag's name it took with a single or a long dash, and after a percent-encoded pin-value (review)", () => {
    for (const name of ['-pkcs8-password', '\u2014pkcs8-password', '--pkcs11-pin', '\n  --pkcs8-password']) {
      expect(parseFlags(['--profile-arn', name, 'Hunter2Secret'], ARNS).shownPositionals).toEqual(['***']);
    }
    const KEYS = { ...ARNS, 'private-key': { type: 'string', help: '' } } as const satisfies FlagSet;
    expect(parseFlags(['--private-key', 'pkcs11:token=t?pin%2dvalue=12', '34'], KEYS).shownPositionals).toEqual(['***']);
  });

  it("hides the words after a secret flag's name it took: `--profile-arn $PROFILE_ARN --pkcs8-password Hunter2` with PROFILE_ARN unset left the password a word, quoted as one passed over (review)", () => {
    const parsed = parseFlags(['--profile-arn', '--pkcs8-password', 'Hunter2Secret', 'more', '--trust-anchor-arn', 'arn:x', 'extra'], ARNS);
    expect(parsed.positionals).toEqual(['Hunter2Secret', 'more', 'extra']);
    expect(parsed.shownPositionals).toEqual(['***', '***', 'extra']);
  });
});

describe('a flag the run cannot do without, given empty', () => {
  const NEEDED = {
    certificate: { type: 'string', help: '' },
    'role-arn': { type: 'string', help: '' },
    region: { type: 'string', help: '' },
  } as const satisfies FlagSet;

  it('counts as not given, as in pflag, with a note: `--certificate "$CERTIFICATE"` with the variable unset (QA: real-world Dockerfiles and pod specs)', () => {
    const parsed = parseFlags(['--certificate', '', '--role-arn=', '--region', ''], NEEDED);
    expect(parsed.values).toEqual({ certificate: '', 'role-arn': '', region: '' });
    expect(parsed.notes).toEqual([
      '--certificate is given empty, as if not given (an unset variable?)',
      '--role-arn is given empty, as if not given (an unset variable?)',
    ]);
  });
});

describe('a key or certificate given to a flag that takes neither is not quoted (QA: randomized keys)', () => {
  const PEM = '-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgCanary1234\n-----END PRIVATE KEY-----\n';
  const DER = 'MHcCAQEEIMYIzB5pwqiYsj2Vzx48PPDG3jclToY5FsL+ey7ifOlLoAoGCCqGSM49AwEHoUQDQgAECanary1234==';
  const refusal = (flag: string) => `invalid argument "PEM or base64 content (not shown)" for "--${flag}" flag: a key or certificate is given with --certificate, --private-key or --intermediates`;

  it.each([
    // Flags swapped in a credential_process line: every check of the value (an ARN, a Region, a number) quoted it whole.
    ['role-arn', PEM],
    ['role-arn', DER],
    ['trust-anchor-arn', `${DER.slice(0, 64)}\n${DER.slice(64)}`],
    ['region', DER],
    ['endpoint', PEM],
    ['session-duration', DER],
    ['log-level', PEM],
    ['role-session-name', PEM],
    ['assume-role-tag', PEM],
    // Longer than its value may be: a key's base64 whole (QA).
    ['role-session-name', DER.repeat(2)],
    ['external-id', DER.repeat(14)],
  ])('--%s', (flag, value) => {
    for (const args of [[`--${flag}`, value], [`--${flag}=${value}`]]) {
      expect(() => parseFlags(args, CREDENTIAL_PROCESS_FLAGS)).toThrow(new UsageError(refusal(flag)));
    }
  });

  it("a pkcs11: URI with its PIN, shown without it (QA: randomized PINs)", () => {
    const uri = 'file:pkcs11:object=k pin-value=Canary1234';
    for (const flag of ['role-arn', 'external-id', 'assume-role-tag']) {
      expect(() => parseFlags([`--${flag}`, uri], CREDENTIAL_PROCESS_FLAGS)).toThrow(
        new UsageError(`invalid argument "file:pkcs11:object=k pin-value=***" for "--${flag}" flag: a pkcs11: URI is given with --certificate or --private-key`),
      );
    }
  });

  it('a URL with user info given to an ARN\'s, a Region\'s or a session name\'s flag (an endpoint put in the wrong place) is refused, its user info hidden: their checks quoted it whole (QA)', () => {
    for (const flag of ['role-arn', 'trust-anchor-arn', 'region', 'role-session-name', 'session-duration']) {
      expect(() => parseFlags([`--${flag}`, 'https://u:Canary1234@host/'], CREDENTIAL_PROCESS_FLAGS)).toThrow(
        new UsageError(`invalid argument "https://***@host/" for "--${flag}" flag: it is a URL with a user name or password`),
      );
    }
    // An external ID or a tag may hold `://` and `@`, as STS allows; an endpoint's own check hides its user info.
    const values = parseFlags(['--external-id', 'https://a:b@c', '--assume-role-tag', 'k=s3://a:b@c', '--endpoint', 'https://u:p@host'], CREDENTIAL_PROCESS_FLAGS).values;
    expect(values['external-id']).toBe('https://a:b@c');
    expect(values.endpoint).toBe('https://u:p@host');
  });

  it('base64 where it may be a value: an external ID, a tag, a session name; a path flag reads it as an input (which does not quote it)', () => {
    const values = parseFlags(['--external-id', DER, '--assume-role-tag', `Team=${DER}`, '--role-session-name', DER.slice(0, 64), '--private-key', PEM], CREDENTIAL_PROCESS_FLAGS).values;
    expect(values['external-id']).toBe(DER);
    expect(values['private-key']).toBe(PEM);
  });
});
