import { request } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONFIG_FILE, checkEmulatorOptions } from '../../../src/emulator/checkEmulatorOptions.js';
import { EmulatorSetupError, startEmulator, type EmulatorOptions, type RunningEmulator } from '../../../src/emulator/index.js';
import { CertificateAuthority } from '../../../src/emulator/pki/certificateAuthority.js';
import { generateKey, pkcs8Pem } from '../../../src/emulator/pki/generateKey.js';
import { setupRefusal } from '../../support/setupRefusal.js';

const ROLE = 'arn:aws:iam::123456789012:role/workload';

let ca: CertificateAuthority;
let foreignCrl: string;
const started: RunningEmulator[] = [];

beforeAll(async () => {
  ca = await CertificateAuthority.create({ subject: 'CN=Options Test Root' });
  foreignCrl = await (await CertificateAuthority.create({ subject: 'CN=Foreign Root' })).crl([]);
});
afterAll(async () => {
  await Promise.all(started.map((emulator) => emulator.close()));
});

const anchor = () => ({ name: 'root', certificates: ca.certificate.pem });

describe('startEmulator refuses options it cannot take, with an EmulatorSetupError naming the key', () => {
  it.each<[string, () => unknown, string | RegExp]>([
    ['a misspelt top-level key', () => ({ trustAnchor: [anchor()] }), 'unknown key trustAnchor (did you mean trustAnchors?)'],
    ['a list given as a string', () => ({ profiles: [{ roleArns: ROLE }] }), 'profiles[0].roleArns must be a list'],
    ['a profile duration under 900', () => ({ profiles: [{ roleArns: [ROLE], maxDurationSeconds: 5 }] }),
      'profiles[0].maxDurationSeconds must be an integer from 900 to 43200'],
    ['a profile duration over 43200', () => ({ profiles: [{ roleArns: [ROLE], maxDurationSeconds: 43201 }] }),
      'profiles[0].maxDurationSeconds must be an integer from 900 to 43200'],
    ['a negative credential lifetime', () => ({ credentialLifetimeSeconds: -5 }), 'credentialLifetimeSeconds must be an integer from 1 to 43200'],
    ['a credential lifetime past the longest session, which dates the credentials in year 33715 or past a Date',
      () => ({ credentialLifetimeSeconds: 1e12 }), 'credentialLifetimeSeconds must be an integer from 1 to 43200'],
    // Node's URL, and so the SDKs and the helper, take no URL with one (QA: it listened, its url one that no client could use).
    ['an IPv6 address with a zone', () => ({ host: 'fe80::1%lo' }), 'host must be a host name or IP address, without a port (give it as port) or an IPv6 zone (which no URL can hold)'],
    // As the command says it (QA: Node's getaddrinfo ENOTFOUND, as if the address were a name).
    ['an IPv4 address with a port', () => ({ host: '127.0.0.1:4000' }), 'host must be a host name or IP address, without a port (give it as port) or an IPv6 zone (which no URL can hold)'],
    ['an IPv6 address in brackets with a port', () => ({ host: '[::1]:4000' }), 'host must be a host name or IP address, without a port (give it as port) or an IPv6 zone (which no URL can hold)'],
    ['a host name with a port', () => ({ host: 'localhost:4000' }), 'host must be a host name or IP address, without a port (give it as port) or an IPv6 zone (which no URL can hold)'],
    ['a clock that returns no Date', () => ({ now: () => 'x' }), 'now must return a valid Date'],
    ['a clock that returns an invalid Date', () => ({ now: () => new Date(Number.NaN) }), 'now must return a valid Date'],
    ["the config file's durationSeconds", () => ({ profiles: [{ roleArns: [ROLE], durationSeconds: 3600 }] }),
      'unknown key profiles[0].durationSeconds (did you mean maxDurationSeconds?)'],
    ['a key like none', () => ({ tls: { certificate: 'x', privateKey: 'y', ca: 'z' } }), 'unknown key tls.ca (expected one of certificate, privateKey)'],
    ['a profile without roleArns', () => ({ profiles: [{ name: 'p' }] }), 'profiles[0].roleArns is required and must be a list'],
    ['a role ARN that is not one', () => ({ profiles: [{ roleArns: [ROLE, 'workload'] }] }), 'profiles[0].roleArns[1] must be an IAM role ARN'],
    ['a trust anchor without certificates', () => ({ trustAnchors: [{ name: 'root' }] }), 'trustAnchors[0].certificates is required and must be a string'],
    // As CreateTrustAnchor and CreateProfile refuse them (QA: a set-up the service could not hold started).
    ['a trust anchor name CreateTrustAnchor refuses', () => ({ trustAnchors: [{ ...anchor(), name: 'ünï/../x' }] }), 'trustAnchors[0].name must match ^[ a-zA-Z0-9-_]*$'],
    ['an empty trust anchor name', () => ({ trustAnchors: [{ ...anchor(), name: '' }] }), 'trustAnchors[0].name must be at least 1 characters'],
    ['a trust anchor name of 256 characters', () => ({ trustAnchors: [{ ...anchor(), name: 'a'.repeat(256) }] }), 'trustAnchors[0].name must be at most 255 characters'],
    ['a profile name CreateProfile refuses', () => ({ profiles: [{ name: 'bad/name!', roleArns: [ROLE] }] }), 'profiles[0].name must match ^[ a-zA-Z0-9-_]*$'],
    ['a profile name that is not a string', () => ({ profiles: [{ name: 7, roleArns: [ROLE] }] }), 'profiles[0].name must be a string'],
    ['a trust anchor ARN of a profile', () => ({ trustAnchors: [{ ...anchor(), arn: 'arn:aws:rolesanywhere:us-east-1:123456789012:profile/p' }] }),
      'trustAnchors[0].arn must be a trust anchor ARN'],
    ['enabled as a string', () => ({ trustAnchors: [{ ...anchor(), enabled: 'yes' }] }), 'trustAnchors[0].enabled must be true or false'],
    ['an assumable role as a bare ARN', () => ({ assumableRoles: [ROLE] }), 'assumableRoles[0] must be an object'],
    ['an external ID with a space, which no AssumeRole can send', () => ({ assumableRoles: [{ roleArn: ROLE }, { roleArn: ROLE, externalId: 'has space' }] }),
      "assumableRoles[1].externalId must be an external ID as STS takes one: 2 to 1224 characters of [\\w+=,.@:/-]"],
    ['an external ID of one character', () => ({ assumableRoles: [{ roleArn: ROLE, externalId: 'a' }] }),
      "assumableRoles[0].externalId must be an external ID as STS takes one: 2 to 1224 characters of [\\w+=,.@:/-]"],
    ['an external ID of 1225 characters', () => ({ assumableRoles: [{ roleArn: ROLE, externalId: 'x'.repeat(1225) }] }),
      "assumableRoles[0].externalId must be an external ID as STS takes one: 2 to 1224 characters of [\\w+=,.@:/-]"],
    ['a serial number that is not hex', () => ({ revokedSerials: ['01:02'] }), 'revokedSerials[0] must be a serial number in hex'],
    ['an account ID of 11 digits', () => ({ accountId: '12345678901' }), 'accountId must be a 12-digit account ID'],
    ['a Region that is not one', () => ({ region: 'mars' }), 'region must be a Region such as eu-west-1'],
    ['a port out of range', () => ({ port: 70000 }), 'port must be an integer from 0 to 65535'],
    ['a negative clock skew', () => ({ maxClockSkewMs: -1 }), 'maxClockSkewMs must be a number of milliseconds, 0 or more'],
    ['a clock that is a Date', () => ({ now: new Date() }), 'now must be a function returning a Date'],
    ['a logger without warn', () => ({ logger: { debug() {}, info() {}, error() {} } }), 'logger must be an object with debug, info, warn and error methods'],
    ['tls without its key', () => ({ tls: { certificate: 'x' } }), 'tls.privateKey is required and must be a string'],
    ['a TLS certificate that is not PEM', () => ({ tls: { certificate: 'x', privateKey: 'y' } }), 'tls.certificate: not a PEM-encoded X.509 certificate'],
    ['a TLS key that is not PEM', () => ({ tls: { certificate: ca.certificate.pem, privateKey: 'y' } }), 'tls.privateKey: not a PEM-encoded private key (an encrypted one cannot be used)'],
    ['a TLS key of another certificate', () => ({ tls: { certificate: ca.certificate.pem, privateKey: pkcs8Pem(generateKey('ec-p256')) } }), 'tls.privateKey: not the key of tls.certificate'],
    ['options that are not an object', () => null, 'the options must be an object'],
    ['a CRL that is not one', () => ({ trustAnchors: [anchor()], crls: ['not a CRL'] }), 'crls[0]: not a PEM-encoded X.509 CRL'],
    ["a trust anchor's CRL that is not one", () => ({ trustAnchors: [anchor(), { name: 'second', certificates: ca.certificate.pem, crls: ['not a CRL'] }] }),
      'trustAnchors[1].crls[0]: not a PEM-encoded X.509 CRL'],
    ["a trust anchor's CRL another CA signed, named by its key rather than a derived ID", () => ({ trustAnchors: [{ certificates: ca.certificate.pem, crls: [foreignCrl] }] }),
      'trustAnchors[0].crls[0]: the CRL of CN=Foreign Root is not signed by a certificate of the trust anchor'],
    ["a trust anchor's certificates that are not PEM", () => ({ trustAnchors: [{ certificates: 'not PEM' }] }), 'trustAnchors[0].certificates: not PEM-encoded X.509 certificates'],
    // QA pki: taken from the command and the config file, where CreateTrustAnchor and UpdateTrustAnchor refuse them.
    ["a trust anchor's certificates longer than CreateTrustAnchor takes", () => ({ trustAnchors: [{ certificates: ca.certificate.pem.repeat(Math.ceil(16001 / ca.certificate.pem.length)) }] }),
      /^trustAnchors\[0\]\.certificates: \d+ characters, more than the 16000 CreateTrustAnchor takes$/],
    ['two trust anchors of one name (one ARN)', () => ({ trustAnchors: [anchor(), { ...anchor(), certificates: ca.certificate.pem }] }),
      /^trustAnchors\[1\] has the ARN of trustAnchors\[0\] \(arn:aws:rolesanywhere:us-east-1:123456789012:trust-anchor\/[\w-]+\): give it a name of its own$/],
    ['two unnamed profiles of the same roles', () => ({ profiles: [{ roleArns: [ROLE] }, { roleArns: [ROLE], maxDurationSeconds: 900 }] }),
      /^profiles\[1\] has the ARN of profiles\[0\] \(arn:aws:rolesanywhere:us-east-1:123456789012:profile\/[\w-]+\): give it a name of its own$/],
    ['one role assumable twice, with and without an external ID', () => ({ assumableRoles: [{ roleArn: ROLE, externalId: 'required-id' }, { roleArn: ROLE }] }),
      `assumableRoles[1]: repeats assumableRoles[0]'s role (${ROLE}): give each role once`],
  ])('%s', async (_name, options, message) => {
    const error = await setupRefusal(options());
    if (typeof message === 'string') expect(error.message).toBe(message);
    else expect(error.message).toMatch(message);
  });

  it("is named EmulatorSetupError, and says which option and what is wrong with it apart", async () => {
    const error = await setupRefusal({ profiles: [{ roleArns: [ROLE], maxDurationSeconds: 5 }] });
    expect(error.name).toBe('EmulatorSetupError');
    expect(String(error)).toBe('EmulatorSetupError: profiles[0].maxDurationSeconds must be an integer from 900 to 43200');
    expect(error.stack?.split('\n')[0]).toBe('EmulatorSetupError: profiles[0].maxDurationSeconds must be an integer from 900 to 43200');
    expect({ subject: error.subject, reason: error.reason }).toEqual({ subject: 'profiles[0].maxDurationSeconds', reason: 'must be an integer from 900 to 43200' });
    const unknown = await setupRefusal({ trustAnchor: [] });
    expect({ subject: unknown.subject, reason: unknown.reason }).toEqual({ subject: 'trustAnchor', reason: 'unknown key (did you mean trustAnchors?)' });
  });
});

