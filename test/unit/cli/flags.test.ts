import { describe, expect, it } from 'vitest';
import { checkCommand } from '../../../src/cli/commands/check/command.js';
import { credentialProcessCommand } from '../../../src/cli/commands/credentialProcess/command.js';
import { readCertificateDataCommand } from '../../../src/cli/commands/readCertificateData/command.js';
import { serveCommand } from '../../../src/cli/commands/serve/command.js';
import { signStringCommand } from '../../../src/cli/commands/signString/command.js';
import { updateCommand } from '../../../src/cli/commands/update/command.js';
import { CREDENTIAL_EXCLUSIONS, exclusionViolation, flagNaming, flagNamingFor, LOG_EXCLUSIONS } from '../../../src/cli/flags.js';

const EXCLUSIONS = { credentials: CREDENTIAL_EXCLUSIONS, signString: signStringCommand.exclusions! };

const setOf = (...flags: string[]) => (flag: string) => flags.includes(flag);

describe('mutual exclusions, worded as cobra words them', () => {
  it('names the group in declaration order and the offending flags sorted', () => {
    expect(exclusionViolation(EXCLUSIONS.credentials, setOf('certificate', 'cert-selector'))).toBe(
      'if any flags in the group [certificate cert-selector] are set none of the others can be; [cert-selector certificate] were all set',
    );
  });

  it('reports the group whose name sorts first when several are violated', () => {
    expect(exclusionViolation(EXCLUSIONS.credentials, setOf('tpm-key-password', 'reuse-pin', 'cert-selector'))).toBe(
      'if any flags in the group [cert-selector reuse-pin] are set none of the others can be; [cert-selector reuse-pin] were all set',
    );
    // Declared after [tpm-key-password cert-selector], and sorting before it (mutation testing: the first declared passed).
    expect(exclusionViolation(EXCLUSIONS.credentials, setOf('tpm-key-password', 'no-tpm-key-password', 'cert-selector'))).toBe(
      'if any flags in the group [no-tpm-key-password cert-selector] are set none of the others can be; [cert-selector no-tpm-key-password] were all set',
    );
  });

  it('allows flags that are not exclusive', () => {
    expect(exclusionViolation(EXCLUSIONS.credentials, setOf('certificate', 'private-key', 'intermediates', 'pkcs8-password'))).toBeUndefined();
  });

  it("has sign-string refuse credential-process's pairs but --intermediates' (a flag it has not), and no more", () => {
    const keyPairs = EXCLUSIONS.credentials.filter((pair) => !pair.includes('intermediates'));
    for (const pair of keyPairs) expect(exclusionViolation(EXCLUSIONS.signString, setOf(...pair))).toContain(`[${pair.join(' ')}]`);
    // and no-tpm-key-password/reuse-pin, below
    expect(EXCLUSIONS.signString).toHaveLength(keyPairs.length + 1);
  });

  // Spec §1.2: the 15 pairs of credential-process, serve and update, in its order; sign-string has 1-5, 7, 9-15 and its own (§1.3).
  const REFERENCE_PAIRS = [
    'certificate cert-selector', 'certificate system-store-name', 'private-key cert-selector', 'private-key system-store-name',
    'private-key use-latest-expiring-certificate', 'use-latest-expiring-certificate intermediates', 'use-latest-expiring-certificate reuse-pin',
    'cert-selector intermediates', 'cert-selector reuse-pin', 'system-store-name reuse-pin', 'tpm-key-password cert-selector',
    'tpm-key-password reuse-pin', 'no-tpm-key-password cert-selector', 'no-tpm-key-password tpm-key-password', 'pkcs8-password tpm-key-password',
  ];
  /** A command's pairs as the reference declares them: those of no secret's file flag. */
  const declared = (pairs: readonly (readonly [string, string])[]) => pairs.filter((pair) => !pair.some((flag) => flag.endsWith('-file'))).map((pair) => pair.join(' ')).sort();

  it("declares exactly the reference's pairs for every command, written once for the key flags (KEY_EXCLUSIONS) and not drifted in the writing", () => {
    for (const command of [credentialProcessCommand, serveCommand, updateCommand, checkCommand]) expect(declared(command.exclusions!)).toEqual([...REFERENCE_PAIRS].sort());
    const signString = [...REFERENCE_PAIRS.filter((pair) => !pair.includes('intermediates')), 'no-tpm-key-password reuse-pin'];
    expect(declared(EXCLUSIONS.signString)).toEqual(signString.sort());
    expect(declared(readCertificateDataCommand.exclusions!)).toEqual(['certificate cert-selector', 'certificate system-store-name']);
  });

  it('has no-tpm-key-password/reuse-pin only for sign-string, as the reference', () => {
    const isSet = setOf('no-tpm-key-password', 'reuse-pin');
    expect(exclusionViolation(EXCLUSIONS.credentials, isSet)).toBeUndefined();
    expect(exclusionViolation(EXCLUSIONS.signString, isSet)).toContain('[no-tpm-key-password reuse-pin]');
  });
});

describe('secret files and log flags', () => {
  it.each([
    ['pkcs8-password', 'pkcs8-password-file'],
    ['pkcs12-password', 'pkcs12-password-file'],
    ['tpm-key-password', 'tpm-key-password-file'],
    ['no-tpm-key-password', 'tpm-key-password-file'],
  ])('--%s and --%s are refused together, by every command that signs', (a, b) => {
    for (const pairs of Object.values(EXCLUSIONS)) expect(exclusionViolation(pairs, setOf(a, b))).toContain(`[${a} ${b}]`);
  });

  it('--debug and --log-level are refused together', () => {
    expect(exclusionViolation(LOG_EXCLUSIONS, setOf('debug', 'log-level'))).toContain('[debug log-level]');
    expect(exclusionViolation(LOG_EXCLUSIONS, setOf('debug', 'log-format'))).toBeUndefined();
  });

  it('names a password option by the flag it was given with', () => {
    expect(flagNamingFor(new Set(['tpm-key-password-file']))('tpmKeyPassword')).toBe('--tpm-key-password-file');
    expect(flagNamingFor(new Set(['pkcs12-password-file']))('pkcs12Password')).toBe('--pkcs12-password-file');
    expect(flagNamingFor(new Set(['pkcs12-password-file']))('pkcs8Password')).toBe('--pkcs8-password');
    expect(flagNamingFor(new Set())('useFipsEndpoint')).toBe(flagNaming('useFipsEndpoint'));
    expect(flagNamingFor(new Set(['tpm-key-password-file']))('tpmKeyPassword', undefined, undefined, true)).toBe('--tpm-key-password-file, --tpm-key-password');
  });
});
