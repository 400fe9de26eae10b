import { describe, expect, it } from 'vitest';
import { installProblem, reasonOf } from '../../src/errors.js';

/** Node's error for a require() that finds nothing. */
const notFound = (module: string, requireStack: string[]) =>
  Object.assign(new Error(`Cannot find module '${module}'\nRequire stack:\n- ${requireStack.join('\n- ')}`), { code: 'MODULE_NOT_FOUND', requireStack });

describe('installProblem', () => {
  const restart = '(upgraded under this process?): restart it, or install again';

  it("names a bundle missing beside the one that requires it, or the bin's, in one line", () => {
    const nested = notFound('./keys.tpm.tpmKeySource.cjs', ['/app/node_modules/roles-anywhere-helper/dist/keys.cjs', '/app/main.js']);
    expect(installProblem(nested)).toBe(`roles-anywhere-helper in /app/node_modules/roles-anywhere-helper/dist is missing keys.tpm.tpmKeySource.cjs ${restart}`);
    expect(reasonOf(nested)).toBe(installProblem(nested));
    const fromBin = notFound('/usr/lib/node_modules/roles-anywhere-helper/dist/cli.commands.serve.run.cjs', ['/usr/lib/node_modules/roles-anywhere-helper/bin/aws_signing_helper.cjs']);
    expect(installProblem(fromBin)).toBe(`roles-anywhere-helper in /usr/lib/node_modules/roles-anywhere-helper/dist is missing cli.commands.serve.run.cjs ${restart}`);
  });

  it("says what Node's permission model (--permission) refused, where nothing caught it: a dependency's module outside the folders allowed, a program run", () => {
    const denied = (permission: string, resource: string, message = 'Access to this API has been restricted') =>
      Object.assign(new Error(message), { code: 'ERR_ACCESS_DENIED', permission, resource });
    expect(installProblem(denied('FileSystemRead', '/app/node_modules/proper-lockfile/index.js'))).toBe(
      "Node's --permission denies it (/app/node_modules/proper-lockfile/index.js): allow it with --allow-fs-read",
    );
    const program = denied('ChildProcess', 'tpm2_sign', 'Access to this API has been restricted. Use --allow-child-process to manage permissions.');
    expect(installProblem(program)).toBe("Node's --permission denies it: Access to this API has been restricted. Use --allow-child-process to manage permissions.");
  });

  it("says what Deno's permissions refused (run with --allow-env=HOME, say) in Deno's words, which name the flag", () => {
    const denied = Object.assign(new Error('Requires env access to "AWS_CONFIG_FILE", run again with the --allow-env flag'), { name: 'NotCapable' });
    expect(installProblem(denied)).toBe('Requires env access to "AWS_CONFIG_FILE", run again with the --allow-env flag');
  });

  it("is not about a package that is not installed (pkcs11js), nor another program's file, nor any other error", () => {
    expect(installProblem(notFound('pkcs11js', ['/app/node_modules/roles-anywhere-helper/dist/keys.pkcs11.pkcs11KeySource.cjs']))).toBeUndefined();
    expect(installProblem(notFound('./plugin.cjs', ['/app/src/main.cjs']))).toBeUndefined();
    expect(installProblem(new Error('ENOENT: no such file or directory'))).toBeUndefined();
    expect(installProblem('a string')).toBeUndefined();
  });
});
