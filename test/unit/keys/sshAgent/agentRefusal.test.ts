import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { describeAgentKey } from '../../../../src/keys/sshAgent/agentKey.js';
import { replacementEntry } from '../../../../src/keys/sshAgent/agentRefusal.js';
import { wireString } from '../../../../src/keys/sshAgent/sshWire.js';
import { sshKeyBlob } from '../../../support/sshAgent.js';

const plainBlob = sshKeyBlob(generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey);
const entry = (keyBlob: Buffer) => describeAgentKey({ keyBlob, comment: '' });

/** An OpenSSH certificate entry of the plain key; each nonce makes another certificate, as a renewal does. */
function certificateEntry(nonce: number) {
  const keyFields = plainBlob.subarray(4 + plainBlob.readUInt32BE(0));
  const type = wireString('ecdsa-sha2-nistp256-cert-v01@openssh.com');
  return entry(Buffer.concat([type, wireString(Buffer.alloc(32, nonce)), keyFields, wireString('the rest')]));
}

describe('the entry to sign with after a refusal', () => {
  const plain = entry(plainBlob);
  const stranger = entry(sshKeyBlob(generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey));

  it('the OpenSSH certificate of the key, when the plain key was removed', () => {
    expect(replacementEntry(plain, [stranger, certificateEntry(1)])?.blob).toEqual(certificateEntry(1).blob);
  });

  it('the renewed certificate, when the one used expired', () => {
    expect(replacementEntry(certificateEntry(1), [certificateEntry(2)])?.blob).toEqual(certificateEntry(2).blob);
  });

  it('none while the refused entry is still held (ssh-add -c or -h: another entry would be refused too), or no entry of the key is', () => {
    expect(replacementEntry(plain, [plain, certificateEntry(1)])).toBeUndefined();
    expect(replacementEntry(plain, [stranger])).toBeUndefined();
    expect(replacementEntry(plain, [])).toBeUndefined();
  });
});
