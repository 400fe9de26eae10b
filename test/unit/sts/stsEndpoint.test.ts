import { describe, expect, it } from 'vitest';
import { resolveStsEndpoint } from '../../../src/sts/stsEndpoint.js';
import { refusalOf } from '../../support/refusal.js';

const resolve = (region: string, env: Record<string, string> = {}, flag?: string) => {
  const { url, signingRegion } = resolveStsEndpoint(flag, region, env);
  return { url: url.href, signingRegion };
};

describe('the STS endpoint', () => {
  it.each([
    ['us-west-2', 'https://sts.us-west-2.amazonaws.com/'],
    ['cn-north-1', 'https://sts.cn-north-1.amazonaws.com.cn/'],
    ['us-gov-west-1', 'https://sts.us-gov-west-1.amazonaws.com/'],
    ['us-iso-east-1', 'https://sts.us-iso-east-1.c2s.ic.gov/'],
  ])('is the Region\'s own in its partition: %s → %s', (region, url) => {
    expect(resolve(region)).toEqual({ url, signingRegion: region });
  });

  it('is the flag, else AWS_ENDPOINT_URL_STS, else AWS_ENDPOINT_URL, unless configured endpoints are ignored', () => {
    const env = { AWS_ENDPOINT_URL_STS: 'http://127.0.0.1:1/', AWS_ENDPOINT_URL: 'http://127.0.0.1:2/' };
    expect(resolve('us-east-1', env, 'http://127.0.0.1:3').url).toBe('http://127.0.0.1:3/');
    expect(resolve('us-east-1', env).url).toBe('http://127.0.0.1:1/');
    expect(resolve('us-east-1', { AWS_ENDPOINT_URL: 'http://127.0.0.1:2/' }).url).toBe('http://127.0.0.1:2/');
    expect(resolve('us-east-1', { ...env, AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' }).url).toBe('https://sts.us-east-1.amazonaws.com/');
  });

  it('is FIPS or dual-stack as the environment asks', () => {
    expect(resolve('us-east-1', { AWS_USE_FIPS_ENDPOINT: 'true' }).url).toBe('https://sts-fips.us-east-1.amazonaws.com/');
    expect(resolve('us-east-1', { AWS_USE_DUALSTACK_ENDPOINT: 'true' }).url).toBe('https://sts.us-east-1.api.aws/');
  });

  it('names the flag or the variable in a refusal', () => {
    const message = (flag: string | undefined, env: Record<string, string>) => refusalOf(() => resolveStsEndpoint(flag, 'us-east-1', env));
    expect(message('sts', {})).toBe('invalid --sts-endpoint "sts": not a URL (e.g. https://sts.us-east-1.amazonaws.com)');
    expect(message(undefined, { AWS_ENDPOINT_URL_STS: 'ftp://x' })).toBe('invalid AWS_ENDPOINT_URL_STS "ftp://x": the scheme must be https or http');
  });
});
