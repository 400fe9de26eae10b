import { describe, expect, it } from 'vitest';
import { addressWithPort, canonicalAddress, hostAndPort, urlHost } from '../../src/hostAndPort.js';

describe('hostAndPort and urlHost', () => {
  it('writes IPv6 addresses in brackets, with a port or without', () => {
    expect(hostAndPort('127.0.0.1', 9911)).toBe('127.0.0.1:9911');
    expect(hostAndPort('::1', 9911)).toBe('[::1]:9911');
    expect(hostAndPort('localhost', 443)).toBe('localhost:443');
    expect(urlHost('fd00:ec2::23')).toBe('[fd00:ec2::23]');
    expect(urlHost('169.254.170.2')).toBe('169.254.170.2');
  });

  it('spells an address one way: IPv6 compressed and in lower case, an IPv4-mapped one as its IPv4 address; names as they are', () => {
    expect(canonicalAddress('0:0:0:0:0:0:0:1')).toBe('::1');
    expect(canonicalAddress('FD00:EC2:0::23')).toBe('fd00:ec2::23');
    expect(canonicalAddress('0:0:0:0:0:0:0:0')).toBe('::');
    expect(canonicalAddress('::FFFF:127.0.0.1')).toBe('127.0.0.1');
    expect(canonicalAddress('::ffff:a01:203')).toBe('10.1.2.3');
    expect(canonicalAddress('::fffe:7f00:1')).toBe('::fffe:7f00:1');
    expect(canonicalAddress('10.1.2.3')).toBe('10.1.2.3');
    expect(canonicalAddress('emulator.local')).toBe('emulator.local');
    // What only looks IPv4-mapped is no address, and left as it is (QA mutation testing).
    expect(canonicalAddress('::ffff:999.0.0.1')).toBe('::ffff:999.0.0.1');
  });

  it('leaves an IPv6 address with a zone as it is, which no URL can hold (review: it threw; each caller refuses zones first)', () => {
    expect(canonicalAddress('fe80::1%lo')).toBe('fe80::1%lo');
    expect(canonicalAddress('FE80:0::1%eth0')).toBe('FE80:0::1%eth0');
  });

  it('finds the address of a host given with a port, and none without one (QA mutation testing: untested)', () => {
    expect(addressWithPort('127.0.0.1:4000')).toBe('127.0.0.1');
    expect(addressWithPort('[::1]:4000')).toBe('[::1]');
    expect(addressWithPort('emulator.local:80')).toBe('emulator.local');
    for (const text of ['127.0.0.1', '::1', '[::1]', '127.0.0.1:', '[::1]:', '127.0.0.1:80x', ':4000']) expect(addressWithPort(text), text).toBeUndefined();
  });
});
