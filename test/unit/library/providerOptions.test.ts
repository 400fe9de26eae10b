import { describe, expect, it } from 'vitest';
import { optionsProblem, toInput } from '../../../src/library/providerOptions.js';

const ARNS = {
  trustAnchorArn: 'arn:aws:rolesanywhere:us-east-1:123456789012:trust-anchor/a',
  profileArn: 'arn:aws:rolesanywhere:us-east-1:123456789012:profile/p',
  roleArn: 'arn:aws:iam::123456789012:role/r',
};

// Coverage audit: these refusals of fromRolesAnywhere's options (JavaScript callers, or JSON configs, pass any type) were never executed.
describe('optionsProblem, for an option of the wrong type', () => {
  it.each([
    [{ certificate: 42 }, 'invalid certificate: it must be a path, a URI, or the PEM or DER itself (string or Buffer)'],
    [{ privateKey: { path: '/key.pem' } }, 'invalid privateKey: it must be a path, a URI, or the PEM or DER itself (string or Buffer)'],
    [{ assumeRoleTransitiveTagKeys: 'team' }, 'invalid assumeRoleTransitiveTagKeys: it must be an array of strings'],
    [{ assumeRoleTransitiveTagKeys: ['team', 7] }, 'invalid assumeRoleTransitiveTagKeys: it must be an array of strings'],
    [{ assumeRoleTags: null }, "invalid assumeRoleTags: it must be an object of tag keys and their values, strings: { team: 'payments' }"],
    // Mutation testing: a tag value of another type was taken.
    [{ assumeRoleTags: { team: 5 } }, "invalid assumeRoleTags: it must be an object of tag keys and their values, strings: { team: 'payments' }"],
  ])('%j: %s', (options, problem) => {
    expect(optionsProblem({ ...ARNS, ...options })).toBe(problem);
  });

  it('takes a certificate as a string or bytes, and tags as a plain object', () => {
    expect(optionsProblem({ ...ARNS, certificate: '/cert.pem', privateKey: new Uint8Array([1]), assumeRoleTags: { team: 'a' }, assumeRoleTransitiveTagKeys: ['team'] })).toBeUndefined();
  });
});

describe('toInput', () => {
  it("takes a string holding a PEM anywhere as the content, not a path: openssl's Bag Attributes before it, a blank line (mutation testing)", () => {
    for (const pem of ['-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----\n', 'Bag Attributes\n    localKeyID: 01\n-----BEGIN CERTIFICATE-----\nAA==\n', '\n-----BEGIN CERTIFICATE-----\n']) {
      expect(toInput(pem, 'certificate'), pem).toEqual({ content: Buffer.from(pem, 'utf8'), name: 'certificate (content)' });
    }
    expect(toInput('/etc/cert.pem', 'certificate')).toBe('/etc/cert.pem');
    expect(toInput('', 'certificate')).toBeUndefined();
  });
});
