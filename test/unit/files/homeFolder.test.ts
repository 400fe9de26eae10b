import { describe, expect, it, vi } from 'vitest';
import { homeFolder } from '../../../src/files/homeFolder.js';
import { databaseHome } from '../../support/databaseHome.js';

describe('homeFolder', () => {
  it("is HOME as given, else the user database's home, as the Go SDK and the AWS CLI find it", () => {
    expect(homeFolder({ HOME: '/home/someone' })).toBe('/home/someone');
    expect(homeFolder({ HOME: 'relative' })).toBe('relative');
    // The environment given, not the process's (os.homedir() would read the process's HOME).
    vi.stubEnv('HOME', '/not/the/user/database');
    try {
      expect(homeFolder({})).toBe(databaseHome()); // none for a user without an entry
      expect(homeFolder({ HOME: '' })).toBe(databaseHome());
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('is none where the user database gives an empty home folder, rather than "" (mutation testing)', () => {
    const builtin = process.getBuiltinModule.bind(process);
    const spy = vi.spyOn(process, 'getBuiltinModule').mockImplementation(((id: string) =>
      id === 'node:os' ? { userInfo: () => ({ homedir: '' }) } : builtin(id)) as typeof process.getBuiltinModule);
    try {
      expect(homeFolder({})).toBeUndefined();
      expect(homeFolder({ HOME: '/home/someone' })).toBe('/home/someone');
    } finally {
      spy.mockRestore();
    }
  });
});
