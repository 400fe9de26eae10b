import { describe, expect, it } from 'vitest';
import { damagedBlock, decodePem, notPemOrDer, scanPem } from '../../../src/asn1/pem.js';
import { inOnePass } from '../../support/onePass.js';

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

  it('reads headers without the blank line after them, as Go does: they end at the first line without a colon', () => {
    expect(decodePem(`-----BEGIN X-----\nA: b\n${body}\n-----END X-----\n`)).toEqual([{ type: 'X', headers: { A: 'b' }, der }]);
    // As Go's: a colon without a blank after it, blanks around the key trimmed, the key up to the first colon.
    expect(decodePem(`-----BEGIN X-----\nA : b\nC:d:e\n${body}\n-----END X-----\n`)).toEqual([{ type: 'X', headers: { A: 'b', C: 'd:e' }, der }]);
  });

  it('reads BEGIN and END lines ending in spaces or tabs, as Go trims them (pasted from YAML or web forms)', () => {
    const text =
      `-----BEGIN CERTIFICATE----- \t\r\n${body}\n-----END CERTIFICATE-----\t \n` +
      `-----BEGIN X-----  \n${body}\n-----END X-----`;
    expect(decodePem(text)).toEqual([
      { type: 'CERTIFICATE', headers: {}, der },
      { type: 'X', headers: {}, der },
    ]);
  });

  it.each([
    ['a body that is not base64', '-----BEGIN X-----\nnot*base64=\n-----END X-----\n'],
    ['padding in the middle', `-----BEGIN X-----\nAA==${body}\n-----END X-----\n`],
    ['three padding characters', '-----BEGIN X-----\nA===\n-----END X-----\n'],
    ['a length that is not a multiple of 4', '-----BEGIN X-----\nAAAAA\n-----END X-----\n'],
    ['an END of another type', `-----BEGIN X-----\n${body}\n-----END Y-----\n`],
    ['text after the BEGIN line\'s dashes', `-----BEGIN X----- x\n${body}\n-----END X-----\n`],
    ['a space between the CR and the LF of the BEGIN line', `-----BEGIN X-----\r \n${body}\n-----END X-----\n`],
    ['a type across a line break', `-----BEGIN X\nY-----\n${body}\n-----END X\nY-----\n`],
  ])('skips a block with %s, as Go does', (_, text) => {
    expect(decodePem(text)).toEqual([]);
  });
});

describe('decodePem on hostile input (issue 13, item 9)', () => {
  // The regular expression decodePem replaced took 25 to 50 s on each of these: a bound well below that, and
  // far above one pass (a second on a machine loaded four times over its cores, where 500 ms failed).
  const decodedInOnePass = (text: string) => inOnePass(() => decodePem(text), 5000);

  it('40,000 BEGIN lines without an END (1.1 MB) in linear time', () => {
    expect(decodedInOnePass('-----BEGIN CERTIFICATE-----\n'.repeat(40_000))).toEqual([]);
  });

  it('40,000 BEGIN lines of different types, and END lines of yet others, in linear time', () => {
    const text = Array.from({ length: 40_000 }, (_, i) => `-----BEGIN T${i}-----\n-----END U${i}-----\n`).join('');
    expect(decodedInOnePass(text)).toEqual([]);
  });

  it('a block with 40,000 header lines in linear time', () => {
    expect(decodedInOnePass(`-----BEGIN X-----\n${'A: b\n'.repeat(40_000)}\n${body}\n-----END X-----\n`)).toHaveLength(1);
  });

  it('finds the blocks the regular expression it replaces found, on random texts made of PEM fragments', () => {
    // The previous implementation, as the reference for which spans are blocks.
    const reference = /-----BEGIN ([^\r\n-]+(?:-[^\r\n-]+)*)-----[ \t]*\r?\n([\s\S]*?)-----END \1-----/g;
    const fragments = [
      '-----BEGIN X-----\n', '-----BEGIN X-----\r\n', '-----BEGIN A-B-----\n', '-----BEGIN A--B-----\n', '-----BEGIN X------\n',
      '-----BEGIN -----\n', '-----BEGIN X-----', '-----END X-----', '-----END A-B-----', '-----END Y-----\n', '-----END X------',
      `${body}\n`, 'AAAA', '\n', '\r\n', 'text ', '-', '-----', 'X', 'A: b\n', ' ', '\t',
      // Markers cut short, and ENDs of the types above that no END named: an empty type, or one across a line break, is none.
      '-----BEGIN ', '-----END ', '-----END A--B-----', '-----END -----', '\r',
    ];
    let seed = 1;
    const random = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    for (let round = 0; round < 3000; round++) {
      const text = Array.from({ length: 1 + random(12) }, () => fragments[random(fragments.length)]).join('');
      const expected = [...text.matchAll(reference)].map((m) => [m[1], m[2]]);
      const spans: [string, string][] = [];
      for (const { type, body: bodyText } of scanPem(text)) spans.push([type, bodyText]);
      expect(spans, JSON.stringify(text)).toEqual(expected);
    }
  });
});

