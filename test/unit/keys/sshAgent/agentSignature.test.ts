import { generateKeyPairSync, sign, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AgentSignatureError, serviceSignature, signatureRequest } from '../../../../src/keys/sshAgent/agentSignature.js';
import { wireString } from '../../../../src/keys/sshAgent/sshWire.js';
import { wireMpint } from '../../../support/sshAgent.js';

const answer = (format: string, blob: Buffer) => Buffer.concat([wireString(format), wireString(blob)]);

describe('signature requests', () => {
  it('ask RSA keys for SHA-256 or SHA-512 by flag, P-256 keys for their only hash; nothing else', () => {
    const rsa = { type: 'ssh-rsa', modulusBytes: 256 };
    expect(signatureRequest(rsa, 'SHA256')).toEqual({ flags: 2, format: 'rsa-sha2-256', rsaSignatureBytes: 256 });
    expect(signatureRequest(rsa, 'SHA512')).toEqual({ flags: 4, format: 'rsa-sha2-512', rsaSignatureBytes: 256 });
    expect(signatureRequest({ type: 'ecdsa-sha2-nistp256' }, 'SHA256')).toEqual({ flags: 0, format: 'ecdsa-sha2-nistp256' });
    expect(signatureRequest(rsa, 'SHA384')).toBeUndefined();
    expect(signatureRequest({ type: 'ecdsa-sha2-nistp256' }, 'SHA512')).toBeUndefined();
    expect(signatureRequest({ type: 'ecdsa-sha2-nistp384' }, 'SHA256')).toBeUndefined();
  });
});

describe("the agent's signature, as the service wants it", () => {
  const rsaRequest = { flags: 2, format: 'rsa-sha2-256', rsaSignatureBytes: 256 };

  it('RSA: the blob is the PKCS#1 v1.5 signature itself', () => {
    const blob = Buffer.alloc(256, 0x5a);
    expect(serviceSignature(answer('rsa-sha2-256', blob), rsaRequest)).toEqual(blob);
  });

  it('RSA: a signature whose leading zero byte the agent dropped (RFC 4253 allows it; gpg-agent does) gets it back', () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    // About one signature in 256 starts with a zero byte: sign counters until one does.
    let data: Buffer;
    let signature: Buffer;
    let counter = 0;
    do {
      data = Buffer.from(`string to sign ${counter++}`);
      signature = sign('sha256', data, privateKey);
    } while (signature[0] !== 0);
    const short = signature.subarray(1);
    expect(verify('sha256', data, publicKey, short)).toBe(false);
    const repaired = serviceSignature(answer('rsa-sha2-256', short), rsaRequest);
    expect(repaired).toEqual(signature);
    expect(verify('sha256', data, publicKey, repaired)).toBe(true);
  });

  it('RSA: refuses a signature longer than the modulus', () => {
    expect(() => serviceSignature(answer('rsa-sha2-256', Buffer.alloc(257, 1)), rsaRequest)).toThrow(
      new AgentSignatureError("the agent's RSA signature has 257 bytes, more than the 256 of the key's modulus"),
    );
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
    const request = rsaRequest;
    expect(() => serviceSignature(answer('ssh-rsa', Buffer.of(1)), request)).toThrow(
      new AgentSignatureError('the agent answered a signature in format ssh-rsa (RSA over SHA-1) where rsa-sha2-256 was asked for'),
    );
    expect(() => serviceSignature(answer('rsa-sha2-512', Buffer.of(1)), request)).toThrow(
      'the agent answered a signature in format rsa-sha2-512 where rsa-sha2-256 was asked for',
    );
    expect(() => serviceSignature(answer('evil\nline', Buffer.of(1)), request)).toThrow('the agent answered a signature in format evil line where');
  });

  it('refuses a malformed signature', () => {
    const request = { flags: 0, format: 'ecdsa-sha2-nistp256' };
    expect(() => serviceSignature(answer('ecdsa-sha2-nistp256', wireMpint(Buffer.of(1))), request)).toThrow(
      "the agent's signature is malformed: truncated: 4 bytes wanted, 0 left",
    );
    expect(() => serviceSignature(Buffer.of(0, 0, 0), request)).toThrow(AgentSignatureError);
  });
});
