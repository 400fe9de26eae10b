import { loadSharedConfigFiles } from '@smithy/core/config';
import { mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { updateProfile } from '../../../../src/outputs/credentialsFile/updateProfile.js';
import { writeCredentialsFile } from '../../../../src/outputs/credentialsFile/writeCredentialsFile.js';

// The file as the AWS SDK for JavaScript v3 reads it (fromIni's loader, @smithy/core's parseIni), which
// reads some lines otherwise than botocore, whose reading update follows: a write must not change what it
// reads beyond the profile's three credentials, nor have it read other credentials there; else the file is
// refused, as it was.

const work = mkdtempSync(join(tmpdir(), 'rah-js-sdk-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const expiration = new Date(Date.now() + 3_600_000);
const CREDENTIALS = { accessKeyId: 'ASIANEW', secretAccessKey: 'NEWSK', sessionToken: 'NEWTOK', expiration, expirationText: expiration.toISOString() };
const KEYS = { aws_access_key_id: 'ASIANEW', aws_secret_access_key: 'NEWSK', aws_session_token: 'NEWTOK' };

let count = 0;
const jsSdkReads = async (path: string) => (await loadSharedConfigFiles({ filepath: path, configFilepath: '/dev/null', ignoreCache: true })).credentialsFile;

/** Writes `before`, updates `profile`; the file after, and the error if the write was refused. */
async function update(before: string, profile = 'default') {
  const path = join(work, `c${++count}`);
  writeFileSync(path, before);
  // Written long ago: a file changed within the last 50 ms is waited on (writeCredentialsFile).
  utimesSync(path, 1_000_000, 1_000_000);
  const error = await writeCredentialsFile(path, profile, CREDENTIALS).then(() => undefined, (reason: Error) => reason.message);
  return { path, after: readFileSync(path, 'utf8'), error };
}

describe('writeCredentialsFile and the AWS SDK for JavaScript v3', () => {
  it.each([
    ['a section header botocore takes for a credential value\'s continuation', '[prod]\naws_access_key_id = P\n[default]\naws_secret_access_key = OLD\n  [other]\nregion = eu-west-1\n'],
    ['a header with text after its "]" (botocore: profile default; the JS SDK: no section, its keys the section before\'s)', '[work]\naws_access_key_id = W\n\n[default] - mine\naws_access_key_id = OLD\n'],
    ['a header with a comment not set off by a blank', '[work]\nregion = eu-west-1\n[default]#mine\naws_access_key_id = OLD\n'],
    ['a setting botocore takes for an old credential value\'s continuation', '[default]\naws_secret_access_key = OLD\n\n\tregion = eu-west-1\n'],
    ['new keys that the JS SDK would read in a nested block (the last setting opens one, indented)', '[default]\n  region = eu-west-1\n  s3 =\n[next]\nx = 1\n'],
    // Continuation lines the write drops, which the JS SDK reads otherwise:
    ['a [services x] header (the JS SDK\'s services.x)', '[default]\naws_secret_access_key = OLD\n  [services x]\n  region = eu-west-1\n'],
    ['an [sso-session x] header (the JS SDK\'s sso-session.x)', '[default]\naws_secret_access_key = OLD\n  [sso-session x]\n  region = eu-west-1\n'],
    ['a header of two words after its type, a section of that whole name to the JS SDK', '[default]\naws_secret_access_key = OLD\n  [foo x y]\n  region = eu-west-1\n'],
    ['a setting whose name begins with a credential key\'s, but is another', '[default]\naws_secret_access_key = OLD\n  aws_session_tokens = X\n'],
    ['a setting given twice, its last value one the write drops', '[default]\nregion = eu-west-1\naws_secret_access_key = OLD\n  region = us-east-1\n'],
  ])('refuses, leaving the file byte for byte, %s', async (_, before) => {
    const { after, error } = await update(before);
    expect(error).toMatch(/^unable to write the credentials file .*: the AWS SDK for JavaScript reads it otherwise than botocore \(the AWS CLI\) does/);
    expect(after).toBe(before);
  });

  it('refuses, leaving the file as it was, one where the JS SDK would read the profile with an old credential beside the new ones', async () => {
    // botocore: the indented [default] is part of other's secret, and STALE other's; the JS SDK: default's, read last.
    const before = '[default]\naws_access_key_id = OLD\n[other]\naws_secret_access_key = S\n  [default]\naws_access_key_id = STALE\n';
    const { after, error } = await update(before);
    expect(error).toMatch(/would read other credentials than the new ones in profile "default";/); // quoted, as "would read x of profile \"work\""
    expect(after).toBe(before);
  });

  it.each([
    ['lines that end in a lone CR (one line to it)', '[default]\raws_access_key_id = OLD\rregion = eu-west-1\r'],
    ['a header with text after its "]", the file\'s first', '[default] - mine\naws_access_key_id = OLD\n[work]\nx = 1\n'],
    [
      'the profile read only from a header botocore takes for a continuation, its own header one it reads as none, after a section it does not read',
      '[foo bar]\nx = 1\n  [default]\n  region = eu-west-1\n[foo bar]\n[default] - mine\naws_access_key_id = OLD\n',
    ],
  ])('writes, for botocore, as before, a file where the JS SDK reads no credentials in the profile before or after: %s', async (_, before) => {
    const { path, after, error } = await update(before);
    expect(error).toBeUndefined();
    expect(after).not.toBe(before);
    expect(after).toContain('aws_access_key_id = ASIANEW');
    expect((await jsSdkReads(path)).default?.aws_access_key_id).toBeUndefined();
  });

  it.each([
    ['a comment line holding "=" before indented settings (no block to it)', '[default]\n# s3 =\n  aws_access_key_id = OLD\n', {}],
    ['an old credential\'s continuation line that begins with "=" (no setting to it)', '[default]\naws_secret_access_key = OLD\n  =x\n', {}],
    ['a block\'s end at a setting not indented that ends in a blank', '[default]\ns3 =\n  x = 1\naws_access_key_id = OLD \n', { 's3.x': '1' }],
  ])('writes a file the JS SDK reads alike but for the new credentials: %s', async (_, before, others) => {
    const { path, error } = await update(before);
    expect(error).toBeUndefined();
    expect((await jsSdkReads(path)).default).toEqual({ ...others, ...KEYS });
  });

  it('writes, for botocore, a file the JS SDK reads none of before (a section [__proto__]), as it reads none after', async () => {
    const { after, error } = await update('[__proto__]\nx = 1\n');
    expect(error).toBeUndefined();
    expect(after).toContain('[default]\naws_access_key_id = ASIANEW\n');
  });

  it('names no key it reads out of a line holding part of a value (secrets are never logged)', async () => {
    const { error } = await update('[default]\naws_secret_access_key = OLD\n  [work]\naws_secret_access_key: SECRETPART=rest\n');
    expect(error).toMatch(/would read a setting of profile "work" otherwise/);
    expect(error).not.toContain('SECRETPART');
  });

  it('updates a profile the JS SDK names otherwise, [profile x] (its profile.x), without a word about it', async () => {
    const before = '[profile x]\naws_access_key_id = OLD\nregion = eu-west-1\n[work]\nx = 1\n';
    const { path, after, error } = await update(before, 'profile x');
    expect(error).toBeUndefined();
    expect(after).toBe('[profile x]\naws_access_key_id = ASIANEW\nregion = eu-west-1\naws_secret_access_key = NEWSK\naws_session_token = NEWTOK\n[work]\nx = 1\n');
    expect(await jsSdkReads(path)).toEqual({ 'profile.x': { ...KEYS, region: 'eu-west-1' }, work: { x: '1' } });
  });

  it('refuses the profile name __proto__, with which the JS SDK reads none of the file\'s profiles', async () => {
    const before = '[work]\naws_access_key_id = W\n';
    const { after, error } = await update(before, '__proto__');
    expect(error).toMatch(/would read none of its profiles/);
    expect(after).toBe(before);
  });

  it('writes "=" for a credential given with ":", which the JS SDK does not read, and the JS SDK then reads the new keys', async () => {
    // The JS SDK reads `aws_session_token: a=b` as key `aws_session_token: a`, which goes with the old value.
    const { path, after, error } = await update('[default]\nAWS_ACCESS_KEY_ID: OLD\naws_secret_access_key : old\naws_session_token: a=b\nregion = eu-west-1\n');
    expect(error).toBeUndefined();
    expect(after).toBe('[default]\naws_access_key_id= ASIANEW\naws_secret_access_key = NEWSK\naws_session_token= NEWTOK\nregion = eu-west-1\n');
    expect((await jsSdkReads(path)).default).toEqual({ ...KEYS, region: 'eu-west-1' });
  });

  it('in 300 generated files, either refuses, leaving the file as it was, one the JS SDK would read otherwise once written, or the JS SDK reads every other profile and setting as before and the new credentials', async () => {
    let state = 2027;
    const next = () => (state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0) / 2 ** 32;
    const pick = <T,>(items: readonly T[]) => items[Math.floor(next() * items.length)]!;
    const HEADERS = ['[default]', '[other]', '[default] - mine', '[default]#x', '[default] # mine', '[ default ]', '[profile default]', '[other] ; c'];
    const LINES = ['aws_access_key_id = OLD', 'AWS_SECRET_ACCESS_KEY: old', 'aws_session_token =', 'region = eu-west-1', 's3 =', 'max = 10', '# c', '', 'key = a # b'];
    const INDENTS = ['', '', '', '  ', '\t'];
    let written = 0;
    for (let i = 0; i < 300; i++) {
      const lines = [pick(HEADERS)];
      for (let n = Math.floor(next() * 8); n > 0; n--) lines.push(pick(INDENTS) + (next() < 0.2 ? pick(HEADERS) : pick(LINES)));
      const eol = pick(['\n', '\r\n']);
      const before = lines.join(eol) + pick([eol, '']);
      const { path, after, error } = await update(before);
      writeFileSync(`${path}.before`, before);
      const { default: oldDefault, ...others } = await jsSdkReads(`${path}.before`);
      // Keys that begin with a credential's name, in any case (blocks of them, `aws_session_token: a=b`), are the old credentials'.
      const kept = (profile = {}) => Object.fromEntries(Object.entries(profile).filter(([key]) => !/^aws_(access_key_id|secret_access_key|session_token)\b/i.test(key)));
      if (error) {
        expect({ before, after }).toEqual({ before, after: before });
        // Refused for a reason: the JS SDK would read what updateProfile writes otherwise (review: refusing every file
        // holding a comment line passed this test, the written count past its bound).
        writeFileSync(`${path}.would`, updateProfile(before, 'default', CREDENTIALS));
        const { default: wouldDefault, ...othersWould } = await jsSdkReads(`${path}.would`);
        const read = Object.keys(KEYS).map((key) => wouldDefault?.[key]);
        const readAlike = isDeepStrictEqual(othersWould, others) && isDeepStrictEqual(kept(wouldDefault), kept(oldDefault)) && (read.every((value) => value === undefined) || isDeepStrictEqual(read, Object.values(KEYS)));
        expect({ before, refusedThoughReadAlike: readAlike }).toEqual({ before, refusedThoughReadAlike: false });
        continue;
      }
      written++;
      const { default: newDefault, ...othersAfter } = await jsSdkReads(path);
      expect({ before, others: othersAfter }).toEqual({ before, others });
      expect({ before, profile: kept(newDefault) }).toEqual({ before, profile: kept(oldDefault) });
      // The new credentials, unless it reads none in the profile (a header it reads as none): written for botocore.
      const read = Object.keys(KEYS).map((key) => newDefault?.[key]);
      if (read.some((value) => value !== undefined)) expect({ before, keys: read }).toEqual({ before, keys: Object.values(KEYS) });
    }
    expect(written).toBeGreaterThan(150);
  });
});
