import { describe, expect, it } from 'vitest';
import { npmRebuildCommand } from '../../src/npmRebuild.js';

describe('npmRebuildCommand', () => {
  it('names the folder whose node_modules holds the package, from the package folder or a file in it', () => {
    expect(npmRebuildCommand('/srv/app/node_modules/pkcs11js/index.js', 'pkcs11js')).toBe('npm rebuild --ignore-scripts=false --prefix /srv/app pkcs11js');
    expect(npmRebuildCommand('/usr/lib/node_modules/roles-anywhere-helper/node_modules/pkcs11js/index.js', 'pkcs11js')).toBe(
      'npm rebuild --ignore-scripts=false --prefix /usr/lib/node_modules/roles-anywhere-helper pkcs11js',
    );
    expect(npmRebuildCommand('/usr/lib/node_modules/roles-anywhere-helper', 'roles-anywhere-helper')).toBe('npm rebuild --ignore-scripts=false --prefix /usr/lib roles-anywhere-helper');
  });

  it('quotes a folder a shell would split or read, and finds nothing outside node_modules', () => {
    expect(npmRebuildCommand("/home/o'neil/my app/node_modules/pkcs11js/index.js", 'pkcs11js')).toBe(`npm rebuild --ignore-scripts=false --prefix '/home/o'\\''neil/my app' pkcs11js`);
    expect(npmRebuildCommand('/node_modules/pkcs11js', 'pkcs11js')).toBe('npm rebuild --ignore-scripts=false --prefix / pkcs11js');
    expect(npmRebuildCommand('/work/roles-anywhere-helper', 'roles-anywhere-helper')).toBeUndefined();
    expect(npmRebuildCommand('/srv/node_modules/pkcs11js-other/index.js', 'pkcs11js')).toBeUndefined();
  });
});
