import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { credentialsFilePath } from '../../../../src/outputs/credentialsFile/credentialsFilePath.js';

describe('credentialsFilePath', () => {
  it('is ~/.aws/credentials without AWS_SHARED_CREDENTIALS_FILE', () => {
    expect(credentialsFilePath({ HOME: tmpdir() })).toBe(join(tmpdir(), '.aws/credentials'));
  });

  it('refuses a home folder that does not exist for that path (HOME=/nonexistent) and for AWS_SHARED_CREDENTIALS_FILE=~/…, not for a path given in full', () => {
    const missing = join(tmpdir(), 'no-such-home');
    expect(() => credentialsFilePath({ HOME: missing })).toThrow(
      `unable to write the credentials file ${missing}/.aws/credentials: the home folder "${missing}" does not exist (make it, or set AWS_SHARED_CREDENTIALS_FILE)`,
    );
    expect(credentialsFilePath({ HOME: missing, AWS_SHARED_CREDENTIALS_FILE: '/etc/aws/credentials' })).toBe('/etc/aws/credentials');
    // `~/` is that home folder all the same (QA: it was made).
    expect(() => credentialsFilePath({ HOME: missing, AWS_SHARED_CREDENTIALS_FILE: '~/.aws/credentials' })).toThrow(
      `unable to write the credentials file ${missing}/.aws/credentials (AWS_SHARED_CREDENTIALS_FILE ~/.aws/credentials): the home folder "${missing}" does not exist (make it, or give the path in full)`,
    );
  });

  it('expands $NAME, ${NAME} and then ~/ as botocore does, leaving a variable not set as written', () => {
    const env = { HOME: tmpdir(), STAGE: 'prod', AWS_SHARED_CREDENTIALS_FILE: '~/.aws/$STAGE/${STAGE}-credentials.$UNSET' };
    expect(credentialsFilePath(env)).toBe(join(tmpdir(), '.aws/prod/prod-credentials.$UNSET'));
    expect(credentialsFilePath({ HOME: tmpdir(), CREDS: '~/c', AWS_SHARED_CREDENTIALS_FILE: '$CREDS' })).toBe(join(tmpdir(), 'c'));
  });

  it('refuses ~user/, which botocore reads as that user\'s home', () => {
    expect(() => credentialsFilePath({ AWS_SHARED_CREDENTIALS_FILE: '~root/credentials' })).toThrow(
      'unable to use AWS_SHARED_CREDENTIALS_FILE ~root/credentials: a ~user path is not expanded here; give the path in full',
    );
  });
});
