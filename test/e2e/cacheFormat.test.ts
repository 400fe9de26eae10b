import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cacheEntryName } from '../../src/credentials/cache/cacheKey.js';
import { runCli } from '../support/cli.js';
import { settle, shortcutsIn } from '../support/shortcuts.js';
import { ARN_FLAGS, ARNS, Scenario } from '../support/scenario.js';

/**
 * Installs of the helper that share the cache folder (a global one and a project's, or the build before an
 * upgrade and the one after) share its entries (docs/cache.md). This is an entry as today's builds name and
 * write it, committed: a later build must still read it as a hit, or raise the key's `version`
 * (src/credentials/cache/cacheKey.ts), which names its entries anew, and then change this test on purpose.
 * A key or a stored field changed without it splits the installs' entries (a CreateSession each, at every
 * upgrade) or has one misread the other's. (QA: versions sharing the cache, built from the history.)
 */
const CERTIFICATE = `-----BEGIN CERTIFICATE-----
MIIBojCCAUigAwIBAgIUd8o9Q90A16S8iMQhexJKxEnXFwkwCgYIKoZIzj0EAwIw
HzEdMBsGA1UEAwwUY2FjaGUtZm9ybWF0LWZpeHR1cmUwIBcNMjYxMjA3MDUxMzAx
WhgPMjEyNjExMTMwNTEzMDFaMB8xHTAbBgNVBAMMFGNhY2hlLWZvcm1hdC1maXh0
dXJlMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEgTrVHR0Ok7BDHKTA3HHO8wx/
LCtnR7tErrUboAMsd5npJ9IwsAi3DuRQjSZybFotSKS+7w3u/8ei9GqHnkHpraNg
MF4wHQYDVR0OBBYEFFFoGipd6ZD5G0uh6pSXMDWDiqJlMB8GA1UdIwQYMBaAFFFo
Gipd6ZD5G0uh6pSXMDWDiqJlMAwGA1UdEwEB/wQCMAAwDgYDVR0PAQH/BAQDAgeA
MAoGCCqGSM49BAMCA0gAMEUCIFolf+ttyKx1oGiRo5mPoq4CXiERnZ13sBidzxr7
xw7IAiEA+GDjHfIgB4vFh4j3pKV3NO4y75x6kuzNiqCcDQEmBDg=
-----END CERTIFICATE-----
`;
/** Nothing listens there: a miss fails, and a hit never calls it. */
const ENDPOINT = 'http://127.0.0.1:1';
/** The key material of `credential-process --cache` with a certificate, the three ARNs and an endpoint, no variables set. */
function keyOf(certificate: string, endpoint: string): string {
  const body = certificate.slice('-----BEGIN CERTIFICATE-----'.length, certificate.indexOf('-----END CERTIFICATE-----'));
  return (
    `{"version":2,"certificate":${JSON.stringify(body)},"chain":null,"trustAnchorArn":"${ARNS.trustAnchorArn}","profileArn":"${ARNS.profileArn}",` +
    `"roleArn":"${ARNS.roleArn}","region":null,"fallbackRegion":null,"endpoint":"${endpoint}","durationSeconds":3600,"roleSessionName":null,` +
    `"env":[null,null,null,null,null,null,null]}`
  );
}
const KEY = keyOf(CERTIFICATE, ENDPOINT);
/** Its name: 64 bits of FNV-1a of KEY (src/credentials/cache/fnv64.ts). */
const ENTRY = 'b74dd3c1ab9b3739.json';

const folders: string[] = [];
let scenario: Scenario;
beforeAll(async () => {
  scenario = await Scenario.start();
});
afterAll(async () => {
  folders.forEach((folder) => rmSync(folder, { recursive: true, force: true }));
  await scenario.stop();
});

