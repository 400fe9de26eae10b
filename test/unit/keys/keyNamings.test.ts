import { describe, expect, it } from 'vitest';
import { KEY_NAMINGS, keyNameParses, namedCertificateIdentity, namedKeyIdentity, namesCertificate } from '../../../src/keys/keyNamings.js';
import { KEY_SOURCE_KINDS } from '../../../src/keys/keySourceKinds.js';
import { pkcs11KeySourceKind } from '../../../src/keys/pkcs11/pkcs11KeySourceKind.js';
import { pkcs11Naming } from '../../../src/keys/pkcs11/pkcs11Naming.js';
import { sshAgentKeySourceKind } from '../../../src/keys/sshAgent/sshAgentKeySourceKind.js';
import { sshAgentNaming } from '../../../src/keys/sshAgent/sshAgentNaming.js';
import { tpmKeySourceKind } from '../../../src/keys/tpm/tpmKeySourceKind.js';
import { tpmNaming } from '../../../src/keys/tpm/tpmNaming.js';

const PEM_KEY = Buffer.from('-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n');

describe('KEY_NAMINGS', () => {
  it.each([
    ['handle:0x81000101', tpmKeySourceKind, tpmNaming],
    ['handle:zzzz', tpmKeySourceKind, tpmNaming],
    ['pkcs11:token=t;object=k', pkcs11KeySourceKind, pkcs11Naming],
    ['PKCS11:object=k;type=cert', pkcs11KeySourceKind, pkcs11Naming],
    ['ssh-agent', sshAgentKeySourceKind, sshAgentNaming],
    ['ssh-agent:SHA256:nope', sshAgentKeySourceKind, sshAgentNaming],
  ])('name the key %s as the kind that claims it does, and that one alone', (privateKey, kind, naming) => {
    const keyFile = () => PEM_KEY;
    expect(KEY_SOURCE_KINDS.find((candidate) => candidate.claims({ privateKey, certificate: '/cert.pem' }, keyFile))).toBe(kind);
    expect(KEY_NAMINGS.filter((candidate) => candidate.namesKey(privateKey))).toEqual([naming]);
  });

  it('name no key file, inline key or TSS2 key file (a file, told by its content)', () => {
    for (const privateKey of ['/keys/key.pem', 'key.pem', 'handle', 'ssh-agent.pem', { content: PEM_KEY, name: 'env:KEY' }]) {
      expect(KEY_NAMINGS.some((naming) => naming.namesKey(privateKey)), JSON.stringify(privateKey)).toBe(false);
    }
  });

  it('name certificates as the kinds that read them without the key do', () => {
    for (const certificate of ['pkcs11:object=c', '/certs/cert.pem', 'handle:0x81000101', 'ssh-agent']) {
      const kind = KEY_SOURCE_KINDS.find(({ certificates }) => certificates?.names(certificate));
      expect(namesCertificate(certificate), certificate).toBe(kind !== undefined);
    }
  });
});

describe('keyNameParses', () => {
  it('tells a key name that opening the key would refuse, before any device or file is used', () => {
    expect(keyNameParses('handle:0x81000101')).toBe(true);
    expect(keyNameParses('handle:zzzz')).toBe(false);
    expect(keyNameParses('pkcs11:token=t;object=k')).toBe(true);
    expect(keyNameParses('pkcs11:token=t;type=cert')).toBe(false);
    expect(keyNameParses('pkcs11:token=%zz')).toBe(false);
    expect(keyNameParses(`ssh-agent:SHA256:${'A'.repeat(43)}`)).toBe(true);
    expect(keyNameParses('ssh-agent:MD5:aa')).toBe(false);
    expect(keyNameParses('/keys/key.pem')).toBe(true);
  });
});

describe('namedCertificateIdentity', () => {
  it('is a pkcs11: URI in a normal form without its PIN, with the module; nothing for a file', () => {
    expect(namedCertificateIdentity('pkcs11:object=c;token=t?pin-value=1234', { pkcs11Lib: '/lib/softhsm2.so' })).toEqual({
      uri: 'pkcs11:token=t;object=c',
      module: '/lib/softhsm2.so',
    });
    expect(namedCertificateIdentity('pkcs11:token=t;object=c?pin-source=/run/pin', {})).toEqual({ uri: 'pkcs11:token=t;object=c', module: null });
    expect(namedCertificateIdentity('/certs/cert.pem', { pkcs11Lib: '/lib/softhsm2.so' })).toBeUndefined();
  });
});

describe('namedKeyIdentity', () => {
  it('is an agent key named by its fingerprint, which may not be the certificate\'s; nothing for a key the certificate chooses', () => {
    const byFingerprint = `ssh-agent:SHA256:${'A'.repeat(43)}`;
    expect(namedKeyIdentity(byFingerprint)).toBe(byFingerprint);
    for (const privateKey of ['ssh-agent', 'handle:0x81000101', 'pkcs11:token=t;object=k', '/keys/key.pem', undefined]) {
      expect(namedKeyIdentity(privateKey), String(privateKey)).toBeUndefined();
    }
  });
});
