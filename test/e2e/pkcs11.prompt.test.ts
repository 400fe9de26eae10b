import { createHash, createPublicKey, verify } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CertificateAuthority } from '../../src/emulator/pki/certificateAuthority.js';
import { cliCommandLine } from '../support/cli.js';
import { typeOnTerminal } from '../support/terminal.js';
import { SoftHsm, USER_PIN, softHsmModule, type TokenIdentity, type TokenInfo } from '../support/softhsm.js';

const TOKEN = 'pkcs11-prompt';

let hsm: SoftHsm;
let token: TokenInfo;
let ec: TokenIdentity;

beforeAll(async () => {
  const ca = await CertificateAuthority.create({ subject: 'CN=Prompt Root' });
  hsm = new SoftHsm();
  token = hsm.initToken(TOKEN);
  ec = await hsm.addIdentity(TOKEN, ca, 'ec-p256', { id: '01', label: 'ec' });
  hsm.writePrivateKey(TOKEN, ec.key.pkcs8(), { id: '02', label: 'ec-always-auth', alwaysAuthenticate: true });
});
afterAll(() => hsm.cleanup());

/**
 * Runs sign-string on a pseudo-terminal, typing each reply once the screen shows its prompt (echo is off
 * while a PIN is read, so a typed PIN shows only if the helper echoes it).
 */
async function signStringOnTerminal(keyArgs: string[], replies: readonly (readonly [prompt: string, typed: string])[]) {
  const command = cliCommandLine(['sign-string', ...keyArgs, '--pkcs11-lib', softHsmModule, '--format', 'text']);
  const { code, output } = await typeOnTerminal(command, replies.map(([after, typed]) => ({ after, keys: `${typed}\r` })), hsm.env);
  return { code, screen: output };
}
type TerminalRun = Awaited<ReturnType<typeof signStringOnTerminal>>;

const USER_PROMPT = 'Please enter your user PIN:';
const RETRY_PROMPT = 'Incorrect user PIN. Please re-enter your user PIN:';

function expectSignatureOnScreen(run: TerminalRun) {
  expect(run.code).toBe(0);
  const signature = /([0-9a-f]+)$/.exec(run.screen)![1]!;
  const message = Buffer.from('AWS Roles Anywhere Credential Helper Signing Test1');
  const ok = verify(
    'sha256',
    Buffer.concat([message, Buffer.from(signatureSuffix(), 'hex')]),
    { key: ec.key.spki, format: 'der', type: 'spki', dsaEncoding: 'der' },
    Buffer.from(signature, 'hex'),
  );
  expect(ok).toBe(true);
}

/** SHA256("IAM RA" ‖ 04‖X‖Y) of the test key, hex. */
function signatureSuffix(): string {
  const { x, y } = createPublicKey({ key: ec.key.spki, format: 'der', type: 'spki' }).export({ format: 'jwk' });
  const point = Buffer.concat([Buffer.from([4]), Buffer.from(x!, 'base64url'), Buffer.from(y!, 'base64url')]);
  return createHash('sha256').update('IAM RA').update(point).digest('hex');
}

describe('PIN prompts on the terminal', () => {
  it('asks for the user PIN, and again after a wrong one, without echoing either', async () => {
    const run = await signStringOnTerminal(
      ['--certificate', `pkcs11:token=${TOKEN};object=ec`],
      [
        [USER_PROMPT, '0000'],
        [RETRY_PROMPT, USER_PIN],
      ],
    );
    expect(run.screen.startsWith(`${USER_PROMPT}\r\n\r\n${RETRY_PROMPT}\r\n\r\n`)).toBe(true);
    // What the terminal showed before the signature (random hex, which may hold any digits).
    const beforeSignature = run.screen.replace(/[0-9a-f]+$/, '');
    expect(beforeSignature).not.toContain('0000');
    expect(beforeSignature).not.toContain(USER_PIN);
    expectSignatureOnScreen(run);
  });

  it('asks once for the context-specific PIN of an always-authenticate key, and remembers it', async () => {
    const keyUri = `pkcs11:model=SoftHSM%20v2;manufacturer=SoftHSM%20project;serial=${token.serial};token=${TOKEN};id=%02;object=ec-always-auth;type=private`;
    const contextPrompt = `Please enter your context-specific PIN for private key object (${keyUri}):`;
    const run = await signStringOnTerminal(
      ['--certificate', `pkcs11:token=${TOKEN};object=ec`, '--private-key', `pkcs11:token=${TOKEN};object=ec-always-auth`],
      [
        [USER_PROMPT, USER_PIN],
        [contextPrompt, USER_PIN],
      ],
    );
    expect(run.screen.split('Please enter').length - 1).toBe(2);
    expectSignatureOnScreen(run);
  });

  it('ends quietly, as SIGINT would, on Ctrl-C at the PIN prompt (QA: "unable to ask for it: interrupted", exit 1)', async () => {
    const run = await signStringOnTerminal(['--certificate', `pkcs11:token=${TOKEN};object=ec`], [[USER_PROMPT, '\u0003']]);
    expect(run.code).toBe(130);
    expect(run.screen.trimEnd()).toBe(USER_PROMPT);
  });

  it('gives up after three wrong PINs', async () => {
    const run = await signStringOnTerminal(
      ['--certificate', `pkcs11:token=${TOKEN};object=ec`],
      [
        [USER_PROMPT, '1111'],
        [RETRY_PROMPT, '2222'],
        [RETRY_PROMPT, '3333'],
      ],
    );
    expect(run.code).toBe(1);
    expect(run.screen).toMatch(
      new RegExp(
        `\\d{4}/\\d{2}/\\d{2} \\d{2}:\\d{2}:\\d{2} user authentication failed \\(pkcs11: 0xA0: CKR_PIN_INCORRECT\\): ` +
          `pkcs11:token=${TOKEN};object=ec on token "${TOKEN}" \\(serial ${token.serial}, slot ${token.slot}\\)\\r\\n$`,
      ),
    );
    expect(run.screen.split(RETRY_PROMPT).length - 1).toBe(2);
  });
});