describe('the credential cache shared by builds of the helper', () => {
  it("reads an entry of today's format, as another install wrote it, as a hit: by the hit's bundle, its shortcut and the CLI's (--debug)", async () => {
    const home = mkdtempSync(join(tmpdir(), 'rah-cache-format-'));
    folders.push(home);
    const certificate = join(home, 'certificate.pem');
    writeFileSync(certificate, CERTIFICATE);
    // Expires within the hour as the service writes it (whole seconds); the certificate's dates as kept.
    const expiration = new Date(Math.floor(Date.now() / 1000) * 1000 + 3_600_000).toISOString().replace('.000Z', 'Z');
    const credentials = { AccessKeyId: 'ASIAFORMATFIXTURE001', SecretAccessKey: 'fixture/secret/access/key/of/forty/chars', SessionToken: 'FwoGZXIvYXdzEFORMATFIXTURE', Expiration: expiration, AccountId: '123456789012' };
    const folder = join(home, 'cache', 'credentials');
    mkdirSync(folder, { recursive: true, mode: 0o700 });
    writeFileSync(
      join(folder, ENTRY),
      `{"key":${JSON.stringify(KEY)},"credentials":${JSON.stringify(credentials)},"certificate":{"notBefore":"2026-12-07T05:13:01.000Z","notAfter":"2126-11-13T05:13:01.000Z"}}`,
      { mode: 0o600 },
    );
    // The key is never read on a hit; on a miss the run fails (no key, no endpoint).
    const args = ['credential-process', '--cache', '--certificate', certificate, '--private-key', join(home, 'no-key.pem'), ...ARN_FLAGS, '--endpoint', ENDPOINT];
    const env = { HOME: home, ROLES_ANYWHERE_HELPER_CACHE_DIR: join(home, 'cache') };
    const printed = JSON.stringify({ Version: 1, ...credentials });
    // A certificate written in the last 50 ms gets no shortcut (CI: a fast machine's first run came sooner).
    await settle();
    for (const extra of [[], [], ['--debug']]) {
      const result = await runCli([...args, ...extra], { env });
      expect({ code: result.code, stdout: result.stdout }).toEqual({ code: 0, stdout: printed });
      if (extra.length === 0) expect(result.stderr).toBe('');
      else expect(result.stderr).toContain(`credential cache: hit (${join(folder, ENTRY)}, valid for`);
      // The first hit leaves the shortcut the second takes.
      expect(shortcutsIn(join(home, 'cache'))).toHaveLength(1);
    }
    expect(JSON.parse(readFileSync(join(folder, ENTRY), 'utf8')).credentials).toEqual(credentials);
  });

  it('writes an entry in that format, the one earlier builds read: the same key and fields, named as they name it', async () => {
    const home = mkdtempSync(join(tmpdir(), 'rah-cache-format-'));
    folders.push(home);
    const leaf = await scenario.leaf('cache-format');
    const result = await runCli(['credential-process', '--cache', '--certificate', leaf.certPath, '--private-key', leaf.keyPath, ...scenario.sessionFlags()], {
      env: { HOME: home, ROLES_ANYWHERE_HELPER_CACHE_DIR: join(home, 'cache') },
    });
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
    const issued = scenario.emulator.issued.at(-1)!;
    const key = keyOf(leaf.certificate.pem, scenario.emulator.url);
    const folder = join(home, 'cache', 'credentials');
    expect(readdirSync(folder).filter((name) => name.endsWith('.json'))).toEqual([cacheEntryName(key)]);
    const validity = new X509Certificate(leaf.certificate.pem);
    expect(JSON.parse(readFileSync(join(folder, cacheEntryName(key)), 'utf8'))).toEqual({
      key,
      credentials: { AccessKeyId: issued.accessKeyId, SecretAccessKey: issued.secretAccessKey, SessionToken: issued.sessionToken, Expiration: issued.expiration, AccountId: '123456789012' },
      certificate: { notBefore: new Date(validity.validFrom).toISOString(), notAfter: new Date(validity.validTo).toISOString() },
    });
  });

  it("takes a record in an entry's place that holds no credentials this build knows (a later build's) for a miss, without a warning, and replaces it", async () => {
    const home = mkdtempSync(join(tmpdir(), 'rah-cache-format-'));
    folders.push(home);
    const leaf = await scenario.leaf('cache-format-later');
    const entry = join(home, 'cache', 'credentials', cacheEntryName(keyOf(leaf.certificate.pem, scenario.emulator.url)));
    mkdirSync(join(home, 'cache', 'credentials'), { recursive: true, mode: 0o700 });
    writeFileSync(entry, JSON.stringify({ key: keyOf(leaf.certificate.pem, scenario.emulator.url), laterMarker: new Date().toISOString() }), { mode: 0o600 });
    const result = await runCli(['credential-process', '--cache', '--certificate', leaf.certPath, '--private-key', leaf.keyPath, ...scenario.sessionFlags()], {
      env: { HOME: home, ROLES_ANYWHERE_HELPER_CACHE_DIR: join(home, 'cache') },
    });
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
    expect(JSON.parse(result.stdout).AccessKeyId).toBe(scenario.emulator.issued.at(-1)!.accessKeyId);
    expect(JSON.parse(readFileSync(entry, 'utf8')).credentials.AccessKeyId).toBe(scenario.emulator.issued.at(-1)!.accessKeyId);
  });
});
