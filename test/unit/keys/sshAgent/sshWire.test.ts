import { describe, expect, it } from 'vitest';
import { WireFormatError, WireReader, wireString, wireText, wireUint32 } from '../../../../src/keys/sshAgent/sshWire.js';
import { wireMpint } from '../../../support/sshAgent.js';

describe('the SSH wire encoding', () => {
  it('reads what it writes: uint32, strings, text, mpints', () => {
    const bytes = Buffer.concat([wireUint32(0xdeadbeef), wireString('ssh-rsa'), wireString(Buffer.of(1, 2)), wireMpint(Buffer.of(0x80, 1))]);
    const reader = new WireReader(bytes);
    expect(reader.uint32()).toBe(0xdeadbeef);
    expect(reader.text()).toBe('ssh-rsa');
    expect(reader.string()).toEqual(Buffer.of(1, 2));
    expect(reader.unsignedMpint()).toEqual(Buffer.of(0x80, 1));
    expect(reader.remaining).toBe(0);
  });

  it('an mpint with its top bit set carries a zero byte, which the reader drops; zero is the empty string', () => {
    expect(wireMpint(Buffer.of(0, 0x80))).toEqual(Buffer.of(0, 0, 0, 2, 0, 0x80));
    expect(wireMpint(Buffer.of(0, 0))).toEqual(Buffer.of(0, 0, 0, 0));
    expect(new WireReader(wireMpint(Buffer.of(0))).unsignedMpint()).toEqual(Buffer.alloc(0));
  });

  it('refuses truncated data and negative mpints', () => {
    expect(() => new WireReader(Buffer.of(0, 0, 0, 5, 1)).string()).toThrow(new WireFormatError('truncated: 5 bytes wanted, 1 left'));
    expect(() => new WireReader(Buffer.of(0, 0)).uint32()).toThrow(WireFormatError);
    expect(() => new WireReader(wireString(Buffer.of(0xff))).unsignedMpint()).toThrow(new WireFormatError('negative mpint'));
  });

  it('makes text from the agent fit one log line, keeping what is not ASCII (QA: "clé de José" was "cl? de Jos?")', () => {
    expect(wireText('a\nb\u0000c\u001b[31m')).toBe('a b\\x00c\\x1b[31m');
    expect(wireText('clé de José 🔑')).toBe('clé de José 🔑');
    expect(wireText('x'.repeat(200))).toHaveLength(80);
    expect(wireText(`${'x'.repeat(79)}🔑🔑`)).toBe(`${'x'.repeat(79)}🔑`); // a character is not cut in half
  });
});
