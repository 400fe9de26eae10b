import { describe, expect, it } from 'vitest';
import { decodePem } from '../../../../src/keys/file/pem.js';

const der = Buffer.from('hello, PEM world!');
const body = der.toString('base64'); // 'aGVsbG8sIFBFTSB3b3JsZCE='

describe('decodePem', () => {
  it('reads blocks among other text, with CRLF lines, blanks and tabs in the body, and headers', () => {
    const text =
      'comment before\r\n' +
      `-----BEGIN CERTIFICATE-----\r\n${body.slice(0, 10)}\r\n ${body.slice(10, 20)}\t\r\n${body.slice(20)}\r\n-----END CERTIFICATE-----\r\n` +
      `between\n-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\n${body}\n-----END RSA PRIVATE KEY-----\n`;
    expect(decodePem(text)).toEqual([
      { type: 'CERTIFICATE', headers: {}, der },
      { type: 'RSA PRIVATE KEY', headers: { 'Proc-Type': '4,ENCRYPTED', 'DEK-Info': 'AES-128-CBC,00' }, der },
    ]);
  });

  it.each([
    ['a body that is not base64', '-----BEGIN X-----\nnot*base64=\n-----END X-----\n'],
    ['padding in the middle', `-----BEGIN X-----\nAA==${body}\n-----END X-----\n`],
    ['three padding characters', '-----BEGIN X-----\nA===\n-----END X-----\n'],
    ['a length that is not a multiple of 4', '-----BEGIN X-----\nAAAAA\n-----END X-----\n'],
    ['headers without the blank line after them', `-----BEGIN X-----\nA: b\n${body}\n-----END X-----\n`],
    ['an END of another type', `-----BEGIN X-----\n${body}\n-----END Y-----\n`],
  ])('skips a block with %s, as Go does', (_, text) => {
    expect(decodePem(text)).toEqual([]);
  });
});