describe('a PEM file saved as UTF-16', () => {
  const pem = '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n';
  const utf16le = (text: string) => Buffer.from(text, 'utf16le');
  const utf16be = (text: string) => utf16le(text).swap16();

  it('is said to be UTF-16, as Windows PowerShell 5 writes a file with > or Out-File (QA: real-world Windows set-ups)', () => {
    const said = 'it is UTF-16 text, as Windows PowerShell 5 writes with > or Out-File: save it as UTF-8 or ASCII';
    for (const data of [
      Buffer.concat([Buffer.from([0xff, 0xfe]), utf16le(pem)]),
      Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be(pem)]),
      utf16le(pem),
      utf16be(pem),
    ]) {
      expect(notPemOrDer(data)).toBe(said);
    }
    // Marked, though it holds no BEGIN line's dashes.
    expect(notPemOrDer(Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be('hello')]))).toBe(said);
    expect(notPemOrDer(Buffer.concat([Buffer.from([0xff, 0xfe]), utf16le('hello')]))).toBe(said);
    expect(notPemOrDer(Buffer.from(pem))).toBeUndefined();
    expect(notPemOrDer(Buffer.from('hello'))).toBe('it is neither PEM (no "-----BEGIN" line) nor DER');
  });
});

describe('damagedBlock', () => {
  const pem = `-----BEGIN CERTIFICATE-----\n${body}\n-----END CERTIFICATE-----\n`;

  it('says a PEM whose lines end in a lone CR (old Mac line ends) is damaged by them, which openssl and Go refuse too (review: "damaged", with no word of why)', () => {
    const oldMac = pem.replaceAll('\n', '\r');
    expect(decodePem(oldMac)).toEqual([]);
    expect(damagedBlock(oldMac, ['CERTIFICATE'])).toBe(
      'its CERTIFICATE block is damaged: its lines end in a lone CR (old Mac line ends), which no PEM reader (openssl, Go) takes for a line break: save it with LF or CRLF line ends',
    );
    // CRLF is read; a block damaged otherwise is not said to be CR's, not even behind a lone CR before it.
    expect(decodePem(pem.replaceAll('\n', '\r\n'))).toHaveLength(1);
    expect(damagedBlock(`note\r${pem.replace('-----END', '-----ENDS')}`, ['CERTIFICATE'])).toBe(
      'its CERTIFICATE block is damaged (no line break after its BEGIN line, no END line, or not base64)',
    );
    // Nor a CRLF one damaged otherwise (a Windows copy cut short), whose CRs each come before a LF (mutation review).
    const cut = pem.replaceAll('\n', '\r\n').replace('-----END', '-----ENDS');
    expect(decodePem(cut)).toEqual([]);
    expect(damagedBlock(cut, ['CERTIFICATE'])).toBe('its CERTIFICATE block is damaged (no line break after its BEGIN line, no END line, or not base64)');
    // Lone CRs and \n written out as two characters: the latter is said, as before.
    expect(damagedBlock(pem.replace('\n', '\\n').replaceAll('\n', '\r'), ['CERTIFICATE'])).toBe('its CERTIFICATE block is damaged: it holds \\n as two characters where line breaks belong');
  });
});
