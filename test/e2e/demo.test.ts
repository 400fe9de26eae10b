import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');

describe('the demo (scripts/demo.mjs, what the README\'s first command runs after its set-up)', () => {
  it('runs every step against the emulator, and prints no warning of the SDK it uses (QA: seven lines of it on Node 20)', async () => {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [join(root, 'scripts/demo.mjs')], { cwd: root, timeout: 60_000 });
    expect(stdout).toContain('→ the emulator verified the signature and the chain, and issued ASIA');
    expect(stdout).toContain('→ 1 CreateSession for 3 runs');
    expect(stdout).toMatch(/ →\n {2}arn:aws:sts::123456789012:assumed-role\/demo-role\//);
    expect(stdout).toMatch(/"Code":"Success","Type":"AWS-HMAC"/);
    expect(stdout).toMatch(/\[demo\]\naws_access_key_id = ASIA/);
    expect(stdout).toContain('Done.');
    // serve's start-up lines are the only ones on standard error.
    expect(stderr.trimEnd().split('\n')).toEqual([
      expect.stringMatching(/ Local server started on port: \d+$/),
      expect.stringMatching(/ Make it available to the sdk by running:$/),
      expect.stringMatching(/ export AWS_EC2_METADATA_SERVICE_ENDPOINT=http:\/\/127\.0\.0\.1:\d+\/$/),
    ]);
    if (Number(process.versions.node.split('.')[0]) < 22) expect(stdout).toContain('releases after the first week of January 2027 need Node 22');
  });
});
