import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveEndpoint, type EndpointInputs } from '../../../src/session/endpoint.js';
import { withSharedConfig } from '../../../src/session/sharedConfig.js';

const resolve = (region: string, env: NodeJS.ProcessEnv = {}, endpoint?: string, flags: Partial<EndpointInputs> = {}) => {
  const { url, signingRegion } = resolveEndpoint({ region, env, endpoint, ...flags });
  return { url: url.href, signingRegion };
};
const fips = { useFipsEndpoint: true };
const dualStack = { useDualstackEndpoint: true };

describe('resolveEndpoint', () => {
  it.each([
    ['us-east-1', 'https://rolesanywhere.us-east-1.amazonaws.com/'],
    ['eu-west-3', 'https://rolesanywhere.eu-west-3.amazonaws.com/'],
    ['cn-north-1', 'https://rolesanywhere.cn-north-1.amazonaws.com.cn/'],
    ['us-gov-west-1', 'https://rolesanywhere.us-gov-west-1.amazonaws.com/'],
    ['us-iso-east-1', 'https://rolesanywhere.us-iso-east-1.c2s.ic.gov/'],
    ['us-isob-east-1', 'https://rolesanywhere.us-isob-east-1.sc2s.sgov.gov/'],
    ['eu-isoe-west-1', 'https://rolesanywhere.eu-isoe-west-1.cloud.adc-e.uk/'],
    ['us-isof-south-1', 'https://rolesanywhere.us-isof-south-1.csp.hci.ic.gov/'],
    ['mx-central-1', 'https://rolesanywhere.mx-central-1.amazonaws.com/'],
  ])('%s → %s', (region, url) => {
    expect(resolve(region)).toEqual({ url, signingRegion: region });
  });

  it('shows a newline in a region as one (QA: it read as a space)', () => {
    expect(() => resolve('us-east-1\n')).toThrow('invalid region "us-east-1\\n": a region is');
  });

  it.each([['x@127.0.0.1:8443/'], ['x@attacker.example#'], ['us-east-1.attacker.example']])(
    'refuses the region %j, also with a custom endpoint, where it would only be signed for (issue 13, item 11)',
    (region) => {
      const message = `invalid region "${region}": a region is 1 to 63 lower-case letters, digits and inner hyphens (e.g. us-east-1)`;
      expect(() => resolve(region)).toThrow(message);
      expect(() => resolve(region, {}, 'https://example.com')).toThrow(message);
    },
  );

  it('takes a region of 63 characters, the longest label, and refuses 64 (mutation QA)', () => {
    const longest = `r${'-'.repeat(61)}1`;
    expect(resolve(longest).url).toBe(`https://rolesanywhere.${longest}.amazonaws.com/`);
    expect(() => resolve(`r${longest}`)).toThrow(`invalid region "r${longest}": a region is 1 to 63 lower-case letters`);
  });

  it('FIPS from the environment or a fips region, signing for the plain region', () => {
    expect(resolve('us-east-1', { AWS_USE_FIPS_ENDPOINT: 'true' })).toEqual({ url: 'https://rolesanywhere-fips.us-east-1.amazonaws.com/', signingRegion: 'us-east-1' });
    // In any case, as the Go SDK reads it (QA17 mutation testing: read case-sensitively, TRUE meant plain endpoints).
    expect(resolve('us-east-1', { AWS_USE_FIPS_ENDPOINT: 'TRUE' }).url).toBe('https://rolesanywhere-fips.us-east-1.amazonaws.com/');
    expect(resolve('us-east-1', { AWS_USE_DUALSTACK_ENDPOINT: 'True' }).url).toBe('https://rolesanywhere.us-east-1.api.aws/');
    expect(resolve('fips-us-west-2')).toEqual({ url: 'https://rolesanywhere-fips.us-west-2.amazonaws.com/', signingRegion: 'us-west-2' });
    expect(resolve('us-gov-west-1-fips')).toEqual({ url: 'https://rolesanywhere-fips.us-gov-west-1.amazonaws.com/', signingRegion: 'us-gov-west-1' });
    // A marker inside too: signed for the plain region, it must choose the FIPS endpoint as well (mutation QA: it went to the plain one).
    expect(resolve('us-gov-fips-west-1')).toEqual({ url: 'https://rolesanywhere-fips.us-gov-west-1.amazonaws.com/', signingRegion: 'us-gov-west-1' });
  });

  it.each([['AWS_USE_FIPS_ENDPOINT', 'yes'], ['AWS_USE_FIPS_ENDPOINT', '1'], ['AWS_USE_DUALSTACK_ENDPOINT', 'on']])(
    'refuses %s=%s, as the AWS SDKs do, rather than leave FIPS or dual-stack off without a word',
    (variable, value) => {
      expect(() => resolve('us-east-1', { [variable]: value })).toThrow(expect.objectContaining({ message: `invalid ${variable} "${value}": it must be true or false` }));
      expect(resolve('us-east-1', { [variable]: 'FALSE' }).url).toBe('https://rolesanywhere.us-east-1.amazonaws.com/');
    },
  );

  it('refuses such a value where something else decides, as the reference\'s SDK refuses it whatever else is given (envdiff QA: taken)', () => {
    const refused = (variable: string, region: string, endpoint?: string, flags: Partial<EndpointInputs> = {}) =>
      expect(() => resolve(region, { [variable]: 'yes' }, endpoint, flags)).toThrow(`invalid ${variable} "yes": it must be true or false`);
    refused('AWS_IGNORE_CONFIGURED_ENDPOINT_URLS', 'us-east-1', 'https://flag:3');
    refused('AWS_USE_FIPS_ENDPOINT', 'us-east-1-fips');
    refused('AWS_USE_FIPS_ENDPOINT', 'us-east-1', undefined, fips);
    refused('AWS_USE_DUALSTACK_ENDPOINT', 'us-east-1', undefined, dualStack);
  });

  it('dual-stack, alone and with FIPS', () => {
    expect(resolve('us-east-1', { AWS_USE_DUALSTACK_ENDPOINT: 'true' }).url).toBe('https://rolesanywhere.us-east-1.api.aws/');
    expect(resolve('cn-north-1', { AWS_USE_DUALSTACK_ENDPOINT: 'true', AWS_USE_FIPS_ENDPOINT: 'true' }).url).toBe('https://rolesanywhere-fips.cn-north-1.api.amazonwebservices.com.cn/');
    // The ISO partitions' own dual-stack suffixes (the SDKs' partitions since they have them).
    expect(resolve('us-iso-east-1', { AWS_USE_DUALSTACK_ENDPOINT: 'true' }).url).toBe('https://rolesanywhere.us-iso-east-1.api.aws.ic.gov/');
  });

  it.each([
    ['us-east-1', 'https://rolesanywhere-fips.us-east-1.amazonaws.com/', 'https://rolesanywhere.us-east-1.api.aws/', 'https://rolesanywhere-fips.us-east-1.api.aws/'],
    ['cn-northwest-1', 'https://rolesanywhere-fips.cn-northwest-1.amazonaws.com.cn/', 'https://rolesanywhere.cn-northwest-1.api.amazonwebservices.com.cn/', 'https://rolesanywhere-fips.cn-northwest-1.api.amazonwebservices.com.cn/'],
    ['us-gov-east-1', 'https://rolesanywhere-fips.us-gov-east-1.amazonaws.com/', 'https://rolesanywhere.us-gov-east-1.api.aws/', 'https://rolesanywhere-fips.us-gov-east-1.api.aws/'],
    // The European Sovereign Cloud (the AWS SDK's aws-eusc partition), not the commercial amazonaws.com.
    ['eusc-de-east-1', 'https://rolesanywhere-fips.eusc-de-east-1.amazonaws.eu/', 'https://rolesanywhere.eusc-de-east-1.api.amazonwebservices.eu/', 'https://rolesanywhere-fips.eusc-de-east-1.api.amazonwebservices.eu/'],
    ['us-iso-east-1', 'https://rolesanywhere-fips.us-iso-east-1.c2s.ic.gov/', 'https://rolesanywhere.us-iso-east-1.api.aws.ic.gov/', 'https://rolesanywhere-fips.us-iso-east-1.api.aws.ic.gov/'],
    ['us-isob-east-1', 'https://rolesanywhere-fips.us-isob-east-1.sc2s.sgov.gov/', 'https://rolesanywhere.us-isob-east-1.api.aws.scloud/', 'https://rolesanywhere-fips.us-isob-east-1.api.aws.scloud/'],
    ['eu-isoe-west-1', 'https://rolesanywhere-fips.eu-isoe-west-1.cloud.adc-e.uk/', 'https://rolesanywhere.eu-isoe-west-1.api.cloud-aws.adc-e.uk/', 'https://rolesanywhere-fips.eu-isoe-west-1.api.cloud-aws.adc-e.uk/'],
    ['us-isof-south-1', 'https://rolesanywhere-fips.us-isof-south-1.csp.hci.ic.gov/', 'https://rolesanywhere.us-isof-south-1.api.aws.hci.ic.gov/', 'https://rolesanywhere-fips.us-isof-south-1.api.aws.hci.ic.gov/'],
  ])('%s: the flags resolve FIPS, dual-stack and both in its partition, signing for the plain region', (region, fipsUrl, dualUrl, bothUrl) => {
    expect(resolve(region, {}, undefined, fips)).toEqual({ url: fipsUrl, signingRegion: region });
    expect(resolve(region, {}, undefined, dualStack)).toEqual({ url: dualUrl, signingRegion: region });
    expect(resolve(region, {}, undefined, { ...fips, ...dualStack })).toEqual({ url: bothUrl, signingRegion: region });
  });

  it('the flags win over the environment either way', () => {
    const env = { AWS_USE_FIPS_ENDPOINT: 'true', AWS_USE_DUALSTACK_ENDPOINT: 'true' };
    expect(resolve('us-east-1', env, undefined, { useFipsEndpoint: false, useDualstackEndpoint: false }).url).toBe('https://rolesanywhere.us-east-1.amazonaws.com/');
    expect(resolve('us-east-1', { AWS_USE_FIPS_ENDPOINT: 'false' }, undefined, fips).url).toBe('https://rolesanywhere-fips.us-east-1.amazonaws.com/');
  });

  it('a fips region with the FIPS flag is the same endpoint, still signed for the plain region', () => {
    expect(resolve('us-west-2-fips', {}, undefined, fips)).toEqual({ url: 'https://rolesanywhere-fips.us-west-2.amazonaws.com/', signingRegion: 'us-west-2' });
  });

  it('--endpoint, then AWS_ENDPOINT_URL_ROLESANYWHERE, then AWS_ENDPOINT_URL', () => {
    const env = { AWS_ENDPOINT_URL_ROLESANYWHERE: 'http://service-specific:1', AWS_ENDPOINT_URL: 'http://global:2' };
    expect(resolve('us-east-1', env, 'https://flag:3').url).toBe('https://flag:3/');
    expect(resolve('us-east-1', env).url).toBe('http://service-specific:1/');
    expect(resolve('us-east-1', { AWS_ENDPOINT_URL: 'http://global:2' }).url).toBe('http://global:2/');
    expect(resolve('us-east-1', { ...env, AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' }).url).toBe('https://rolesanywhere.us-east-1.amazonaws.com/');
    expect(resolve('us-east-1', { ...env, AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'False' }).url).toBe('http://service-specific:1/');
    // QA: 1, yes or ' true' left the configured endpoint in use without a word; the Go SDK refuses them.
    for (const value of ['1', 'yes', ' true']) {
      expect(() => resolve('us-east-1', { ...env, AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: value })).toThrow(
        `invalid AWS_IGNORE_CONFIGURED_ENDPOINT_URLS ${JSON.stringify(value)}: it must be true or false`,
      );
    }
    // The config file's key, though, the Go SDK reads as false unless it is true (review).
    const config = join(mkdtempSync(join(tmpdir(), 'rah-endpoint-')), 'config');
    writeFileSync(config, '[default]\nignore_configured_endpoint_urls = 1\n');
    expect(resolve('us-east-1', withSharedConfig({ ...env, AWS_CONFIG_FILE: config })).url).toBe('http://service-specific:1/');
  });

  it('keeps a base path of a custom endpoint', () => {
    expect(resolve('us-east-1', {}, 'https://gateway.example/rolesanywhere').url).toBe('https://gateway.example/rolesanywhere');
  });

  it.each([
    ['not a url', 'invalid endpoint "not a url": not a URL (e.g. https://rolesanywhere.us-east-1.amazonaws.com)'],
    ['ftp://x', 'invalid endpoint "ftp://x": the scheme must be https or http'],
    ['https://x/?a=b', 'invalid endpoint "https://x/?a=b": it must not have a query or fragment'],
    // A fragment is never sent: the request would go without the part of the endpoint given after it (mutation QA).
    ['https://gateway.example/#rolesanywhere', 'invalid endpoint "https://gateway.example/#rolesanywhere": it must not have a query or fragment'],
    // User info the parser cut at a `/` in it (host t0k, path /en@gateway.example): the request would go to t0k (mutation QA).
    ['https://t0k/en@gateway.example', 'invalid endpoint "https://***@gateway.example": it must not hold a user name or password (they would not be sent)'],
    // QA: the URL parser refuses 99999 without a reason, and takes 0, with which the request went to port 443.
    ['https://127.0.0.1:99999', 'invalid endpoint "https://127.0.0.1:99999": its port 99999 is not between 1 and 65535'],
    ['https://127.0.0.1:0/', 'invalid endpoint "https://127.0.0.1:0/": its port 0 is not between 1 and 65535'],
    ['http://[::1]:00', 'invalid endpoint "http://[::1]:00": its port 0 is not between 1 and 65535'],
    // QA: spellings the parser reads as port 0 all the same, or reads without the port.
    ['http:127.0.0.1:0', 'invalid endpoint "http:127.0.0.1:0": its port 0 is not between 1 and 65535'],
    ['http://127.0.0.1:0\n', 'invalid endpoint "http://127.0.0.1:0\\n": it holds whitespace or a control character'],
    [' https://x', 'invalid endpoint " https://x": it holds whitespace or a control character'],
    ['http://127.0.0.1\\:8443', 'invalid endpoint "http://127.0.0.1\\\\:8443": it holds a backslash'],
    ['https://[fe80::1%25eth0]:8443', 'invalid endpoint "https://[fe80::1%25eth0]:8443": an IPv6 address with a zone (%) cannot be used'],
  ])('rejects --endpoint %j', (endpoint, message) => {
    expect(() => resolve('us-east-1', {}, endpoint)).toThrow(message);
  });

  it('refuses FIPS or dual-stack with a custom endpoint, saying what asked for each', () => {
    expect(() => resolve('us-east-1', { AWS_USE_FIPS_ENDPOINT: 'true' }, 'https://x')).toThrow(
      'FIPS (AWS_USE_FIPS_ENDPOINT) and a custom endpoint (endpoint) cannot be used together',
    );
    expect(() => resolve('fips-us-east-1', {}, 'https://x')).toThrow('FIPS (the region fips-us-east-1) and a custom endpoint (endpoint) cannot be used together');
    expect(() => resolve('us-east-1', { AWS_ENDPOINT_URL: 'https://y' }, undefined, dualStack)).toThrow(
      'dual-stack (useDualstackEndpoint) and a custom endpoint (AWS_ENDPOINT_URL) cannot be used together',
    );
  });
});
