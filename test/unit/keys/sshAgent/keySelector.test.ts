import { describe, expect, it } from 'vitest';
import { namesAgentKey, parseAgentKeySelector } from '../../../../src/keys/sshAgent/keySelector.js';

const FINGERPRINT = 'SHA256:Utyh3XbOZtqeka1c08KLcZswriuZHtNoOu/iHAAYmWk';

describe('--private-key ssh-agent[:SHA256:<fingerprint>]', () => {
  it('is claimed by ssh-agent and ssh-agent:..., and nothing else', () => {
    expect(namesAgentKey('ssh-agent')).toBe(true);
    expect(namesAgentKey('ssh-agent:anything')).toBe(true);
    for (const other of [undefined, '', 'ssh-agent.pem', './ssh-agent', '/tmp/ssh-agent', 'pkcs11:token=x', 'handle:0x81000001']) {
      expect(namesAgentKey(other)).toBe(false);
    }
  });

  it('selects by the certificate, or by a fingerprint as ssh-add -l prints it (with or without padding)', () => {
    expect(parseAgentKeySelector('ssh-agent')).toEqual({ by: 'certificate' });
    expect(parseAgentKeySelector(`ssh-agent:${FINGERPRINT}`)).toEqual({ by: 'fingerprint', fingerprint: FINGERPRINT });
    expect(parseAgentKeySelector(`ssh-agent:${FINGERPRINT}=`)).toEqual({ by: 'fingerprint', fingerprint: FINGERPRINT });
  });

  it.each([
    'ssh-agent:',
    `ssh-agent:${FINGERPRINT.slice(0, -1)}`,
    `ssh-agent:${FINGERPRINT}A`,
    `ssh-agent:sha256:${FINGERPRINT.slice(7)}`,
    'ssh-agent:MD5:4f:3a:33:6e:8a:1e:2b:84:71:8e:04:a5:7c:3f:9c:38',
    'ssh-agent:my-key-comment',
  ])('refuses %s', (value) => {
    expect(() => parseAgentKeySelector(value)).toThrow(
      `invalid privateKey ${value}: expected ssh-agent, or ssh-agent:SHA256:<fingerprint> as ssh-add -l prints it`,
    );
  });

  it('shows no key pasted after ssh-agent:, nor a pkcs11: URI\'s PIN there (QA: quoted whole)', () => {
    const body = 'MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg09oIfoQHjgp29qwqpqX83sKmnuSMZD+wYP9lIy0rkp2hRANCAAQXyWwh';
    const refused = (value: string, shown: string) =>
      expect(() => parseAgentKeySelector(value)).toThrow(`invalid privateKey ${shown}: expected ssh-agent, or ssh-agent:SHA256:<fingerprint> as ssh-add -l prints it`);
    refused(`ssh-agent:${body}`, 'ssh-agent:(PEM or base64 content, not shown)');
    refused(`ssh-agent:-----BEGIN PRIVATE KEY-----\n${body}\n-----END PRIVATE KEY-----\n`, 'ssh-agent:(PEM or base64 content, not shown)');
    refused('ssh-agent:pkcs11:token=t;object=k?pin-value=S3cretPIN9', 'ssh-agent:pkcs11:token=t;object=k?pin-value=***');
  });
});
