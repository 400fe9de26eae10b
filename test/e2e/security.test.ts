import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorLine, expectFailure, runCli } from '../support/cli.js';
import { answering, hanging, refusing } from '../support/fakeEndpoints.js';
import { ARN_FLAGS, Scenario, type LeafFiles } from '../support/scenario.js';

// What an adversarial review found (issue 13, items 11-12): a signed request sent elsewhere, secrets on stderr.
let scenario: Scenario;
let leaf: LeafFiles;

beforeAll(async () => {
  scenario = await Scenario.start();
  leaf = await scenario.leaf('security', { keyAlgorithm: 'ec-p256' });
});
afterAll(async () => scenario.stop());

const keyFlags = () => ['--certificate', leaf.certPath, '--private-key', leaf.keyPath];

describe('the region never sends the signed request to another host (item 11)', () => {
  it('--region x@127.0.0.1:PORT/ is refused, and nothing connects there', async () => {
    const elsewhere = await hanging();
    try {
      const region = `x@${new URL(elsewhere.url).host}/`;
      const result = await runCli(['credential-process', ...keyFlags(), ...ARN_FLAGS, '--region', region], { env: { AWS_MAX_ATTEMPTS: '1' }, timeoutMs: 20_000 });
      expect(result.stdout).toBe('');
      expect(result.code).toBe(1);
      expect(errorLine(result)).toBe(`invalid --region "${region}": a region is 1 to 63 lower-case letters, digits and inner hyphens (e.g. us-east-1)`);
      expect(elsewhere.hits()).toBe(0);
    } finally {
      await elsewhere.close();
    }
  });
});

describe('secrets in URLs never reach stderr (item 12)', () => {
  const PASSWORD = 'S3cr@t/Pw';
  const fragments = ['S3cr', 'Pw@', 't/Pw', 't%2FPw'];
  const expectNoSecret = (stderr: string) => {
    for (const fragment of fragments) expect(stderr).not.toContain(fragment);
  };
  // Loopback is never proxied: this endpoint is not, and is never reached (the proxy refuses first).
  const remote = ['--endpoint', 'http://rolesanywhere.example.invalid/'];

  it.each([
    // `/` ends the authority: user, and port "S3cr", which does not parse.
    [
      'http://user:S3cr/t@Pw@127.0.0.1:1',
      'invalid proxy URL http://***@127.0.0.1:1: it cannot be read as a URL (a user or password holding /, ?, #, \\ or @ must have it percent-encoded: %2F, %3F, %23, %5C, %40)',
    ],
    // user:S3cr at host t, path /Pw@127.0.0.1:1: parses, but a proxy URL has no path.
    [`http://user:${PASSWORD}@127.0.0.1:1`, 'invalid proxy URL http://***@127.0.0.1:1: it must not have a path, query or fragment'],
  ])('a proxy URL with "/" in its password, which cannot be read as meant: %s', async (proxy, message) => {
    const result = await runCli(['credential-process', ...keyFlags(), ...ARN_FLAGS, ...remote], { env: { HTTP_PROXY: proxy, AWS_MAX_ATTEMPTS: '1' } });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(errorLine(result).endsWith(message)).toBe(true);
    expectNoSecret(result.stderr);
  });

  it('a proxy URL with "@" in its password, with --debug', async () => {
    const proxy = await refusing();
    const result = await runCli(['credential-process', ...keyFlags(), ...ARN_FLAGS, ...remote, '--debug'], {
      env: { HTTP_PROXY: proxy.replace('//', '//user:S3cr@t%2FPw@'), AWS_MAX_ATTEMPTS: '1' },
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`sending through proxy http://***@${new URL(proxy).host}`);
    expectNoSecret(result.stderr);
  });

  it('an --endpoint with a user and password is refused (they would never be sent), without showing them', async () => {
    for (const endpoint of [`http://user:${encodeURIComponent(PASSWORD)}@127.0.0.1:1/`, `http://user:${PASSWORD}@127.0.0.1:1/`]) {
      for (const debug of [[], ['--debug']]) {
        const result = await runCli(['credential-process', ...keyFlags(), ...ARN_FLAGS, '--endpoint', endpoint, ...debug]);
        expect(result.code).toBe(1);
        expect(result.stdout).toBe('');
        expect(result.stderr).toContain('invalid --endpoint "http://***@127.0.0.1:1/": it must not hold a user name or password (they would not be sent)');
        expectNoSecret(result.stderr);
      }
    }
  });

  it('an endpoint whose user info holds a "/" and no ":" (read as a host and a path holding "@") is refused, without showing it (QA)', async () => {
    // Host "s3crt", path "/Pw@127.0.0.1:1/": no user name to the parser, and the failure to reach that host quoted it.
    const endpoint = 'http://S3crt/Pw@127.0.0.1:1/';
    for (const [args, env, name] of [
      [['--endpoint', endpoint], {}, '--endpoint'],
      [[], { AWS_ENDPOINT_URL: endpoint }, 'AWS_ENDPOINT_URL'],
      [['--endpoint', scenario.emulator.url, '--assume-role-arn', 'arn:aws:iam::123456789012:role/chained', '--sts-endpoint', endpoint], {}, '--sts-endpoint'],
    ] as const) {
      const result = await runCli(['credential-process', ...keyFlags(), ...ARN_FLAGS, ...args], { env: { ...env, AWS_MAX_ATTEMPTS: '1' } });
      expectFailure(result, `invalid ${name} "http://***@127.0.0.1:1/": it must not hold a user name or password (they would not be sent)`);
      for (const fragment of ['S3cr', 's3cr', 'Pw@']) expect(result.stderr).not.toContain(fragment);
    }
  });

  it('a pkcs11 pin-value with a raw "&"', async () => {
    const result = await runCli(['credential-process', '--certificate', `pkcs11:token=t;object=k?pin-value=S3cr&t-Pw`, ...ARN_FLAGS]);
    expectFailure(
      result,
      'Malformed pkcs11 URI pkcs11:token=t;object=k?pin-value=***: a query attribute after pin-value is malformed, unknown or repeated (write a "&" in a PIN as %26)',
    );
    expectNoSecret(result.stderr);
    expect(result.stderr).not.toContain('t-Pw');
  });
});

describe("the request's signature never reaches stderr, which with the rest of the request would send it again", () => {
  it('an endpoint that echoes the request in its JSON refusal has it quoted without the signature, at every level (QA)', async () => {
    const signatures: string[] = [];
    const echo = await answering((req, res) => {
      signatures.push(/Signature=(\w+)/.exec(req.headers.authorization ?? '')![1]!);
      res.writeHead(403, { 'Content-Type': 'application/json' }).end(JSON.stringify({ message: JSON.stringify(req.headers) }));
    });
    try {
      for (const logging of [[], ['--debug']]) {
        const result = await runCli(['credential-process', ...keyFlags(), ...ARN_FLAGS, '--endpoint', echo.url, ...logging]);
        expect(result).toMatchObject({ code: 1, stdout: '' });
        expect(result.stderr).toContain('api error UnknownError: {"content-type":"application/json"');
        expect(result.stderr).toContain('Signature=<redacted>');
        expect(result.stderr).not.toContain(signatures.at(-1)!.slice(0, 32));
      }
    } finally {
      await echo.close();
    }
  });
});
