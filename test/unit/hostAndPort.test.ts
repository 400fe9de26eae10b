import { describe, expect, it } from 'vitest';
import { hostAndPort, urlHost } from '../../src/hostAndPort.js';

describe('hostAndPort and urlHost', () => {
  it('writes IPv6 addresses in brackets, with a port or without', () => {
    expect(hostAndPort('127.0.0.1', 9911)).toBe('127.0.0.1:9911');
    expect(hostAndPort('::1', 9911)).toBe('[::1]:9911');
    expect(hostAndPort('localhost', 443)).toBe('localhost:443');
    expect(urlHost('fd00:ec2::23')).toBe('[fd00:ec2::23]');
    expect(urlHost('169.254.170.2')).toBe('169.254.170.2');
  });
});
