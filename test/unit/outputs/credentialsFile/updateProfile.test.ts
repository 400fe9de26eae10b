import { describe, expect, it } from 'vitest';
import { updateProfile } from '../../../../src/outputs/credentialsFile/updateProfile.js';
import { inOnePass } from '../../../support/onePass.js';

const credentials = {
  accessKeyId: 'ASIANEW',
  secretAccessKey: 'newsecret',
  sessionToken: 'newtoken',
  expiration: new Date('2030-01-01T00:00:00Z'),
  expirationText: '2030-01-01T00:00:00Z',
};
const NEW = 'aws_access_key_id = ASIANEW\naws_secret_access_key = newsecret\naws_session_token = newtoken\n';
/** NEW with each line indented. */
const indentedNew = (indent: string) => NEW.replace(/^(?=.)/gm, indent);

describe('updateProfile', () => {
  it('creates the profile in an empty file, followed by an empty line, as the reference writes it', () => {
    expect(updateProfile('', 'default', credentials)).toBe(`[default]\n${NEW}\n`);
  });

  it('rewrites existing keys in place and keeps everything else byte for byte', () => {
    const before = [
      '# managed by hand',
      '[other]',
      'aws_access_key_id = OTHER',
      '',
      '[default]',
      'aws_access_key_id=OLD',
      '; a comment inside',
      'aws_secret_access_key   =   oldsecret',
      'aws_session_token = oldtoken',
      'region = eu-west-1',
      '',
      '[after]',
      'x = 1',
      '',
    ].join('\n');
    const after = updateProfile(before, 'default', credentials);
    expect(after).toBe(before
      .replace('aws_access_key_id=OLD', 'aws_access_key_id=ASIANEW')
      .replace('aws_secret_access_key   =   oldsecret', 'aws_secret_access_key   =   newsecret')
      .replace('aws_session_token = oldtoken', 'aws_session_token = newtoken'));
  });

  it('keeps the blanks after the delimiter, and a tab, and a value-less key', () => {
    const before = '[default]\naws_access_key_id:OLD\naws_secret_access_key =\t old\naws_session_token =\n';
    expect(updateProfile(before, 'default', credentials)).toBe('[default]\naws_access_key_id=ASIANEW\naws_secret_access_key =\t newsecret\naws_session_token =newtoken\n');
  });

  it('updates a profile of 200,000 lines', () => {
    const comments = Array.from({ length: 200_000 }, (_, i) => `# c ${i}\n`).join('');
    const before = `[default]\n${comments}`;
    expect(updateProfile(before, 'default', credentials)).toBe(`[default]\n${NEW}${comments}`);
  });

  it('reads lines of long runs of blanks in one pass, keys before blanks and a delimiter included (fuzzing QA: 80,000 blanks took 3 s a line)', () => {
    // The former patterns took about 20 s for these.
    const blanks = ' \t\f\v'.repeat(25_000);
    const before = `[default]\nnote${blanks}x\nregion${blanks}= eu-west-1\n${blanks}\n`;
    expect(inOnePass(() => updateProfile(before, 'default', credentials))).toBe(`[default]\nnote${blanks}x\nregion${blanks}= eu-west-1\n${NEW}${blanks}\n`);
    // A key with blanks before its delimiter, in any case, is the key.
    expect(inOnePass(() => updateProfile(`[default]\nAWS_ACCESS_KEY_ID${blanks}: OLD\n`, 'default', credentials))).toBe(
      `[default]\naws_access_key_id${blanks}= ASIANEW\naws_secret_access_key = newsecret\naws_session_token = newtoken\n`,
    );
  });

  it('replaces a value holding U+2028, which botocore reads as part of it, in one pass (review: it was left as it was, a stale token)', () => {
    const before = '[default]\naws_access_key_id = OLD\naws_secret_access_key = OLD\naws_session_token = OLD\u2028tail\n';
    expect(updateProfile(before, 'default', credentials)).toBe(`[default]\n${NEW}`);
    const long = `[default]\naws_session_token = ${'='.repeat(80_000)}\u2028\n`;
    expect(inOnePass(() => updateProfile(long, 'default', credentials))).toBe('[default]\naws_session_token = newtoken\naws_access_key_id = ASIANEW\naws_secret_access_key = newsecret\n');
  });

  it('keeps the target profile\'s final region line when the profile ends the file (the reference drops it)', () => {
    const before = '[a]\nx = 1\n\n[default]\naws_access_key_id = OLD\nregion = us-east-1';
    expect(updateProfile(before, 'default', credentials)).toBe(
      '[a]\nx = 1\n\n[default]\naws_access_key_id = ASIANEW\nregion = us-east-1\naws_secret_access_key = newsecret\naws_session_token = newtoken\n',
    );
  });

  it('puts missing keys after the profile\'s last setting, before blank lines and comments that precede the next one', () => {
    const before = '[default]\nregion = us-east-1\n\n# next\n[b]\ny = 2\n';
    expect(updateProfile(before, 'default', credentials)).toBe(`[default]\nregion = us-east-1\n${NEW}\n# next\n[b]\ny = 2\n`);
    // A comment is none, whatever it holds.
    for (const comment of ['; was = eu-west-1', '# was: eu-west-1']) {
      expect(updateProfile(`[default]\nregion = us-east-1\n${comment}\n`, 'default', credentials), comment).toBe(`[default]\nregion = us-east-1\n${NEW}${comment}\n`);
    }
  });

  it('handles a header that is the last line, without a newline', () => {
    expect(updateProfile('[a]\nx = 1\n[default]', 'default', credentials)).toBe(`[a]\nx = 1\n[default]\n${NEW}`);
  });

  it('writes values holding `$&`, `$\'`, `$\`` and `$$` as they are (not as replacement patterns)', () => {
    const dollars = { ...credentials, accessKeyId: 'ab$&cd', secretAccessKey: "x$'y$`z", sessionToken: 'p$$q$1' };
    const before = '[default]\naws_access_key_id = old\naws_secret_access_key = old\naws_session_token = old\n';
    expect(updateProfile(before, 'default', dollars)).toBe("[default]\naws_access_key_id = ab$&cd\naws_secret_access_key = x$'y$`z\naws_session_token = p$$q$1\n");
  });

  it('keeps CRLF line endings', () => {
    const before = '[default]\r\naws_access_key_id = OLD\r\nregion = us-east-1\r\n\r\n[b]\r\ny = 2\r\n';
    const after = updateProfile(before, 'default', credentials);
    expect(after).toBe(
      '[default]\r\naws_access_key_id = ASIANEW\r\nregion = us-east-1\r\naws_secret_access_key = newsecret\r\naws_session_token = newtoken\r\n\r\n[b]\r\ny = 2\r\n',
    );
    expect(after.replace(/\r\n/g, '')).not.toContain('\n');
  });

  it('appends a missing profile followed by an empty line (the reference\'s shape), leaving a commented-out header alone', () => {
    const before = '# [default]\n[other]\nx = 1';
    expect(updateProfile(before, 'default', credentials)).toBe(`# [default]\n[other]\nx = 1\n[default]\n${NEW}\n`);
  });

  it('matches whole section names only: `test` is not `test profile`, and keys by whole name', () => {
    const before = '[test profile]\naws_access_key_id = A\n[test]\naws_access_key_id_old = B\n';
    expect(updateProfile(before, 'test', credentials)).toBe(`[test profile]\naws_access_key_id = A\n[test]\naws_access_key_id_old = B\n${NEW}`);
  });

  // Mutation sweep (mutout): matching section names in any case passed every test.
  it('matches section names in their case, as botocore and the SDKs do: [Default] is another profile than default', () => {
    const before = '[Default]\naws_access_key_id = KEEP\n';
    expect(updateProfile(before, 'default', credentials)).toBe(`${before}[default]\n${NEW}\n`);
  });

  it('tolerates blanks around the header and a comment after it, and takes `[ default ]` for profile " default ", as botocore and the SDKs do', () => {
    expect(updateProfile('  [default] # mine\naws_access_key_id = OLD\n', 'default', credentials)).toBe(`  [default] # mine\n${NEW}`);
    const spaced = '[ default ]\naws_access_key_id = OTHER\n';
    expect(updateProfile(spaced, 'default', credentials)).toBe(`${spaced}[default]\n${NEW}\n`);
  });

  it('finds keys as botocore reads them, after `:` as after `=`, in any case, and writes them in lower case, with `=`: the JavaScript, Ruby and Go v1 SDKs read no other case, the JavaScript SDK no `:` (QA: Go v1 found no credentials in a profile update had refreshed; fuzzing)', () => {
    const before = '[default]\naws_access_key_id: OLD\nAWS_SECRET_ACCESS_KEY = old\nAws_Session_Token:old\n[other]\nAWS_SESSION_TOKEN = keep\n';
    expect(updateProfile(before, 'default', credentials)).toBe(
      '[default]\naws_access_key_id= ASIANEW\naws_secret_access_key = newsecret\naws_session_token=newtoken\n[other]\nAWS_SESSION_TOKEN = keep\n',
    );
  });

  it('puts missing keys after the continuation lines of the last setting, not inside its value', () => {
    const before = '[default]\nregion = eu-west-1\n  continued\n\n# note\n  still continued\n[b]\n';
    expect(updateProfile(before, 'default', credentials)).toBe(`[default]\nregion = eu-west-1\n  continued\n\n# note\n  still continued\n${NEW}[b]\n`);
    const nested = '[default]\n  s3 =\n    max_concurrent_requests = 10\n  region = x\n';
    expect(updateProfile(nested, 'default', credentials)).toBe(`${nested}${indentedNew('  ')}`);
  });

  it('drops the continuation lines of an old credential value, which would go on the new one', () => {
    const before = '[default]\naws_session_token = OLD\n  OLD-CONTINUED\n# note\n  MORE\nregion = x\n  y';
    expect(updateProfile(before, 'default', credentials)).toBe(
      '[default]\naws_session_token = newtoken\n# note\nregion = x\n  y\naws_access_key_id = ASIANEW\naws_secret_access_key = newsecret\n',
    );
    expect(updateProfile('[default]\naws_session_token = OLD\n  CONTINUED', 'default', credentials)).toBe(
      '[default]\naws_session_token = newtoken\naws_access_key_id = ASIANEW\naws_secret_access_key = newsecret\n',
    );
  });

  it('reads a header as botocore does, its name running to the line\'s last `]`: text after it does not hide the next profile', () => {
    const after = '[default]\naws_access_key_id = A\n[prod] - production account\naws_access_key_id = AKIAPROD\naws_secret_access_key = prodsecret\n';
    expect(updateProfile(after, 'default', credentials)).toBe(
      `[default]\naws_access_key_id = ASIANEW\naws_secret_access_key = newsecret\naws_session_token = newtoken\n[prod] - production account\naws_access_key_id = AKIAPROD\naws_secret_access_key = prodsecret\n`,
    );
    expect(updateProfile('[default] main creds\naws_access_key_id = OLD\n', 'default', credentials)).toBe(`[default] main creds\n${NEW}`);
    const bracketed = '[team]x]\naws_access_key_id = T\n';
    expect(updateProfile(bracketed, 'team', credentials)).toBe(`${bracketed}[team]\n${NEW}\n`);
    expect(updateProfile(bracketed, 'team]x', credentials)).toBe(`[team]x]\n${NEW}`);
    // Any character, U+2028 too (Python's `.` is all but \n, JavaScript's is not).
    expect(updateProfile('[a\u2028b]\nx = 1\n', 'a\u2028b', credentials)).toBe(`[a\u2028b]\nx = 1\n${NEW}`);
  });

  it('takes a line indented deeper than the setting before it for that setting\'s value, whatever it looks like', () => {
    const header = '[other]\naws_access_key_id = OTHERKEY\naws_secret_access_key = othersecret\n  [default]\n  aws_access_key_id = OLD\n';
    expect(updateProfile(header, 'default', credentials)).toBe(`${header}[default]\n${NEW}\n`);
    const setting = '[default]\nregion = us-east-1\n  aws_access_key_id = OLD\n';
    expect(updateProfile(setting, 'default', credentials)).toBe(`${setting}${NEW}`);
    // A header ends the setting before it: an indented line after it is a setting of its own (mutation sweep).
    const after = '[other]\nregion = us-east-1\n[default]\n  aws_access_key_id = OLD\n';
    expect(updateProfile(after, 'default', credentials)).toBe(`[other]\nregion = us-east-1\n[default]\n${indentedNew('  ')}`);
  });

  it('indents the keys it adds as the section\'s last setting (or, without one, as the next header), so that an indented profile after them stays a profile', () => {
    const indented = '  [default]\n  region = us-east-1\n  [other]\n  aws_access_key_id = O\n';
    expect(updateProfile(indented, 'default', credentials)).toBe(`  [default]\n  region = us-east-1\n${indentedNew('  ')}  [other]\n  aws_access_key_id = O\n`);
    const deeper = '[default]\n    region = x\n  [other]\naws_access_key_id = O\n';
    expect(updateProfile(deeper, 'default', credentials)).toBe(`[default]\n    region = x\n${indentedNew('    ')}  [other]\naws_access_key_id = O\n`);
    const empty = '[default]\n  [other]\naws_access_key_id = O\n';
    expect(updateProfile(empty, 'default', credentials)).toBe(`[default]\n${indentedNew('  ')}  [other]\naws_access_key_id = O\n`);
  });

  it("gives new lines the ending the file uses most, not its first line's: a lone CR ending a first comment line gave the keys added to a file of LF lines lone CRs", () => {
    expect(updateProfile('# pasted\r# by hand\n[default]\naws_access_key_id = OLD\n', 'default', credentials)).toBe(
      '# pasted\r# by hand\n[default]\naws_access_key_id = ASIANEW\naws_secret_access_key = newsecret\naws_session_token = newtoken\n',
    );
    // As many lone CRs as LFs (one line of each): LF, a lone CR hiding the keys from the AWS SDKs for Go and JavaScript (review17).
    expect(updateProfile('# pasted\r[default]\n', 'default', credentials)).toBe(
      '# pasted\r[default]\naws_access_key_id = ASIANEW\naws_secret_access_key = newsecret\naws_session_token = newtoken\n',
    );
    expect(updateProfile('# pasted\r[default]\r\n', 'default', credentials)).toBe(
      '# pasted\r[default]\r\naws_access_key_id = ASIANEW\r\naws_secret_access_key = newsecret\r\naws_session_token = newtoken\r\n',
    );
    expect(updateProfile('# pasted\n[a]\rx = 1\r', 'default', credentials)).toBe(
      '# pasted\n[a]\rx = 1\r[default]\raws_access_key_id = ASIANEW\raws_secret_access_key = newsecret\raws_session_token = newtoken\r\r',
    );
  });

  it('ends lines where Python does (a lone \\r too), and takes form feeds and the like for blanks, as botocore reads them', () => {
    // As many CRLFs as lone CRs: the new lines take CRLF (review17), the line set keeping its own lone CR.
    expect(updateProfile('[default]\r\r\naws_access_key_id = OLD\r\r\n', 'default', credentials)).toBe(
      '[default]\r\r\naws_access_key_id = ASIANEW\raws_secret_access_key = newsecret\r\naws_session_token = newtoken\r\n\r\n',
    );
    expect(updateProfile('[default]\raws_access_key_id = OLD\r', 'default', credentials)).toBe(
      '[default]\raws_access_key_id = ASIANEW\raws_secret_access_key = newsecret\raws_session_token = newtoken\r',
    );
    expect(updateProfile('[default]\naws_access_key_id\f= OLD\n', 'default', credentials)).toBe(`[default]\naws_access_key_id\f= ASIANEW\n${NEW.split('\n').slice(1).join('\n')}`);
    // And the other characters Python strips, the Unicode spaces in a file of UTF-8: around a key, and as a continuation line's indent.
    for (const blank of ['\f', '\v', '\u001c', '\u001f', '\u0085', '\u00a0', '\u1680', '\u2000', '\u200a', '\u2028', '\u2029', '\u202f', '\u205f', '\u3000']) {
      const name = JSON.stringify(blank);
      expect(updateProfile(`[default]\naws_access_key_id${blank}= OLD\n`, 'default', credentials), name).toBe(`[default]\naws_access_key_id${blank}= ASIANEW\n${NEW.split('\n').slice(1).join('\n')}`);
      const continued = `[default]\nregion = eu-west-1\n${blank}aws_access_key_id = OLD\n`;
      expect(updateProfile(continued, 'default', credentials), name).toBe(`${continued}${NEW}`);
    }
  });

  it('updates every section of that name', () => {
    const before = '[default]\naws_access_key_id = OLD1\n[default]\naws_access_key_id = OLD2\n';
    expect(updateProfile(before, 'default', credentials)).toBe(`[default]\n${NEW}[default]\n${NEW}`);
  });

  it('a name read as latin1 whose last character is U+00A0 (à\'s last UTF-8 byte) keeps it: what a header\'s brackets hold is its name, blanks inside them too (issue 13, item 17; UTF-8 files are read by their characters since)', () => {
    const latin1 = (text: string) => Buffer.from(text, 'utf8').toString('latin1');
    expect(updateProfile(latin1('[voilà]\nx = 1\n'), latin1('voilà'), credentials)).toBe(latin1(`[voilà]\nx = 1\n${NEW}`));
  });
});
