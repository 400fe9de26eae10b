import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { updateProfile } from '../../../../src/outputs/credentialsFile/updateProfile.js';
import { writeCredentialsFile } from '../../../../src/outputs/credentialsFile/writeCredentialsFile.js';

// Each file parsed by botocore's own reader (botocore.configloader.raw_config_parse: Python's
// RawConfigParser), as JSON: its sections and settings, or null where it refuses the file.
const PARSE = `
import json, sys
from botocore.configloader import raw_config_parse
from botocore.exceptions import ConfigParseError
out = []
for path in sys.argv[1:]:
    try:
        out.append(raw_config_parse(path, False))
    except ConfigParseError:
        out.append(None)
print(json.dumps(out))
`;

const work = mkdtempSync(join(tmpdir(), 'rah-botocore-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A small seeded generator, so that a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
    return state / 2 ** 32;
  };
}

const HEADERS = ['[default]', '[other]', '[prod] - production', '[ default ]', '[default] # mine', '[x]y]'];
const SETTINGS = ['aws_access_key_id = OLD', 'AWS_SECRET_ACCESS_KEY: old', 'region = us-east-1', 'aws_session_token=tok', 'key = value', 'empty='];
const OTHERS = ['# comment', '; comment', '', 'continued', '[default]', 'aws_access_key_id = X'];
const INDENTS = ['', '', '', ' ', '  ', '\t', '    ', '\f'];

function randomFile(next: () => number): string {
  const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]!;
  const lines = [pick(HEADERS)];
  for (let count = Math.floor(next() * 9); count > 0; count--) {
    const roll = next();
    lines.push(pick(INDENTS) + pick(roll < 0.2 ? HEADERS : roll < 0.7 ? SETTINGS : OTHERS));
  }
  const eol = pick(['\n', '\r\n', '\r']);
  return lines.join(eol) + pick([eol, '']);
}

const CREDENTIALS = { accessKeyId: 'NEWAK', secretAccessKey: 'NEWSK', sessionToken: 'NEWTOK', expiration: new Date(), expirationText: '' };
const KEYS = { aws_access_key_id: 'NEWAK', aws_secret_access_key: 'NEWSK', aws_session_token: 'NEWTOK' };

describe('updateProfile against botocore\'s own reader', () => {
  it('in 300 generated files botocore reads, changes the default profile\'s three keys only, as botocore reads the result', () => {
    const next = random(2026);
    const files = Array.from({ length: 300 }, (_, i) => {
      const before = randomFile(next);
      const path = join(work, `c${i}`);
      writeFileSync(path, before, 'latin1');
      writeFileSync(`${path}.out`, updateProfile(before, 'default', CREDENTIALS), 'latin1');
      return path;
    });
    const parse = (paths: string[]) => JSON.parse(execFileSync('python3', ['-c', PARSE, ...paths], { encoding: 'utf8', maxBuffer: 64 << 20 })) as (Record<string, Record<string, string>> | null)[];
    const before = parse(files);
    const after = parse(files.map((path) => `${path}.out`));
    let read = 0;
    files.forEach((path, i) => {
      if (!before[i]) return; // a file botocore refuses: nothing to keep as it read it
      read++;
      const { default: oldDefault, ...others } = before[i]!;
      const { default: newDefault, ...othersAfter } = after[i] ?? {};
      expect({ path, others: othersAfter }).toEqual({ path, others });
      expect({ path, profile: newDefault }).toEqual({ path, profile: { ...oldDefault, ...KEYS } });
    });
    expect(read).toBeGreaterThan(100);
  });
});

describe('writeCredentialsFile on a file of UTF-8, against botocore\'s own reader', () => {
  // Python takes U+00A0, U+2003, U+3000 and the other Unicode spaces for blanks (str.strip, \s), and
  // lowers the Kelvin sign to k: the file's bytes read as latin1, such a key was not found, and another one
  // added made botocore refuse the whole file, or an indented header was taken for none (QA: fuzzing).
  it.each([
    ['a no-break space before "="', '[default]\naws_access_key_id\u00a0= OLD\n[other]\nx = 1\n'],
    ['a key with a Kelvin sign', '[default]\naws_access_\u212aey_id = OLD\n[other]\nx = 1\n'],
    ['settings and a header indented with em spaces', '[default]\n\u2003aws_access_key_id = OLD\n\u2003[other]\n\u2003region = x\n'],
    ['a value continued on a line indented with an ideographic space', '[default]\nregion = x\n\u3000aws_access_key_id = OLD\n[other]\nx = 1\n'],
  ])('sets the keys as botocore reads them, with %s', async (_, before) => {
    const path = join(work, `utf8-${before.length}-${before.codePointAt(before.length - 3)}`);
    writeFileSync(path, before);
    utimesSync(path, 1_000_000, 1_000_000);
    await writeCredentialsFile(path, 'default', { ...CREDENTIALS, expiration: new Date(Date.now() + 3_600_000) });
    writeFileSync(`${path}.before`, before);
    const [old, now] = JSON.parse(execFileSync('python3', ['-c', PARSE, `${path}.before`, path], { encoding: 'utf8' })) as Record<string, Record<string, string>>[];
    expect(now).toEqual({ ...old, default: { ...old!.default, ...KEYS } });
  });
});