describe('startEmulator takes every option it documents', () => {
  it('all of them at once, and undefined for any (left out)', async () => {
    const server = await ca.issue({ subject: 'CN=127.0.0.1', subjectAltNames: { ip: ['127.0.0.1'] } });
    const logged: unknown[] = [];
    const options: Required<EmulatorOptions> = {
      trustAnchors: [{ arn: 'arn:aws:rolesanywhere:eu-west-1:123456789012:trust-anchor/root', name: 'root', certificates: ca.certificate.pem, crls: [await ca.crl([])], enabled: true }],
      profiles: [{ arn: 'arn:aws:rolesanywhere:eu-west-1:123456789012:profile/p', name: 'p', roleArns: [ROLE], maxDurationSeconds: 3600, acceptRoleSessionName: true, enabled: false }],
      crls: [await ca.crl(['0abc'])],
      revokedSerials: ['00FF'],
      assumableRoles: [{ roleArn: 'arn:aws:iam::210987654321:role/deploy', externalId: 'ci' }],
      accountId: '123456789012',
      region: 'eu-west-1',
      maxClockSkewMs: 0,
      now: () => new Date(),
      credentialLifetimeSeconds: 60,
      tls: { certificate: server.pem, privateKey: pkcs8Pem(server.key!) },
      host: '127.0.0.1',
      port: 0,
      logger: { debug: (...content) => logged.push(content), info: () => {}, warn: () => {}, error: () => {} },
    };
    const emulator = await startEmulator(options);
    started.push(emulator);
    expect(emulator.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(emulator.profiles).toMatchObject([{ name: 'p', roleArns: [ROLE], maxDurationSeconds: 3600, acceptRoleSessionName: true, enabled: false }]);
    const status = await new Promise<number>((resolve, reject) => {
      request(`${emulator.url}/trustanchors`, { ca: ca.certificate.pem }, (res) => {
        res.resume();
        resolve(res.statusCode!);
      }).on('error', reject).end();
    });
    expect(status).toBe(200);
    expect(logged).toEqual([['GET /trustanchors answered 200']]);

    const withUndefined = Object.fromEntries(Object.keys(options).map((key) => [key, undefined])) as EmulatorOptions;
    const empty = await startEmulator(withUndefined);
    started.push(empty);
    expect(empty.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });
});

describe('the config file is read by the same checks, in its own names', () => {
  const config = (json: unknown) => () => checkEmulatorOptions(json, CONFIG_FILE);

  it('takes an external ID of any character STS takes in one', () => {
    const assumableRoles = [{ roleArn: ROLE, externalId: 'a+b=c,d.e@f:g/h-i_J9' }, { roleArn: ROLE, externalId: 'x'.repeat(1224) }];
    expect(config({ assumableRoles })()).toEqual({ assumableRoles });
  });

  it("takes tags, notification settings and attribute mappings by the program's names", () => {
    const trustAnchors = [{ certificates: 'root.pem', tags: [{ key: 'team', value: 'platform' }], notificationSettings: [{ enabled: false, event: 'CA_CERTIFICATE_EXPIRY' }] }];
    const profiles = [{ roleArns: [ROLE], tags: [{ key: 'env', value: '' }], attributeMappings: [{ certificateField: 'x509SAN', mappingRules: [{ specifier: 'DNS' }] }] }];
    expect(config({ trustAnchors, profiles })()).toEqual({ trustAnchors, profiles });
  });

  it('calls the profile duration durationSeconds, and hands it on as maxDurationSeconds', () => {
    expect(config({ profiles: [{ roleArns: [ROLE], durationSeconds: 3600 }] })()).toEqual({ profiles: [{ roleArns: [ROLE], maxDurationSeconds: 3600 }] });
  });

  it.each<[string, unknown, string]>([
    ["the program's maxDurationSeconds", { profiles: [{ roleArns: [ROLE], maxDurationSeconds: 3600 }] }, 'unknown key profiles[0].maxDurationSeconds (did you mean durationSeconds?)'],
    ['a duration out of range, by its name in the file', { profiles: [{ roleArns: [ROLE], durationSeconds: 5 }] }, 'profiles[0].durationSeconds must be an integer from 900 to 43200'],
    ['an option the file does not have', { trustAnchors: [{ certificates: 'root.pem', enabled: true }] }, 'unknown key trustAnchors[0].enabled (expected one of name, certificates, crls, tags, notificationSettings)'],
    ['a top-level option the file does not have', { port: 8080 }, 'unknown key port (expected one of accountId, region, trustAnchors, profiles, assumableRoles)'],
    ['a file that is not an object', [], 'the file must be an object'],
  ])('%s', (_name, json, message) => {
    let thrown: unknown;
    try {
      config(json)();
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(EmulatorSetupError);
    expect((thrown as Error).message).toBe(message);
  });
});
