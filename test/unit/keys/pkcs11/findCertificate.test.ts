import pkcs11js from 'pkcs11js';
import { describe, expect, it } from 'vitest';
import { CertificateAuthority } from '../../../../src/emulator/pki/certificateAuthority.js';
import { generateKey } from '../../../../src/emulator/pki/generateKey.js';
import { HelperError } from '../../../../src/errors.js';
import { describeObjectSearch, findCertificate, howToChooseOne } from '../../../../src/keys/pkcs11/findCertificate.js';
import type { SessionPool } from '../../../../src/keys/pkcs11/pkcs11Session.js';
import type { Token } from '../../../../src/keys/pkcs11/slots.js';
import { parsePkcs11Uri } from '../../../../src/keys/pkcs11/uri.js';

/** A token of the module, as slots.ts lists it (its slot is not opened here: the sessions are fakes). */
const token = (slotId: bigint, label: string, serial: string): Token =>
  ({ slot: Buffer.alloc(8), slotId, slotDescription: '', slotManufacturer: '', label, manufacturer: 'Maker', model: 'Model', serial, loginRequired: true });

describe('howToChooseOne', () => {
  it('names the attributes a URI that matched several objects lacks, and only those', () => {
    expect(howToChooseOne({})).toBe('add object= or id= to choose one');
    expect(howToChooseOne({ object: Buffer.from('dup') })).toBe('add id= to choose one');
    expect(howToChooseOne({ id: Buffer.from([1]) })).toBe('add object= to choose one');
    expect(howToChooseOne({ object: Buffer.from('dup'), id: Buffer.from([1]) })).toBe('they share their label and id: give each its own CKA_ID');
  });
});

describe('describeObjectSearch', () => {
  it('says what a search looked for, and nothing for a search that took any object (QA: "with any CKA_LABEL and CKA_ID")', () => {
    expect(`has no certificate${describeObjectSearch({})}`).toBe('has no certificate');
    expect(describeObjectSearch({ object: Buffer.from('rsa') })).toBe(' with CKA_LABEL "rsa"');
    expect(describeObjectSearch({ object: Buffer.from('rsa'), id: Buffer.from([1]) })).toBe(' with CKA_LABEL "rsa" and CKA_ID %01');
    // `id=` empty is a search for an empty CKA_ID, said so (mutation testing: untested).
    expect(describeObjectSearch({ id: Buffer.alloc(0) })).toBe(' with CKA_ID (empty)');
  });
});

describe('findCertificate: a URI matching several tokens, none showing a certificate without logging in', () => {
  // Tokens that show no object: the search finds none, and there is no token to log in to.
  const api = { C_FindObjectsInit: () => undefined, C_FindObjects: () => [], C_FindObjectsFinal: () => undefined };
  const sessions = { on: (on: Token) => ({ api, handle: Buffer.alloc(0), token: on }) } as unknown as SessionPool;
  const find = (uri: string, tokens: Token[]) => findCertificate(parsePkcs11Uri(uri), tokens, sessions, undefined as never, '/m.so');

  it('says to add token=, where their labels differ', async () => {
    await expect(find('pkcs11:object=c', [token(1n, 'a', 's1'), token(2n, 'b', 's2')])).rejects.toThrow(
      new HelperError('multiple matching slots: pkcs11:object=c matches tokens "a", "b", none of which shows a certificate with CKA_LABEL "c" without logging in; add token= to say which one to log in to'),
    );
  });

  // QA: two tokens labelled alike were told to add token=, token= being given.
  it('says to add serial=, naming each serial, where their labels repeat', async () => {
    await expect(find('pkcs11:token=twin;object=c', [token(1n, 'twin', 's1'), token(2n, 'twin', 's2')])).rejects.toThrow(
      new HelperError(
        'multiple matching slots: pkcs11:token=twin;object=c matches tokens "twin" (serial s1), "twin" (serial s2), none of which shows a certificate with CKA_LABEL "c" without logging in; add serial= to say which one to log in to',
      ),
    );
  });
});

describe('findCertificate: a URI matching a certificate on each of several tokens', () => {
  /** Sessions on tokens that each show one certificate object, with these CKA_ID and CKA_LABEL. */
  async function sessionsShowing(id: Buffer, label: string) {
    const ca = await CertificateAuthority.create({ subject: 'CN=Twins Root' });
    const { der } = await ca.issue({ subject: 'CN=twin', publicKey: generateKey('ec-p256').spki });
    const values: Record<number, Buffer> = { [pkcs11js.CKA_ID]: id, [pkcs11js.CKA_LABEL]: Buffer.from(label), [pkcs11js.CKA_VALUE]: der };
    const api = {
      C_FindObjectsInit: () => undefined,
      C_FindObjects: () => [Buffer.from([1])],
      C_FindObjectsFinal: () => undefined,
      C_GetAttributeValue: (_session: Buffer, _object: Buffer, template: { type: number }[]) => template.map(({ type }) => ({ type, value: values[type] })),
    };
    return { on: (on: Token) => ({ api, handle: Buffer.alloc(0), token: on }) } as unknown as SessionPool;
  }

  // Mutation testing: the serials left out where the labels repeat, and an empty CKA_ID shown as nothing, passed every test.
  it('names each with its token, and its serial where the labels repeat, and says what chooses one', async () => {
    const sessions = await sessionsShowing(Buffer.from([2]), 'ec');
    const find = (tokens: Token[]) => findCertificate(parsePkcs11Uri('pkcs11:object=ec'), tokens, sessions, undefined as never, '/m.so');
    await expect(find([token(1n, 'twin', 's1'), token(2n, 'twin', 's2')])).rejects.toThrow(
      new HelperError(
        'multiple matching certificates: pkcs11:object=ec matches 2 certificates ("ec" id %02 on token "twin" (serial s1), "ec" id %02 on token "twin" (serial s2)); add serial= to choose one',
      ),
    );
    await expect(find([token(1n, 'a', 's1'), token(2n, 'b', 's2')])).rejects.toThrow(
      new HelperError('multiple matching certificates: pkcs11:object=ec matches 2 certificates ("ec" id %02 on token "a", "ec" id %02 on token "b"); add token= to choose one'),
    );
  });

  it('says "id none" of a certificate whose CKA_ID is empty', async () => {
    const sessions = await sessionsShowing(Buffer.alloc(0), 'ec');
    await expect(findCertificate(parsePkcs11Uri('pkcs11:object=ec'), [token(1n, 'a', 's1'), token(2n, 'b', 's2')], sessions, undefined as never, '/m.so')).rejects.toThrow(
      'matches 2 certificates ("ec" id none on token "a", "ec" id none on token "b")',
    );
  });
});
