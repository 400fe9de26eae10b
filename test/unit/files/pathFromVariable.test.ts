import { describe, expect, it } from 'vitest';
import { pathFromVariable } from '../../../src/files/pathFromVariable.js';

// AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE as botocore reads them (mutation testing: no unit test read them).
describe('pathFromVariable', () => {
  const home = () => '/home/me';
  const read = (value: string | undefined, env: Record<string, string> = {}, homeOf: () => string | undefined = home) => pathFromVariable({ ...env, AWS_CONFIG_FILE: value }, 'AWS_CONFIG_FILE', homeOf);

  it('is none when the variable is not set, or empty', () => {
    expect(read(undefined)).toBeUndefined();
    expect(read('')).toBeUndefined();
  });

  it('expands $NAME and ${NAME}, and leaves one not set as written, as os.path.expandvars does', () => {
    const env = { CONF: '/etc/aws', X_1: 'x' };
    expect(read('$CONF/config', env)).toBe('/etc/aws/config');
    expect(read('${CONF}/config.${X_1}', env)).toBe('/etc/aws/config.x');
    expect(read('$UNSET/config ${UNSET}', env)).toBe('$UNSET/config ${UNSET}');
    // A value that expands to nothing is none.
    expect(read('$EMPTY', { EMPTY: '' })).toBeUndefined();
  });

  it('takes a leading ~/ to the home folder, and leaves ~ alone elsewhere or without a home folder', () => {
    expect(read('~/.aws/config')).toBe('/home/me/.aws/config');
    // Expanded first: a variable holding ~ leads to the home folder too.
    expect(read('$HOME_LIKE/config', { HOME_LIKE: '~' })).toBe('/home/me/config');
    expect(read('~other/config')).toBe('~other/config');
    expect(read('/x/~/config')).toBe('/x/~/config');
    expect(read('~/.aws/config', {}, () => undefined)).toBe('~/.aws/config');
  });
});
