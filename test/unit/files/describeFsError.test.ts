import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { describeFsError } from '../../../src/files/describeFsError.js';
import { listenFailure } from '../../../src/outputs/httpServer/listenFailure.js';

const errno = (code: string, message: string) => Object.assign(new Error(message), { code });

describe('file system failures in words', () => {
  it('says too many open files, without the code and the path (QA: ulimit -n 20)', () => {
    expect(describeFsError(errno('EMFILE', "EMFILE: too many open files, open '/x/y'"))).toBe('too many open files');
    expect(listenFailure(errno('EMFILE', 'listen EMFILE: too many open files 127.0.0.1:9911'))).toBe('too many open files');
  });

  it("says what Node's permission model (--permission) refused and the flag that allows it, the path only where paths are shown", () => {
    const denied = (permission: string, resource: string) => Object.assign(errno('ERR_ACCESS_DENIED', 'Access to this API has been restricted'), { permission, resource });
    expect(describeFsError(denied('FileSystemRead', '/tmp'))).toBe("Node's --permission denies it (/tmp): allow it with --allow-fs-read");
    expect(describeFsError(denied('FileSystemWrite', '/x/creds.lock'))).toBe("Node's --permission denies it (/x/creds.lock): allow it with --allow-fs-write");
    expect(describeFsError(denied('FileSystemRead', '/run/secrets/pin'), false)).toBe("Node's --permission denies it: allow it with --allow-fs-read");
  });

  it('names the working folder for a missing relative path only', () => {
    const missing = (path: string) => Object.assign(errno('ENOENT', `ENOENT: no such file or directory, open '${path}'`), { path });
    expect(describeFsError(missing('/etc/none.pem'))).toBe('no such file or directory');
    expect(describeFsError(missing('none.pem'))).toBe(`no such file or directory (a relative path, looked for in the working folder ${process.cwd()})`);
    expect(describeFsError(errno('ENOENT', 'ENOENT: no such file or directory'))).toBe('no such file or directory');
    expect(describeFsError(missing('none.pem'), false)).toBe('no such file or directory');
    // A working folder removed since start: process.cwd() throws, and the message goes without it (review).
    const cwd = vi.spyOn(process, 'cwd').mockImplementation(() => {
      throw errno('ENOENT', 'ENOENT: process.cwd failed with error no such file or directory, the current working directory was likely removed');
    });
    try {
      expect(describeFsError(missing('none.pem'))).toBe('no such file or directory (a relative path, and the working folder has been removed)');
      expect(describeFsError(missing('/etc/none.pem'))).toBe('no such file or directory');
    } finally {
      cwd.mockRestore();
    }
  });

  it('says that a missing path begins or ends with a space or a tab, which a message shows as nothing (QA: `"$CERT"` from a file with a trailing blank)', () => {
    const missing = (path: string) => Object.assign(errno('ENOENT', `ENOENT: no such file or directory, open '${path}'`), { path });
    expect(describeFsError(missing('/etc/cert.pem '))).toBe('no such file or directory (it ends in a space)');
    expect(describeFsError(missing('/etc/cert.pem\t'))).toBe('no such file or directory (it ends in a tab)');
    expect(describeFsError(missing(' cert.pem'))).toBe('no such file or directory (it begins with a space)');
    expect(describeFsError(missing('/etc/my cert.pem'))).toBe('no such file or directory');
    expect(describeFsError(missing(' cert.pem'), false)).toBe('no such file or directory');
  });

  it('says what a shell would have done to a missing path: ~ and $NAME unexpanded, typographic quotes kept (QA: credential_process lines of real-world configs)', () => {
    const missing = (path: string) => Object.assign(errno('ENOENT', `ENOENT: no such file or directory, open '${path}'`), { path });
    // botocore splits credential_process with shlex and runs it without a shell (aws_signing_helper issue #151: ~/.ssh/client.crt).
    const tilde = "no such file or directory (~ is left as written, as no shell expanded it: the AWS CLI, systemd and a Dockerfile's exec-form CMD run commands without one)";
    expect(describeFsError(missing('~/.ssh/client.crt'))).toBe(tilde);
    expect(describeFsError(missing('~alice/client.crt'))).toBe(tilde);
    const variable = "no such file or directory ($HOME is left as written, as no shell expanded it: the AWS CLI, systemd and a Dockerfile's exec-form CMD run commands without one)";
    expect(describeFsError(missing('$HOME/client.crt'))).toBe(variable);
    expect(describeFsError(missing('${HOME}/client.crt'))).toBe(variable.replace('$HOME', '${HOME}'));
    expect(describeFsError(missing('\u201c/etc/pki/client.crt\u201d'))).toBe(
      'no such file or directory (it is in typographic quotes, which no shell removes: use " or \')',
    );
    expect(describeFsError(missing('~/x.pem'), false)).toBe('no such file or directory');
  });

  it('says a file too large and a quota exceeded in words (QA: ulimit -f 1 printed EFBIG as Node says it)', () => {
    expect(describeFsError(errno('EFBIG', "EFBIG: file too large, write"))).toBe('file too large (past the file size limit, ulimit -f, or what the file system takes)');
    expect(describeFsError(errno('EDQUOT', "EDQUOT: disk quota exceeded, write"))).toBe('disk quota exceeded');
    // What Node really gives on Linux, where libuv has no name for EDQUOT (QA: write and fsync failed with it by strace).
    if (process.platform === 'linux') {
      expect(describeFsError(Object.assign(errno('UNKNOWN', 'UNKNOWN: unknown error, write'), { errno: -122 }))).toBe('disk quota exceeded');
      expect(describeFsError(Object.assign(errno('Unknown system error -122', 'Unknown system error -122: Unknown system error -122, fsync'), { errno: -122 }))).toBe('disk quota exceeded');
    }
  });

  it('names the file on the way that is not a folder, and what it is (QA: HOME=/dev/null, a cache folder that is a FIFO)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rah-notdir-'));
    try {
      const file = join(dir, 'file');
      writeFileSync(file, '');
      const notDir = (path: string) => Object.assign(errno('ENOTDIR', `ENOTDIR: not a directory, open '${path}'`), { path });
      expect(describeFsError(notDir(`${file}/credentials`))).toBe(`${file} is a regular file, not a folder`);
      expect(describeFsError(notDir(`${file}/`))).toBe(`${file} is a regular file, not a folder`);
      expect(describeFsError(notDir('/dev/null/.aws/credentials'))).toBe('/dev/null is a character device, not a folder');
      const cwd = vi.spyOn(process, 'cwd').mockReturnValue(dir);
      try {
        expect(describeFsError(notDir('file/x'))).toBe(`${dir}/file is a regular file, not a folder`);
      } finally {
        cwd.mockRestore();
      }
      expect(describeFsError(notDir(`${file}/credentials`), false)).toBe('a component of the path is not a directory');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('says symbolic links in a loop in words (QA: `--certificate loop` printed ELOOP as Node says it)', () => {
    expect(describeFsError(errno('ELOOP', "ELOOP: too many symbolic links encountered, open '/x/loop'"))).toBe('its symbolic links make a loop (or pass through more than 40)');
  });

  it("keeps Node's description of a failure it has no words of its own for, without the path", () => {
    expect(describeFsError(errno('EBUSY', "EBUSY: resource busy or locked, rename '/a' -> '/b'"))).toBe('EBUSY: resource busy or locked');
  });
});
