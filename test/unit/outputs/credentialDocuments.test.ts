import { afterEach, describe, expect, it } from 'vitest';
import { credentialsDocument } from '../../../src/outputs/imds/credentialsDocument.js';
import { containerCredentialsDocument } from '../../../src/outputs/ecs/containerCredentialsDocument.js';
import { formatCredentialProcessOutput } from '../../../src/outputs/credentialProcess.js';
import type { TemporaryCredentials } from '../../../src/temporaryCredentials.js';

/** An expiration as a service may write it, at an offset and with a fraction's trailing zeros. */
const credentials: TemporaryCredentials = {
  accessKeyId: 'ASIAUNIT',
  secretAccessKey: 'secret',
  sessionToken: 'session',
  expiration: new Date('2030-01-01T00:00:00.500Z'),
  expirationText: '2030-01-01T05:30:00.500+05:30',
};

const zone = process.env.TZ;
afterEach(() => {
  if (zone === undefined) delete process.env.TZ;
  else process.env.TZ = zone;
});

describe('the credential documents (mutation sweep: the tests gave an expiration already in the form written, and ran in UTC)', () => {
  it('credential_process prints the expiration exactly as the service wrote it', () => {
    expect(JSON.parse(formatCredentialProcessOutput(credentials)).Expiration).toBe('2030-01-01T05:30:00.500+05:30');
  });

  it('the IMDS and container documents render it anew in UTC, as Go RFC3339Nano', () => {
    // On a machine whose local time is not UTC too (mutout: the IMDS Expiration in local time passed).
    process.env.TZ = 'Asia/Kolkata';
    expect(JSON.parse(credentialsDocument(credentials, new Date())).Expiration).toBe('2030-01-01T00:00:00.5Z');
    expect(JSON.parse(containerCredentialsDocument(credentials)).Expiration).toBe('2030-01-01T00:00:00.5Z');
  });

  it("the IMDS document is the reference's: its keys in that order, then a newline (mutout: a document without it passed)", () => {
    const document = credentialsDocument({ ...credentials, accountId: '111122223333' }, new Date());
    expect(document.endsWith('}\n')).toBe(true);
    expect(Object.keys(JSON.parse(document))).toEqual(['AccessKeyId', 'SecretAccessKey', 'Token', 'Code', 'Type', 'Expiration', 'LastUpdated', 'AccountId']);
  });

  it("the IMDS document's LastUpdated is in this machine's local time, as the reference writes it", () => {
    process.env.TZ = 'Asia/Kolkata';
    expect(JSON.parse(credentialsDocument(credentials, new Date('2030-01-01T00:00:00Z'))).LastUpdated).toBe('2030-01-01T05:30:00+05:30');
    process.env.TZ = 'UTC';
    expect(JSON.parse(credentialsDocument(credentials, new Date('2030-01-01T00:00:00Z'))).LastUpdated).toBe('2030-01-01T00:00:00Z');
  });
});
