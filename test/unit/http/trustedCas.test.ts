import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { trustedCas } from '../../../src/http/trustedCas.js';
import { vectorPath } from '../../support/vectors.js';

const folder = mkdtempSync(join(tmpdir(), 'rah-ca-bundle-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('trustedCas and a bundle written the way Windows tools write it (QA: line endings)', () => {
  const pem = readFileSync(vectorPath('pki/root-cert.pem'), 'utf8');

  it('reads one with CRLF line endings or a byte order mark', () => {
    const path = join(folder, 'crlf.pem');
    writeFileSync(path, `\uFEFF${pem.replace(/\n/g, '\r\n')}`);
    expect(trustedCas({ AWS_CA_BUNDLE: path })?.pem.toString()).toBe(pem);
  });

  it('refuses one of UTF-16 text saying so, not that it holds no certificate', () => {
    const path = join(folder, 'utf16.pem');
    writeFileSync(path, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(pem, 'utf16le')]));
    expect(() => trustedCas({ AWS_CA_BUNDLE: path })).toThrow(
      `failed to load custom CA bundle PEM file ${path}: it is UTF-16 text, as Windows PowerShell 5 writes with > or Out-File: save it as UTF-8 or ASCII`,
    );
  });

  it("skips a certificate block with headers, as Go's AppendCertsFromPEM does (QA mutation testing: only a block that was no certificate anyway was tried)", () => {
    const path = join(folder, 'headers.pem');
    writeFileSync(path, pem.replace('-----BEGIN CERTIFICATE-----\n', '-----BEGIN CERTIFICATE-----\nComment: from the old bundle\n\n'));
    expect(() => trustedCas({ AWS_CA_BUNDLE: path })).toThrow(`failed to load custom CA bundle PEM file ${path}: none of its certificates can be read`);
    writeFileSync(path, `${readFileSync(path, 'utf8')}${pem}`);
    expect(trustedCas({ AWS_CA_BUNDLE: path })?.pem.toString()).toBe(pem);
  });
});
