import { describe, expect, it } from 'vitest';
import { HelperError } from '../../../src/errors.js';
import { readFileFor } from '../../../src/files/readFileFor.js';
import { option } from '../../../src/optionNames.js';

const failing = (error: Error) => () => {
  throw error;
};

describe('readFileFor', () => {
  it("gives what the reader read", () => {
    expect(readFileFor('root.pem', 'invalid --trust-anchor-certificate root.pem', (path) => `read ${path}`)).toBe('read root.pem');
  });

  it("words a failure for the option, without the reader's words for the file", () => {
    const read = failing(new HelperError('invalid certificate chain /x/root.pem: it holds a PRIVATE KEY block'));
    expect(() => readFileFor('/x/root.pem', 'invalid --trust-anchor-certificate /x/root.pem', read)).toThrow(
      new HelperError('invalid --trust-anchor-certificate /x/root.pem: it holds a PRIVATE KEY block'),
    );
  });

  it('keeps the options of the reason for the caller to name, and a reason that does not name the file whole', () => {
    const withOption = failing(new HelperError(`could not parse certificate a.p12: read as ${option('certificate')}`));
    let thrown: HelperError | undefined;
    try {
      readFileFor('a.p12', `invalid ${option('trustAnchorCertificate')} a.p12`, withOption);
    } catch (error) {
      thrown = error as HelperError;
    }
    expect(thrown?.text).toBe(`invalid ${option('trustAnchorCertificate')} a.p12: read as ${option('certificate')}`);
    expect(() => readFileFor('a.pem', 'invalid --crl a.pem', failing(new HelperError('out of memory')))).toThrow('invalid --crl a.pem: out of memory');
  });

  it('names no path that is a key or certificate itself, given where its path belongs (QA: randomized keys)', () => {
    const pem = '-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGCanary1234\n-----END PRIVATE KEY-----\n';
    const read = failing(new HelperError('unable to read certificate bundle: no such file or directory, and what was given looks like PEM or base64 content, not a path (not shown)'));
    expect(() => readFileFor(pem, `invalid --trust-anchor-certificate ${pem}`, read)).toThrow(
      new HelperError('invalid --trust-anchor-certificate: unable to read certificate bundle: no such file or directory, and what was given looks like PEM or base64 content, not a path (not shown)'),
    );
  });

  it('lets a bug through as it is', () => {
    const bug = new TypeError('x is undefined');
    expect(() => readFileFor('a.pem', 'invalid --crl a.pem', failing(bug))).toThrow(bug);
  });
});
