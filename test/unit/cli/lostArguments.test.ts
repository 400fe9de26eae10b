import { describe, expect, it } from 'vitest';
import { lostArguments, lostArgumentsWarning } from '../../../src/cli/lostArguments.js';

describe('the arguments passed over', () => {
  it('are all but an empty one and a lone -, which cobra passes over too (mutation QA)', () => {
    expect(lostArguments(['', 'session', '-', '--', 'x y'])).toEqual(['session', '--', 'x y']);
  });
});

describe('the warning for arguments passed over', () => {
  it('asks for quotes around a value with spaces', () => {
    expect(lostArgumentsWarning(['session'])).toBe('ignoring what is not a flag: "session" (a value holding spaces must be quoted)');
  });

  it('names the flags a line break before them hid: a credential_process written over lines ending in \\ (aws_signing_helper issue #151, QA)', () => {
    // What botocore's shlex.split makes of `credential-process \` followed by indented lines of flags.
    const lost = ['\n--certificate', '/etc/pki/client.crt', '\n--private-key', '/etc/pki/client.key', '\n--role-arn', 'arn:aws:iam::111122223333:role/x'];
    expect(lostArgumentsWarning(lost)).toBe(
      `ignoring what is not a flag: ${JSON.stringify(lost.join(' '))} (--certificate, --private-key and --role-arn were not read as flags, ` +
        'as a line break or a blank comes first in their arguments: write the command on one line, without \\ at line ends (a credential_process of ~/.aws/config too))',
    );
    expect(lostArgumentsWarning(['\r\n--debug=true'])).toMatch(/\(--debug was not read as a flag, as a line break or a blank comes first in its argument: /);
    // The AWS SDK for JavaScript reads the indented lines as a sub-section: the command ends in a lone \ (QA).
    expect(lostArgumentsWarning(['\\'])).toBe(
      'ignoring what is not a flag: "\\\\" (a \\ ended the line: write the command on one line, without \\ at line ends (a credential_process of ~/.aws/config too))',
    );
  });

  it('names flags written with a typographic dash, as text copied from a web page or a document has them (QA)', () => {
    expect(lostArgumentsWarning(['\u2014certificate', '/etc/pki/client.crt'])).toBe(
      'ignoring what is not a flag: "\u2014certificate /etc/pki/client.crt" (\u2014certificate begins with a dash that is not a hyphen-minus (U+2014): write --certificate)',
    );
    expect(lostArgumentsWarning(['\u2013role-arn', 'arn', '\u2014\u2014pkcs8-password=***'])).toMatch(
      /\(\u2013role-arn and \u2014\u2014pkcs8-password begin with dashes that are not hyphen-minus \(U\+2013, U\+2014\): write --role-arn and --pkcs8-password\)$/,
    );
    expect(lostArgumentsWarning(['\n--certificate', 'c.pem', '\u2014debug'])).toMatch(
      /\(--certificate was not read as a flag, as a line break .*config too\); \u2014debug begins with a dash that is not a hyphen-minus \(U\+2014\): write --debug\)$/,
    );
  });

  // Mutation QA: each passed with the range of dashes cut to U+2013..U+2014, their codes unsorted, or the \\ reason said with the line break's.
  it('names every dash of its set by its code, sorted, and the \\ only when no line break explains it', () => {
    expect(lostArgumentsWarning(['\u2212role-arn', 'arn', '\u2010debug', '\uFF0Dcertificate'])).toMatch(
      /\(\u2212role-arn, \u2010debug and \uFF0Dcertificate begin with dashes that are not hyphen-minus \(U\+2010, U\+2212, U\+FF0D\): write --role-arn, --debug and --certificate\)$/,
    );
    const lost = ['\\', '\n--certificate', 'c.pem'];
    expect(lostArgumentsWarning(lost)).toBe(
      `ignoring what is not a flag: ${JSON.stringify(lost.join(' '))} (--certificate was not read as a flag, as a line break or a blank comes first in its argument: ` +
        'write the command on one line, without \\ at line ends (a credential_process of ~/.aws/config too))',
    );
  });
});
