import { execFileSync, spawnSync } from 'node:child_process';
import { networkInterfaces } from 'node:os';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CONTAINER_ADDRESSES, IMDS_ADDRESSES, hostHeaderCheck } from '../../../../src/outputs/httpServer/hostHeader.js';

// The machine's interfaces as they are; a test may add one.
vi.mock('node:os', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:os')>();
  return { ...real, networkInterfaces: vi.fn(real.networkInterfaces) };
});
afterEach(() => vi.mocked(networkInterfaces).mockClear());

describe('hostHeaderCheck', () => {
  it('answers the loopback names and the bound address, with any port', () => {
    const check = hostHeaderCheck(['10.1.2.3'], []);
    for (const host of ['127.0.0.1', 'localhost:9911', '[::1]:80', '10.1.2.3', '10.1.2.3:9911']) expect(check.allowed(host), host).toBe(true);
    for (const host of ['10.1.2.4', 'pod.example', undefined, '10.1.2.3:x', '10.1.2.3:', '10.1.2.3:123456']) expect(check.allowed(host), String(host)).toBe(false);
    expect(check.names()).toBe('127.0.0.1, localhost, [::1] and 10.1.2.3');
  });

  it('takes a Host header and a bound IPv6 address in any case (mutation sweep: comparing either as written passed)', () => {
    const check = hostHeaderCheck(['FD00:AB::1'], []);
    for (const host of ['LOCALHOST', 'LocalHost:9911', '[fd00:ab::1]:80', '[FD00:AB::1]']) expect(check.allowed(host), host).toBe(true);
  });

  it("answers the service's own addresses, which a firewall rule may redirect to it (QA: iptables sending 169.254.169.254:80 to serve got 400s)", () => {
    const imds = hostHeaderCheck(['127.0.0.1'], IMDS_ADDRESSES);
    for (const host of ['169.254.169.254', '169.254.169.254:80', '[fd00:ec2::254]']) expect(imds.allowed(host), host).toBe(true);
    for (const host of ['169.254.170.2', 'instance-data', 'instance-data.ec2.internal']) expect(imds.allowed(host), host).toBe(false);
    expect(imds.names()).toBe('127.0.0.1, localhost, [::1], 169.254.169.254 and [fd00:ec2::254]');
    const container = hostHeaderCheck(['127.0.0.1'], CONTAINER_ADDRESSES);
    for (const host of ['169.254.170.2', '169.254.170.23:80', '[fd00:ec2::23]']) expect(container.allowed(host), host).toBe(true);
    expect(container.allowed('169.254.169.254')).toBe(false);
  });

  it('an IPv4-mapped IPv6 address in brackets as the IPv4 address it maps', () => {
    const check = hostHeaderCheck(['10.1.2.3'], []);
    for (const host of ['[::ffff:127.0.0.1]:9911', '[::FFFF:7f00:1]', '[::ffff:10.1.2.3]', '[::ffff:a01:203]:80']) expect(check.allowed(host), host).toBe(true);
    for (const host of ['[::ffff:10.1.2.4]', '[::ffff:999.1.2.3]', '[::fffe:7f00:1]']) expect(check.allowed(host), host).toBe(false);
  });

  it('an IPv6 address in brackets', () => {
    const check = hostHeaderCheck(['fd00:ec2::23'], []);
    expect(check.allowed('[FD00:EC2::23]:9911')).toBe(true);
    expect(check.allowed('[fd00:ec2::24]')).toBe(false);
  });

  it('an IPv6 address in any spelling of it, as botocore and the AWS CLI send the host of AWS_CONTAINER_CREDENTIALS_FULL_URI as written (QA: http://[0:0:0:0:0:0:0:1]:PORT/, a loopback address they take, got 400 "invalid Host header")', () => {
    const check = hostHeaderCheck(['fd00::2'], CONTAINER_ADDRESSES);
    for (const host of ['[0:0:0:0:0:0:0:1]:9911', '[0::1]', '[fd00:0:0::2]', '[FD00:EC2:0:0::23]:80', '0:0:0:0:0:0:0:1', '[0:0:0:0:0:ffff:7f00:1]']) expect(check.allowed(host), host).toBe(true);
    for (const host of ['[0:0:0:0:0:0:0:2]', '[fd00::02:0]', '[::1%25lo]', '[fe80::1%lo]', '[::1::]']) expect(check.allowed(host), host).toBe(false);
  });

  it("an IPv6 address without brackets, as the Go SDK v1 sends the Host of http://[::1]:80/, which serve prints for --bind ::1 --port 80 (QA: its IMDS and container clients got 400 'invalid Host header')", () => {
    const check = hostHeaderCheck(['::1'], IMDS_ADDRESSES);
    for (const host of ['::1', 'FD00:EC2::254', '::ffff:127.0.0.1']) expect(check.allowed(host), host).toBe(true);
    for (const host of ['fd00:ec2::23', '::2', '::1:80', 'localhost:80:80', '::ffff:10.1.2.3']) expect(check.allowed(host), host).toBe(false);
  });

  it('for 0.0.0.0, every address of the machine\'s interfaces', () => {
    const check = hostHeaderCheck(['0.0.0.0'], []);
    const ipv4 = Object.values(networkInterfaces()).flat().filter((address) => address?.family === 'IPv4');
    expect(ipv4.length).toBeGreaterThan(0);
    for (const address of ipv4) expect(check.allowed(`${address!.address}:9911`)).toBe(true);
    expect(check.allowed('0.0.0.0')).toBe(false);
  });

  // Mutation sweep (mutout): each of these passed every test when changed.
  it('for 0.0.0.0, reads the interfaces again at most once a second, however many unknown Hosts come', () => {
    const check = hostHeaderCheck(['0.0.0.0'], []);
    const reads = vi.mocked(networkInterfaces).mock.calls.length;
    for (let i = 0; i < 5; i++) expect(check.allowed('192.0.2.200')).toBe(false);
    expect(vi.mocked(networkInterfaces).mock.calls.length).toBe(reads);
  });

  it("for 0.0.0.0, leaves out an interface's link-local IPv6 address, which needs a zone a Host header cannot carry", () => {
    const real = vi.mocked(networkInterfaces).getMockImplementation()!;
    vi.mocked(networkInterfaces).mockImplementation(() => ({
      ...real(),
      test0: [{ address: 'fe80::1234', netmask: 'ffff:ffff:ffff:ffff::', family: 'IPv6', mac: '00:00:00:00:00:00', internal: false, cidr: 'fe80::1234/64', scopeid: 2 }],
    }));
    try {
      const check = hostHeaderCheck(['0.0.0.0'], []);
      expect(check.allowed('[fe80::1234]')).toBe(false);
      expect(check.names()).not.toContain('fe80');
    } finally {
      vi.mocked(networkInterfaces).mockImplementation(real);
    }
  });

  // An address added to an interface after start (DHCP, a secondary address), with ip(8) as root.
  it.runIf(process.getuid?.() === 0)('for 0.0.0.0, an address added since start too, read again at most once a second', async () => {
    const added = '192.0.2.123';
    const check = hostHeaderCheck(['0.0.0.0'], []);
    addToLoopback(added);
    try {
      await new Promise((resolve) => setTimeout(resolve, 1100));
      expect(check.allowed(`${added}:9911`)).toBe(true);
      expect(check.names()).toContain(added);
    } finally {
      execFileSync('ip', ['addr', 'del', `${added}/32`, 'dev', 'lo']);
    }
    expect(check.allowed('192.0.2.124')).toBe(false);
  });

  it.runIf(process.getuid?.() === 0)('for 0.0.0.0, an address added since start, also after the wall clock was set back (QA time: refused until the clock caught up)', async () => {
    const added = '192.0.2.125';
    const wallClock = vi.spyOn(Date, 'now');
    const check = hostHeaderCheck(['0.0.0.0'], []);
    wallClock.mockReturnValue(Date.now() - 3_600_000); // NTP puts right a clock an hour ahead
    addToLoopback(added);
    try {
      await new Promise((resolve) => setTimeout(resolve, 1100));
      expect(check.allowed(`${added}:9911`)).toBe(true);
    } finally {
      execFileSync('ip', ['addr', 'del', `${added}/32`, 'dev', 'lo']);
      wallClock.mockRestore();
    }
  });
});

/**
 * Adds `address` to lo, dropping it first if a run cut short (vitest --bail, its `finally` skipped) left it there:
 * `ip addr add` would then fail, and the address, there since start, would not test a read made since.
 */
function addToLoopback(address: string): void {
  spawnSync('ip', ['addr', 'del', `${address}/32`, 'dev', 'lo'], { stdio: 'ignore' });
  execFileSync('ip', ['addr', 'add', `${address}/32`, 'dev', 'lo']);
}
