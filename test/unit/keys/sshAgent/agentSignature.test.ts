import { generateKeyPairSync, sign, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AgentSignatureError, serviceSignature, signatureRequest } from '../../../../src/keys/sshAgent/agentSignature.js';
import { wireString } from '../../../../src/keys/sshAgent/sshWire.js';
import { wireMpint } from '../../../support/sshAgent.js';

const answer = (format: string, blob: Buffer) => Buffer.concat([wireString(format), wireString(blob)]);

describe('signature requests', () => {
  it('ask RSA keys for SHA-256 or SHA-512 by flag, P-256 keys for their only hash; nothing else', () => {
    expect(signatureRequest('ssh-rsa', 'SHA256')).toEqual({ flags: 2, format: 'rsa-sha2-256' });
    expect(signatureRequest('ssh-rsa', 'SHA512')).toEqual({ flags: 4, format: 'rsa-sha2-512' });
    expect(signatureRequest('ecdsa-sha2-nistp256', 'SHA256')).toEqual({ flags: 0, format: 'ecdsa-sha2-nistp256' });
    expect(signatureRequest('ssh-rsa', 'SHA384')).toBeUndefined();
    expect(signatureRequest('ecdsa-sha2-nistp256', 'SHA512')).toBeUndefined();
    expect(signatureRequest('ecdsa-sha2-nistp384', 'SHA256')).toBeUndefined();
  });
});

describe("the agent's signature, as the service wants it", () => {
  it('RSA: the blob is the PKCS#1 v1.5 signature itself', () => {
    const blob = Buffer.from('0123', 'hex');
    expect(serviceSignature(answer('rsa-sha2-256', blob), { flags: 2, format: 'rsa-sha2-256' })).toEqual(blob);
  });

  it('ECDSA: mpint r, mpint s become DER (r with its top bit set gets its zero byte back)', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const data = Buffer.from('string to sign');
    for (let i = 0; i < 8; i++) {
      const raw = sign('sha256', data, { key: privateKey, dsaEncoding: 'ieee-p1363' });
      const blob = Buffer.concat([wireMpint(raw.subarray(0, 32)), wireMpint(raw.subarray(32))]);
      const der = serviceSignature(answer('ecdsa-sha2-nistp256', blob), { flags: 0, format: 'ecdsa-sha2-nistp256' });
      expect(verify('sha256', data, { key: publicKey, dsaEncoding: 'der' }, der)).toBe(true);
    }
  });

  it('refuses another format than the one asked for, naming it', () => {
    const request = { flags: 2, format: 'rsa-sha2-256' };
    expect(() => serviceSignature(answer('ssh-rsa', Buffer.of(1)), request)).toThrow(
      new AgentSignatureError('the agent answered a signature in format ssh-rsa (RSA over SHA-1) where rsa-sha2-256 was asked for'),
    );
    expect(() => serviceSignature(answer('rsa-sha2-512', Buffer.of(1)), request)).toThrow(
      'the agent answered a signature in format rsa-sha2-512 where rsa-sha2-256 was asked for',
    );
    expect(() => serviceSignature(answer('evil\nline', Buffer.of(1)), request)).toThrow('the agent answered a signature in format evil?line where');
  });

  it('refuses a malformed signature', () => {
    const request = { flags: 0, format: 'ecdsa-sha2-nistp256' };
    expect(() => serviceSignature(answer('ecdsa-sha2-nistp256', wireMpint(Buffer.of(1))), request)).toThrow(
      "the agent's signature is malformed: truncated: 4 bytes wanted, 0 left",
    );
    expect(() => serviceSignature(Buffer.of(0, 0, 0), request)).toThrow(AgentSignatureError);
  });
});
