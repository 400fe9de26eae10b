import { describe, expect, it } from 'vitest';
import { HelperError } from '../../../../src/errors.js';
import { describeObjectSearch, findCertificate, howToChooseOne } from '../../../../src/keys/pkcs11/findCertificate.js';
import type { SessionPool } from '../../../../src/keys/pkcs11/pkcs11Session.js';
import type { Token } from '../../../../src/keys/pkcs11/slots.js';
import { parsePkcs11Uri } from '../../../../src/keys/pkcs11/uri.js';

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
  const token = (slotId: bigint, label: string, serial: string): Token =>
    ({ slot: Buffer.alloc(8), slotId, slotDescription: '', slotManufacturer: '', label, manufacturer: 'Maker', model: 'Model', serial, loginRequired: true });
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
