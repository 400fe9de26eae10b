import { afterAll, describe, expect, it } from 'vitest';
import { commandLineRole, keyOf, readRolesFile } from '../../../../../src/cli/commands/serve/rolesFile.js';
import { parseFlags } from '../../../../../src/cli/commandLine.js';
import { SERVE_FLAGS } from '../../../../../src/cli/commands/serve/flags.js';
import { Workspace } from '../../../../support/scenario.js';

const workspace = new Workspace();
afterAll(() => workspace.cleanup());

const CLI_ARGS = ['--certificate', 'cli.pem', '--private-key', 'cli-key.pem', '--pkcs8-password', 'pw', '--trust-anchor-arn', 'arn:ta', '--profile-arn', 'arn:profile', '--session-duration', '7200'];
const commandLine = parseFlags(CLI_ARGS, SERVE_FLAGS).values;

let files = 0;
function rolesFile(content: unknown, mode?: number): string {
  return workspace.write(`roles-${files++}.json`, typeof content === 'string' || Buffer.isBuffer(content) ? content : JSON.stringify(content), mode);
}

describe('readRolesFile (serve --roles-file)', () => {
  it('each role takes the command line\'s settings it leaves out, and is named after its role ARN unless named', () => {
    const path = rolesFile({
      roles: [
        { 'role-arn': 'arn:aws:iam::1:role/path/reader' },
        { name: 'deploy', 'role-arn': 'arn:aws:iam::1:role/deployer', 'profile-arn': 'arn:other', 'session-duration': 900 },
      ],
    });
    const [reader, deploy] = readRolesFile(path, commandLine);
    expect(reader).toMatchObject({ name: 'reader', origin: `role 1 ("reader") of roles file ${path}` });
    expect(reader!.flags).toMatchObject({ 'role-arn': 'arn:aws:iam::1:role/path/reader', 'profile-arn': 'arn:profile', certificate: 'cli.pem', 'session-duration': 7200 });
    expect(deploy!.name).toBe('deploy');
    expect(deploy!.flags).toMatchObject({ 'profile-arn': 'arn:other', 'session-duration': 900, 'trust-anchor-arn': 'arn:ta', certificate: 'cli.pem', 'pkcs8-password': 'pw' });
  });

  it("a role's session tags and transitive tag keys are its own settings", () => {
    const tags = { 'assume-role-arn': 'arn:aws:iam::2:role/d', 'assume-role-tag': ['team=payments'], 'assume-role-transitive-tag-key': ['team'] };
    const [role] = readRolesFile(rolesFile({ roles: [{ 'role-arn': 'arn:aws:iam::1:role/r', ...tags }] }), commandLine);
    expect(role!.flags).toMatchObject(tags);
  });

  it('a mistake in the JSON is placed by line and column, its text not quoted (it may be a password)', () => {
    const path = rolesFile('{"roles": [\n  {"role-arn": "arn:aws:iam::1:role/r", "pkcs8-password": hunter2}\n]}');
    expect(() => readRolesFile(path, commandLine)).toThrow(`unable to parse roles file ${path}: not valid JSON at line 2, column 59`);
    expect(() => readRolesFile(path, commandLine)).not.toThrow(/hunter/);
  });

  it('a file that is not UTF-8 is refused, by its line, not read with its bytes as U+FFFD (QA: a Latin-1 name or password was refused or tried as another)', () => {
    const latin1 = rolesFile(Buffer.from('{"roles": [\n  {"name": "r\xe9le", "pkcs8-password": "p\xe4ss"}\n]}', 'latin1'));
    expect(() => readRolesFile(latin1, commandLine)).toThrow(`unable to parse roles file ${latin1}: not UTF-8 text at line 2 (save it as UTF-8)`);
    // As PowerShell 5's Out-File and > write it: QA, said to be invalid JSON at line 1, column 1.
    for (const bom of ['\ufeff', '']) {
      const utf16 = rolesFile(Buffer.from(`${bom}{"roles": [{}]}`, 'utf16le'));
      expect(() => readRolesFile(utf16, commandLine)).toThrow(`unable to parse roles file ${utf16}: it is UTF-16 text (save it as UTF-8)`);
    }
  });

  it('a key given twice in one object is refused, naming it and where (JSON.parse would keep the last one silently)', () => {
    const path = rolesFile('{"roles": [\n  {"name": "a", "role-arn": "arn:aws:iam::1:role/r",\n   "role-arn": "arn:aws:iam::1:role/s"}\n]}');
    expect(() => readRolesFile(path, commandLine)).toThrow(`roles file ${path}: "role-arn" is given twice in one object, the second time at line 3, column 4`);
  });

  it('a file holding a password is refused when its group or others may read it, as a password file is; one without, or of mode 0600, is not', () => {
    const roles = { roles: [{ 'role-arn': 'arn:aws:iam::1:role/a' }, { 'role-arn': 'arn:aws:iam::1:role/b', certificate: 'b.pem', 'private-key': 'b.pem', 'pkcs8-password': 'hunter2' }] };
    const shared = rolesFile(roles, 0o644);
    expect(() => readRolesFile(shared, commandLine)).toThrow(
      `unable to use roles file ${shared}: role b's "pkcs8-password" is in it, and it is readable by its group and others (mode 0644); make it readable by its owner only (chmod 600)`,
    );
    expect(readRolesFile(rolesFile(roles, 0o600), commandLine)).toHaveLength(2);
    const pinInUri = rolesFile({ roles: [{ 'role-arn': 'arn:aws:iam::1:role/a', certificate: 'c.pem', 'private-key': 'pkcs11:token=t;object=k?pin-value=1234' }] }, 0o604);
    expect(() => readRolesFile(pinInUri, commandLine)).toThrow(
      `unable to use roles file ${pinInUri}: role a's "private-key" (a PIN in its pin-value) is in it, and it is readable by others (mode 0604); make it readable by its owner only (chmod 600)`,
    );
    // The command line's password (CLI_ARGS) is not in the file: the file may be read by others.
    expect(readRolesFile(rolesFile({ roles: [{ 'role-arn': 'arn:aws:iam::1:role/a' }] }, 0o644), commandLine)).toHaveLength(1);
  });

  it('a setting beside "roles" is refused, naming it, not left unread', () => {
    const path = rolesFile({ roles: [{ 'role-arn': 'arn:aws:iam::1:role/r' }], 'session-duration': 900 });
    expect(() => readRolesFile(path, commandLine)).toThrow(
      `roles file ${path}: unknown setting "session-duration" beside "roles" (a role's settings go in the role; the rest are the command line's flags)`,
    );
  });

  it('"roles" misspelt is named as such, not said to be beside a "roles" the file does not have (QA)', () => {
    for (const typo of ['Roles', 'role', 'rols']) {
      const path = rolesFile({ [typo]: [{ 'role-arn': 'arn:aws:iam::1:role/r' }] });
      expect(() => readRolesFile(path, commandLine)).toThrow(`roles file ${path}: unknown setting "${typo}" (did you mean "roles"?)`);
    }
    const other = rolesFile({ 'role-arn': 'arn:aws:iam::1:role/r' });
    expect(() => readRolesFile(other, commandLine)).toThrow(`roles file ${other}: unknown setting "role-arn" (the roles go under "roles": {"roles": [{"role-arn": "…"}, …]})`);
  });

  it('standard input is read by one key only: two keys that say - are refused; roles sharing one key may', () => {
    const stdinCli = parseFlags([...CLI_ARGS.slice(0, 2), '--private-key', '-', ...CLI_ARGS.slice(4)], SERVE_FLAGS).values;
    const shared = rolesFile({ roles: [{ 'role-arn': 'arn:aws:iam::1:role/a' }, { 'role-arn': 'arn:aws:iam::1:role/b' }] });
    expect(readRolesFile(shared, stdinCli)).toHaveLength(2);
    // The first role of each key is named, not a later one sharing it (mutation QA: untested with one sharing).
    const two = rolesFile({ roles: [{ 'role-arn': 'arn:aws:iam::1:role/a' }, { 'role-arn': 'arn:aws:iam::1:role/a2' }, { 'role-arn': 'arn:aws:iam::1:role/b', certificate: 'b.pem', 'private-key': '-' }] });
    expect(() => readRolesFile(two, stdinCli)).toThrow(
      `standard input can be read once, and role a's --private-key and role b's "private-key" (roles file ${two}) both say -: give one of them a file or env:NAME`,
    );
  });

  it('roles that name one key file, spelt otherwise, share one key: one password prompt, one PKCS#11 login (QA: ./key.pem and key.pem asked twice)', () => {
    const path = rolesFile(
      { roles: [{ 'role-arn': 'arn:aws:iam::1:role/a' }, { 'role-arn': 'arn:aws:iam::1:role/b', certificate: './cli.pem', 'private-key': `${process.cwd()}/cli-key.pem`, 'pkcs8-password': 'pw' }] },
      0o600,
    );
    const [a, b] = readRolesFile(path, commandLine);
    expect(keyOf(b!)).toBe(keyOf(a!));
    // Inputs that are not paths stay as they are: standard input, a variable, the agent, a URI.
    // Mutation QA: a scheme in capitals, and a URI holding a line break, were untested.
    const notPaths = [['-', './-'], ['ssh-agent', './ssh-agent'], ['env:KEY', './env:KEY'], ['pkcs11:object=k', './pkcs11:object=k'], ['PKCS11:object=k', './PKCS11:object=k'], ['pkcs11:object=a\nb', './pkcs11:object=a\nb']];
    for (const [key, other] of notPaths) {
      const [first, second] = readRolesFile(rolesFile({ roles: [{ name: 'a', certificate: 'c.pem', 'private-key': key }, { name: 'b', certificate: 'c.pem', 'private-key': other }] }), commandLine);
      expect(keyOf(first!), key).not.toBe(keyOf(second!));
    }
    // Nor is a setting that is no path, such as a password, however it reads as one (mutation QA: untested).
    const [pw, dotPw] = readRolesFile(rolesFile({ roles: [{ name: 'a', certificate: 'c.pem', 'private-key': 'k.pem', 'pkcs8-password': 'pw' }, { name: 'b', certificate: 'c.pem', 'private-key': 'k.pem', 'pkcs8-password': './pw' }] }, 0o600), commandLine);
    expect(keyOf(pw!)).not.toBe(keyOf(dotPw!));
  });

  it('a PKCS#11 module named without a folder is not the file of that name here: dlopen looks for it where the system keeps libraries (review)', () => {
    const module = (lib: string) => ({ 'role-arn': 'arn:aws:iam::1:role/a', certificate: 'pkcs11:object=c', 'private-key': 'pkcs11:object=k', 'pkcs11-lib': lib });
    const [bare, here, relative] = readRolesFile(rolesFile({ roles: [{ name: 'a', ...module('libx.so') }, { name: 'b', ...module(`${process.cwd()}/libx.so`) }, { name: 'c', ...module('./libx.so') }] }), commandLine);
    expect(keyOf(bare!)).not.toBe(keyOf(here!));
    expect(keyOf(relative!)).toBe(keyOf(here!));
  });

  it('a role with a key of its own takes none of the command line\'s key settings', () => {
    const path = rolesFile({ roles: [{ 'role-arn': 'arn:aws:iam::1:role/r', certificate: 'own.pem', 'private-key': 'own-key.pem' }] });
    const [role] = readRolesFile(path, commandLine);
    expect(role!.flags).toMatchObject({ certificate: 'own.pem', 'private-key': 'own-key.pem', 'pkcs8-password': undefined, 'reuse-pin': false, 'trust-anchor-arn': 'arn:ta' });
  });

  it("a role with a key of its own takes none of the command line's password files, certificate selector or store settings", () => {
    const storeAndFiles = parseFlags(
      [
        '--cert-selector', 'Key=x509Subject,Value=CN=app', '--system-store-name', 'Other', '--use-latest-expiring-certificate',
        '--pkcs8-password-file', 'p8.pw', '--pkcs12-password-file', 'p12.pw', '--tpm-key-password-file', 'tpm.pw',
        '--trust-anchor-arn', 'arn:ta', '--profile-arn', 'arn:profile',
      ],
      SERVE_FLAGS,
    ).values;
    const path = rolesFile({ roles: [{ 'role-arn': 'arn:aws:iam::1:role/r', certificate: 'own.pem', 'private-key': 'own-key.pem' }] });
    const [role] = readRolesFile(path, storeAndFiles);
    expect(role!.flags).toMatchObject({
      certificate: 'own.pem',
      'private-key': 'own-key.pem',
      'cert-selector': undefined,
      'system-store-name': 'MY',
      'use-latest-expiring-certificate': false,
      'pkcs8-password-file': undefined,
      'pkcs12-password-file': undefined,
      'tpm-key-password-file': undefined,
      'trust-anchor-arn': 'arn:ta',
    });
  });

  // Consistency QA: it said to give the role a "name", and then the ARN was refused. Its session, made before serve
  // listens, refuses the ARN (test/e2e/serve.roles.test.ts); the role is placed without a name meanwhile.
  it('leaves a role named after an ARN that is none to its session, which refuses that ARN', () => {
    const path = rolesFile({ roles: [{ 'role-arn': 'arn:aws:iam::123456789012:role/has space' }, { 'role-arn': 'arn:aws:iam::1:role/' }] });
    expect(readRolesFile(path, commandLine).map((role) => role.origin)).toEqual([`role 1 of roles file ${path}`, `role 2 of roles file ${path}`]);
  });

  // Review: two such roles (a templated "role/${ROLE}" left unset) were told they were both named "", to be given
  // "name"s, after which their ARN was refused all the same.
  it('does not call two roles named after ARNs that are none the same name: their sessions refuse those ARNs', () => {
    const path = rolesFile({ roles: [{ 'role-arn': 'arn:aws:iam::123456789012:role/' }, { 'role-arn': 'arn:aws:iam::123456789012:role/' }] });
    expect(readRolesFile(path, commandLine).map((role) => role.origin)).toEqual([`role 1 of roles file ${path}`, `role 2 of roles file ${path}`]);
  });

  it.each([
    ['{"roles": [', /^unable to parse roles file \S+: not valid JSON at line 1, column 12$/],
    ['\ufeff{"roles": []}', /^unable to parse roles file \S+: not valid JSON: it starts with a byte order mark \(save it without one\)$/],
    [{}, /^roles file \S+ holds no roles: it must be \{"roles": \[\{"role-arn": "…"\}, …\]\} with at least one role$/],
    [{ roles: [] }, /holds no roles/],
    [{ roles: ['reader'] }, /^role 1 of roles file \S+ is not an object of settings$/],
    [{ roles: [{ 'role-arn': 'arn:aws:iam::1:role/r', debug: true }] }, /^role 1 of roles file \S+: unknown setting "debug" \(the settings are name, role-arn, /],
    [{ roles: [{ 'role-arn': 'arn:aws:iam::1:role/r', 'session-duration': '900' }] }, /^role 1 of roles file \S+: "session-duration" must be an integer$/],
    // A number that is no integer too (mutation QA: only a string was tried).
    [{ roles: [{ 'role-arn': 'arn:aws:iam::1:role/r', 'assume-role-duration': 900.5 }] }, /^role 1 of roles file \S+: "assume-role-duration" must be an integer$/],
    [{ roles: [{ 'role-arn': 'arn:aws:iam::1:role/r', 'reuse-pin': 'yes' }] }, /: "reuse-pin" must be true or false$/],
    // Consistency QA: it sent the request to the Region's own endpoint, not the command line's, where an empty "sts-endpoint" (and the library's endpoint) is refused.
    [{ roles: [{ 'role-arn': 'arn:aws:iam::1:role/r', endpoint: '' }] }, /^role 1 of roles file \S+: invalid "endpoint" "": it is empty \(leave it out for --endpoint's, or the Region's own without it\)$/],
    [{ roles: [{ name: 'a/b', 'role-arn': 'arn:aws:iam::1:role/r' }] }, /^role 1 of roles file \S+: invalid name "a\/b": it must be 1 to 64 ASCII letters, digits and \+=,\.@_- \(as IAM role names\)$/],
    [{ roles: [{}] }, /^role 1 of roles file \S+: no "role-arn" to name it by: give it a "role-arn" \(or --role-arn\)$/],
    // Fuzzing QA: it said there was no "role-arn"; and a key of 200 KB was quoted whole (2,000 characters here: the test's title holds it).
    [{ roles: [{ 'role-arn': 'arn:aws:iam::1:role/r', ['k'.repeat(2_000)]: 1 }] }, new RegExp(`: unknown setting "${'k'.repeat(80)}…" \\(`)],
    // QA: which two, by their places (a long file's default names, from the ARNs, are hard to find).
    [
      { roles: [{ 'role-arn': 'arn:aws:iam::1:role/r' }, { 'role-arn': 'arn:aws:iam::1:role/s' }, { 'role-arn': 'arn:aws:iam::2:role/r' }] },
      /^roles file \S+: roles 1 and 3 are both named "r": give them distinct "name"s$/,
    ],
    // QA: the file holds a role, only not under "roles".
    [[{ 'role-arn': 'arn:aws:iam::1:role/r' }], /^roles file \S+: the roles must be under "roles": \{"roles": \[\{"role-arn": "…"\}, …\]\}, not a list alone$/],
    // QA: the settings are named as the file's, not as flags.
    [
      { roles: [{ 'role-arn': 'arn:aws:iam::1:role/r', 'tpm-key-password': 'a', 'no-tpm-key-password': true }] },
      /^role 1 of roles file \S+: "no-tpm-key-password" and "tpm-key-password" cannot be used together$/,
    ],
    [{ roles: {} }, /^roles file \S+: "roles" must be a list of roles: \{"roles": \[\{"role-arn": "…"\}, …\]\}$/],
    [{ roles: 'reader' }, /: "roles" must be a list of roles/],
    [
      { roles: [{ name: 'a', 'role-arn': 'arn:aws:iam::1:role/r', fallback: ['trust-anchor-arn=arn:ta-2,profile-arn=arn:p-2', 'bogus'] }] },
      /^role 1 \("a"\) of roles file \S+: invalid "fallback" #2 "bogus": "bogus" is not key=value \(expected trust-anchor-arn=ARN,profile-arn=ARN\[,endpoint=URL\]\[,sts-endpoint=URL\]\)$/,
    ],
    [
      { roles: [{ name: 'a', 'role-arn': 'arn:aws:iam::1:role/r', 'assume-role-arn': 'arn:aws:iam::2:role/d', 'assume-role-tag': ['team=x', 'team'] }] },
      /^role 1 \("a"\) of roles file \S+: invalid "assume-role-tag" "team": it is not KEY=VALUE$/,
    ],
    [{ roles: [{ 'role-arn': 'arn:aws:iam::1:role/r', 'assume-role-tag': 'team=x' }] }, /^role 1 of roles file \S+: "assume-role-tag" must be a list of strings$/],
  ])('refuses %j, naming the file and the role', (content, message) => {
    expect(() => readRolesFile(rolesFile(content), commandLine)).toThrow(message);
  });

  describe('with --fallback, which names the command line\'s trust anchor and profile in other Regions', () => {
    const withFallback = parseFlags([...CLI_ARGS, '--fallback', 'trust-anchor-arn=arn:ta-west,profile-arn=arn:profile-west'], SERVE_FLAGS).values;
    const roles = (...entries: object[]) => readRolesFile(rolesFile({ roles: entries.map((entry, i) => ({ name: `r${i}`, 'role-arn': 'arn:aws:iam::1:role/r', ...entry })) }), withFallback);

    it('a role of the command line\'s trust anchor and profile takes it', () => {
      const [role, same] = roles({}, { 'profile-arn': 'arn:profile', 'trust-anchor-arn': 'arn:ta' });
      expect(role!.flags.fallback).toEqual(['trust-anchor-arn=arn:ta-west,profile-arn=arn:profile-west']);
      expect(same!.flags.fallback).toEqual(['trust-anchor-arn=arn:ta-west,profile-arn=arn:profile-west']);
    });

    it.each([['profile-arn', 'arn:restricted'], ['trust-anchor-arn', 'arn:other-ta']])(
      'a role with its own %s is refused, naming it and why, unless it gives its own "fallback" list',
      (setting, value) => {
        const path = rolesFile({ roles: [{ name: 'restricted', 'role-arn': 'arn:aws:iam::1:role/r', [setting]: value }] });
        expect(() => readRolesFile(path, withFallback)).toThrow(
          `role 1 ("restricted") of roles file ${path}: --fallback is for the command line's trust anchor and profile, and this role has its own "${setting}" ` +
            "(it would get another profile's permissions in the fallback Regions): give it its own \"fallback\" list, [] for none",
        );
        const [own, none] = roles({ [setting]: value, fallback: ['trust-anchor-arn=arn:ta-2,profile-arn=arn:restricted-west'] }, { [setting]: value, fallback: [] });
        expect(own!.flags.fallback).toEqual(['trust-anchor-arn=arn:ta-2,profile-arn=arn:restricted-west']);
        expect(none!.flags.fallback).toEqual([]);
      },
    );

    it('without --fallback, a role of its own profile needs none', () => {
      const [role] = readRolesFile(rolesFile({ roles: [{ 'role-arn': 'arn:aws:iam::1:role/r', 'profile-arn': 'arn:restricted' }] }), commandLine);
      expect(role!.flags.fallback ?? []).toEqual([]);
    });
  });

  describe('the command line\'s STS endpoints, --sts-endpoint and a --fallback\'s sts-endpoint part', () => {
    const FALLBACK = 'trust-anchor-arn=arn:ta-west, profile-arn=arn:profile-west';
    const withSts = parseFlags([...CLI_ARGS, '--sts-endpoint', 'http://127.0.0.1:8', '--fallback', `${FALLBACK}, sts-endpoint=http://127.0.0.1:9`], SERVE_FLAGS).values;
    const read = (...entries: object[]) => readRolesFile(rolesFile({ roles: entries.map((entry, i) => ({ name: `r${i}`, 'role-arn': 'arn:aws:iam::1:role/r', ...entry })) }), withSts);

    it('are the roles\' that chain, in a file where some do and some do not', () => {
      const [chained, plain] = read({ 'assume-role-arn': 'arn:aws:iam::2:role/deploy' }, {});
      expect(chained!.flags).toMatchObject({ 'sts-endpoint': 'http://127.0.0.1:8', fallback: [`${FALLBACK}, sts-endpoint=http://127.0.0.1:9`] });
      expect(plain!.flags).toMatchObject({ 'sts-endpoint': undefined, fallback: [FALLBACK] });
    });

    it('stay with every role where none chains, and a role\'s own stay with it: a mistake, said as without a roles file', () => {
      expect(read({}, {})[1]!.flags).toMatchObject({ 'sts-endpoint': 'http://127.0.0.1:8', fallback: [`${FALLBACK}, sts-endpoint=http://127.0.0.1:9`] });
      const own = read({ 'assume-role-arn': 'arn:aws:iam::2:role/deploy' }, { 'sts-endpoint': 'http://127.0.0.1:7', fallback: [`${FALLBACK},sts-endpoint=http://127.0.0.1:6`] })[1]!;
      expect(own.flags).toMatchObject({ 'sts-endpoint': 'http://127.0.0.1:7', fallback: [`${FALLBACK},sts-endpoint=http://127.0.0.1:6`] });
    });
  });

  it('a role\'s empty "assume-role-arn" takes it out of the command line\'s chaining, not out of the chaining settings it gives itself, which its session refuses (mutation QA: untested here)', () => {
    const chaining = parseFlags([...CLI_ARGS, '--assume-role-arn', 'arn:aws:iam::2:role/deploy', '--external-id', 'cli-id', '--assume-role-session-name', 'chained'], SERVE_FLAGS).values;
    const plain = { 'role-arn': 'arn:aws:iam::1:role/r', 'assume-role-arn': '' };
    const [bare, own] = readRolesFile(rolesFile({ roles: [{ name: 'bare', ...plain }, { name: 'own', ...plain, 'external-id': 'own-id' }] }), chaining);
    expect(bare!.flags).toMatchObject({ 'assume-role-arn': undefined, 'external-id': undefined, 'assume-role-session-name': undefined });
    expect(own!.flags).toMatchObject({ 'assume-role-arn': undefined, 'external-id': 'own-id', 'assume-role-session-name': undefined });
  });

  it('a role named . or .. is refused, naming the file and the role: clients remove such a path segment from the URL', () => {
    for (const name of ['.', '..']) {
      const named = rolesFile({ roles: [{ name: 'fine', 'role-arn': 'arn:aws:iam::1:role/r' }, { name, 'role-arn': 'arn:aws:iam::1:role/r' }] });
      expect(() => readRolesFile(named, commandLine)).toThrow(
        `role 2 of roles file ${named}: the name "${name}" cannot be asked for, as clients remove a path segment . or .. from a URL; give it another "name"`,
      );
    }
    const byArn = rolesFile({ roles: [{ 'role-arn': 'arn:aws:iam::1:role/path/..' }] });
    expect(() => readRolesFile(byArn, commandLine)).toThrow(
      `role 1 of roles file ${byArn}: the name ".." cannot be asked for, as clients remove a path segment . or .. from a URL; give it a "name"`,
    );
  });

  it('a file that is not there', () => {
    expect(() => readRolesFile(workspace.path('none.json'), commandLine)).toThrow(`unable to read roles file ${workspace.path('none.json')}: no such file or directory`);
  });

  it('a key, or a pkcs11: URI with its PIN, in a setting that takes neither is refused without quoting it (its check quoted it whole)', () => {
    const body = 'MIIEvgIBADANBgkqhkiG9w0BAQEFAASCBKgwggSkAgEAAoIBAQCbRkChpfkdWzOgZEjCATbIMdzkNaVczRYGn7zAUlNErU6SQlD9fPF7';
    const pem = `-----BEGIN PRIVATE KEY-----\n${body}\n-----END PRIVATE KEY-----\n`;
    const pinUri = 'pkcs11:token=t;object=k?pin-value=s3cr3tPIN';
    const cases: [Record<string, unknown>, string][] = [
      [{ 'role-arn': pem }, `role 1 of roles file PATH: invalid "role-arn" "PEM or base64 content (not shown)": a key or certificate goes in "certificate", "private-key" or "intermediates"`],
      [{ 'role-arn': 'arn:aws:iam::1:role/r', region: body }, `role 1 of roles file PATH: invalid "region" "PEM or base64 content (not shown)": a key or certificate goes in "certificate", "private-key" or "intermediates"`],
      [{ 'role-arn': pinUri }, `role 1 of roles file PATH: invalid "role-arn" "pkcs11:token=t;object=k?pin-value=***": a pkcs11: URI goes in "certificate" or "private-key"`],
      [{ 'role-arn': 'arn:aws:iam::1:role/r', name: pinUri }, `role 1 of roles file PATH: invalid "name" "pkcs11:token=t;object=k?pin-value=***": a pkcs11: URI goes in "certificate" or "private-key"`],
      [{ 'role-arn': 'arn:aws:iam::1:role/r', endpoint: pinUri }, `role 1 of roles file PATH: invalid "endpoint" "pkcs11:token=t;object=k?pin-value=***": a pkcs11: URI goes in "certificate" or "private-key"`],
      [{ 'role-arn': 'arn:aws:iam::1:role/r', fallback: ['us-west-2', pem] }, `role 1 of roles file PATH: invalid "fallback" #2 "PEM or base64 content (not shown)": a key or certificate goes in "certificate", "private-key" or "intermediates"`],
      [{ 'role-arn': 'https://u:s3cr3tPIN@host/x' }, `role 1 of roles file PATH: invalid "role-arn" "https://***@host/x": it is a URL with a user name or password`],
      [{ 'role-arn': 'arn:aws:iam::1:role/r', 'assume-role-arn': 'arn:aws:iam::1:role/d', 'assume-role-tag': [`k=${pinUri}`] }, `role 1 of roles file PATH: invalid "assume-role-tag" #1 "k=pkcs11:token=t;object=k?pin-value=***": a pkcs11: URI goes in "certificate" or "private-key"`],
    ];
    for (const [role, message] of cases) {
      const path = rolesFile({ roles: [role] }, 0o600);
      let thrown: unknown;
      try {
        readRolesFile(path, commandLine);
      } catch (error) {
        thrown = error;
      }
      expect((thrown as Error).message).toBe(message.replace('PATH', path));
      expect(JSON.stringify(thrown) + (thrown as Error).message).not.toMatch(/s3cr3tPIN|MIIEvgIBAD/);
    }
    // A role name of 64 base64 letters is a name, and base64 as long as an external ID may be is one.
    const name = 'A'.repeat(64);
    const externalId = 'B'.repeat(100);
    const [role] = readRolesFile(rolesFile({ roles: [{ 'role-arn': 'arn:aws:iam::1:role/r', name, 'assume-role-arn': 'arn:aws:iam::1:role/d', 'external-id': externalId }] }), commandLine);
    expect(role).toMatchObject({ name, flags: { 'external-id': externalId } });
  });
});

describe('commandLineRole', () => {
  it('is named after the role ARN, as IMDS names it', () => {
    const role = commandLineRole({ ...commandLine, 'role-arn': 'arn:aws:iam::1:role/team/app' });
    expect(role).toMatchObject({ name: 'app', origin: undefined });
  });
});
