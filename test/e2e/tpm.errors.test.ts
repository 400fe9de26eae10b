import { execFileSync } from 'node:child_process';
import { createPublicKey, verify } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Tag, encodeNode, encodeOctetString } from '../../src/asn1/der.js';
import { parsePublicKeyInfo } from '../../src/keys/certificate.js';
import { iamRaPublicKeyDigest } from '../../src/keys/publicKeyBytes.js';
import { shWord } from '../support/shWord.js';
import { expectFailure, projectRoot, runCli } from '../support/cli.js';
import { startCommand, type RunningCommand } from '../support/longRunning.js';
import { ARNS, Scenario } from '../support/scenario.js';
import { SIGNING_KEY, Swtpm, encodeTss2KeyFile, portFree, tss2Blobs, type Tss2Fields } from '../support/swtpm.js';

let swtpm: Swtpm;
let scenario: Scenario;
let keyFile: string;
let certPath: string;
let blobs: { publicBlob: Buffer; privateBlob: Buffer };

beforeAll(async () => {
  [swtpm, scenario] = await Promise.all([Swtpm.start(), Scenario.start()]);
  keyFile = swtpm.createKeyFile(scenario.workspace.path('ec.pem'), { algorithm: 'EC' });
  const spki = swtpm.csrPublicKey(keyFile, '/CN=tpm-errors');
  certPath = scenario.workspace.write('ec-cert.pem', (await scenario.ca.issue({ subject: 'CN=tpm-errors', publicKey: spki })).pem);
  blobs = tss2Blobs(readFileSync(keyFile, 'utf8'));
});

afterAll(async () => {
  await swtpm?.stop();
  await scenario?.stop();
});

const signString = (args: string[], env: Record<string, string | undefined> = swtpm.env) =>
  runCli(['sign-string', ...args], { env });

describe('TSS2 key files the reference refuses, with its messages', () => {
  const variants: Array<[string, () => Partial<Tss2Fields>, string]> = [
    ['an importable key (another type OID)', () => ({ type: '2.23.133.10.1.4' }), 'invalid OID for TPMv2 key:2.23.133.10.1.4'],
    ['a policy', () => ({ tagged: { 1: encodeNode(Tag.SEQUENCE) } }), 'TPMv2 policy not implemented yet'],
    ['an authPolicy', () => ({ tagged: { 3: encodeNode(Tag.SEQUENCE) } }), 'TPMv2 policy not implemented yet'],
    ['a secret', () => ({ tagged: { 2: encodeOctetString(Buffer.from('seed')) } }), "TPMv2 key has 'secret' field which should not be set"],
    ['a transient parent', () => ({ parent: 0x8000_0001 }), 'invalid parent for TPMv2 key'],
    ['a public blob whose size prefix is wrong', () => ({ publicBlob: Buffer.concat([blobs.publicBlob, Buffer.from([0])]) }), 'invalid length for TPMv2 PUBLIC blob'],
    ['a private blob whose size prefix is wrong', () => ({ privateBlob: blobs.privateBlob.subarray(0, -1) }), 'invalid length for TPMv2 PRIVATE blob'],
    ['a keyed-hash object', () => ({ publicBlob: keyedHashPublic() }), 'unsupported TPMv2 key type'],
  ];

  it.each(variants)('%s', async (_name, change, message) => {
    const path = scenario.workspace.write('variant.pem', encodeTss2KeyFile({ emptyAuth: true, ...blobs, ...change() }));
    expectFailure(await signString(['--private-key', path]), `unable to parse private key ${path}: ${message}`);
  });

  it('a TSS2 block that is not DER', async () => {
    const path = scenario.workspace.write('garbage.pem', '-----BEGIN TSS2 PRIVATE KEY-----\nZ2FyYmFnZQ==\n-----END TSS2 PRIVATE KEY-----\n');
    expectFailure(await signString(['--private-key', path]), `unable to parse private key ${path}: malformed TSS2 PRIVATE KEY: truncated DER`);
  });

  it("an owner hierarchy with a password, which the helper has no way to give, is named with the storage key it could not make (QA mutation testing)", async () => {
    const other = await Swtpm.start();
    try {
      const key = other.createKeyFile(scenario.workspace.path('owner-auth.pem'), { algorithm: 'EC' });
      other.tool('tpm2_changeauth', ['-c', 'o', 'str:owner-secret']);
      expectFailure(await signString(['--private-key', key], other.env), `unable to sign with TPM key ${key}: unable to create the ECC P-256 storage key in hierarchy 0x40000001: tpm2_createprimary failed: tpm:session(1):authorization failure without DA implications (0x9a2)`);
    } finally {
      await other.stop();
    }
  });

  it('a private blob from another TPM does not unwrap under this one, whichever storage key is tried', async () => {
    const other = await Swtpm.start();
    try {
      const foreign = other.createKeyFile(scenario.workspace.path('foreign.pem'), { algorithm: 'EC' });
      expectFailure(
        await signString(['--private-key', foreign]),
        `unable to sign with TPM key ${foreign}: the key does not unwrap under the ECC P-256 storage key or the RSA-2048 storage key ` +
          'of hierarchy 0x40000001: it was made by another TPM or under another parent',
      );
    } finally {
      await other.stop();
    }
  });
});

describe('a key file under a persistent parent that needs a password', () => {
  it('says so, rather than passing on the TPM\'s authorization failure', async () => {
    const work = mkdtempSync(join(tmpdir(), 'rah-tpm-parent-'));
    try {
      swtpm.tool('tpm2_createprimary', ['-Q', '-C', 'o', '-G', 'ecc', '-p', 'str:parent-secret', '-c', `${work}/parent.ctx`]);
      swtpm.tool('tpm2_evictcontrol', ['-Q', '-C', 'o', '-c', `${work}/parent.ctx`, '0x81000150']);
      swtpm.tool('tpm2_flushcontext', ['-t']);
      swtpm.tool('tpm2_create', ['-Q', '-C', '0x81000150', '-P', 'str:parent-secret', '-G', 'ecc', '-u', `${work}/key.pub`, '-r', `${work}/key.priv`]);
      swtpm.tool('tpm2_flushcontext', ['-t']);
      const child = { emptyAuth: true, parent: 0x8100_0150, publicBlob: readFileSync(`${work}/key.pub`), privateBlob: readFileSync(`${work}/key.priv`) };
      const path = scenario.workspace.write('under-protected-parent.pem', encodeTss2KeyFile(child));
      expectFailure(
        await signString(['--private-key', path]),
        `unable to sign with TPM key ${path}: its parent 0x81000150 needs a password, which the helper has no way to give (nor has the reference): ` +
          'make the key under a parent without one',
      );
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});

describe('a key file under a persistent parent without a password (QA mutation testing: no test had one load)', () => {
  const PARENT = 0x8100_0151;

  /** A storage key made persistent at PARENT in `tpm`, and a signing key under it: its key file and SubjectPublicKeyInfo. */
  function keyUnderPersistentParent(tpm: Swtpm, name: string): { path: string; spki: Buffer } {
    const work = mkdtempSync(join(tmpdir(), 'rah-tpm-parent-'));
    try {
      tpm.tool('tpm2_createprimary', ['-Q', '-C', 'o', '-G', 'ecc', '-c', `${work}/parent.ctx`]);
      tpm.tool('tpm2_evictcontrol', ['-Q', '-C', 'o', '-c', `${work}/parent.ctx`, `0x${PARENT.toString(16)}`]);
      tpm.tool('tpm2_flushcontext', ['-t']);
      tpm.tool('tpm2_create', ['-Q', '-C', `0x${PARENT.toString(16)}`, '-G', 'ecc256:null:null', '-a', SIGNING_KEY,
        '-u', `${work}/key.pub`, '-r', `${work}/key.priv`, '-f', 'der', '-o', `${work}/spki.der`]);
      tpm.tool('tpm2_flushcontext', ['-t']);
      const fields = { emptyAuth: true, parent: PARENT, publicBlob: readFileSync(`${work}/key.pub`), privateBlob: readFileSync(`${work}/key.priv`) };
      return { path: scenario.workspace.write(name, encodeTss2KeyFile(fields)), spki: readFileSync(`${work}/spki.der`) };
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }

  it('is loaded under that parent, and signs', async () => {
    const { path, spki } = keyUnderPersistentParent(swtpm, 'under-parent.pem');
    const result = await signString(['--private-key', path, '--format', 'bin']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const message = Buffer.concat([Buffer.from('AWS Roles Anywhere Credential Helper Signing Test1'), iamRaPublicKeyDigest(parsePublicKeyInfo(spki))]);
    expect(verify('sha256', message, createPublicKey({ key: spki, format: 'der', type: 'spki' }), result.stdoutBytes)).toBe(true);
  });

  it('one made under the same handle in another TPM does not unwrap under it, and says so', async () => {
    const other = await Swtpm.start();
    try {
      const { path } = keyUnderPersistentParent(other, 'under-foreign-parent.pem');
      expectFailure(
        await signString(['--private-key', path]),
        `unable to sign with TPM key ${path}: the key does not unwrap under its parent 0x81000151: it was made by another TPM or under another parent`,
      );
    } finally {
      await other.stop();
    }
  });

  it('whose parent was evicted says that the parent is not in the TPM', async () => {
    const path = scenario.workspace.path('under-parent.pem');
    swtpm.tool('tpm2_evictcontrol', ['-Q', '-C', 'o', '-c', '0x81000151']);
    expectFailure(await signString(['--private-key', path]), `unable to sign with TPM key ${path}: its parent 0x81000151 is not in the TPM`);
  });
});

describe('TPM handles', () => {
  it.each([
    ['handle:0x81:1', 'invalid TPM handle format: handle:0x81:1 (expected handle:0x81000001)'],
    ['handle:0xZZ', 'invalid hex TPM handle value: handle:0xZZ (expected handle:0x81000001)'],
    ['handle:0x181000001', 'invalid hex TPM handle value: handle:0x181000001 (expected handle:0x81000001)'],
  ])('%s is refused', async (handle, message) => {
    expectFailure(await signString(['--private-key', handle, '--no-tpm-key-password']), message);
  });

  it('a handle with no key behind it', async () => {
    expectFailure(
      await signString(['--private-key', 'handle:0x81000999', '--no-tpm-key-password']),
      'unable to read TPM key handle:0x81000999: there is no key at handle 0x81000999 in the TPM',
    );
  });

  it('a key of a type the helper cannot sign with (keyed hash) names the handle (QA mutation testing)', async () => {
    const work = mkdtempSync(join(tmpdir(), 'rah-tpm-hmac-'));
    try {
      swtpm.tool('tpm2_createprimary', ['-Q', '-C', 'o', '-G', 'hmac', '-a', SIGNING_KEY, '-c', `${work}/hmac.ctx`]);
      swtpm.tool('tpm2_evictcontrol', ['-Q', '-C', 'o', '-c', `${work}/hmac.ctx`, '0x81000105']);
      swtpm.tool('tpm2_flushcontext', ['-t']);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
    expectFailure(
      await signString(['--private-key', 'handle:0x81000105', '--no-tpm-key-password']),
      'unable to read TPM key handle:0x81000105: unsupported TPMv2 key type',
    );
  });

  it('a key that cannot sign (decrypt only)', async () => {
    swtpm.createPersistentKey('0x81000104', 'rsa2048:null:null', 'fixedtpm|fixedparent|sensitivedataorigin|userwithauth|decrypt');
    expectFailure(
      await signString(['--private-key', 'handle:0x81000104', '--no-tpm-key-password']),
      'unable to use TPM key handle:0x81000104: it is not a signing key (its sign attribute is not set)',
    );
  });
});

describe('reaching the TPM', () => {
  it('a TCTI pointing at a closed port', async () => {
    let port = 0;
    do port = 20_000 + Math.floor(Math.random() * 40_000);
    while (!(await portFree(port)));
    const tcti = `swtpm:host=127.0.0.1,port=${port}`;
    expectFailure(
      await signString(['--private-key', keyFile], { TPM2TOOLS_TCTI: tcti }),
      `unable to reach the TPM through TCTI ${tcti}: Failed to connect to host 127.0.0.1, port ${port}: errno 111: Connection refused`,
    );
  });

  it('a TPM another program holds (swtpm serves one client at a time) is waited for, saying so after 4 s (QA: silent for up to 120 s)', async () => {
    const { port } = /port=(?<port>\d+)/.exec(swtpm.tcti)!.groups!;
    const holder = connect(Number(port), '127.0.0.1');
    await new Promise((resolve) => holder.once('connect', resolve));
    // Released once the run said it waits, not at a fixed time: a run slow to start its first tpm2 tool (a loaded
    // CI machine) would otherwise find the TPM free before its 4 s notice.
    const run = startCommand(['sign-string', '--private-key', keyFile, '--format', 'text'], swtpm.env);
    await run.waitFor(/waiting for the TPM /);
    holder.destroy();
    expect(await run.exited()).toBe(0);
    expect(run.stdout()).toMatch(/^30[0-9a-f]{60,}$/);
    expect(run.stderr()).toMatch(new RegExp(`^\\S+ \\S+ waiting for the TPM \\(TCTI ${swtpm.tcti}\\) to answer tpm2_\\w+; giving up after 120 s\\n$`));
  }, 30_000);

  it('a TCTI pointing at a missing socket', async () => {
    const tcti = `swtpm:path=${scenario.workspace.path('no.sock')}`;
    expectFailure(
      await signString(['--private-key', keyFile], { TPM2TOOLS_TCTI: tcti }),
      `unable to reach the TPM through TCTI ${tcti}: Failed to connect to ${scenario.workspace.path('no.sock')}`,
    );
  });

  it('a TPM_DEVICE that does not exist', async () => {
    const device = scenario.workspace.path('tpm9');
    expectFailure(
      await signString(['--private-key', keyFile], { TPM_DEVICE: device }),
      `unable to open the TPM: TPM_DEVICE ${device}: no such file or directory`,
    );
  });

  it('a TPM_DEVICE that is a regular file is refused and left as it was, not overwritten with TPM commands', async () => {
    const victim = scenario.workspace.write('victim.txt', 'important data\n');
    expectFailure(
      await signString(['--certificate', certPath, '--private-key', keyFile], { TPM_DEVICE: victim }),
      `unable to open the TPM: TPM_DEVICE ${victim} is a regular file, not a TPM device or an emulator's UNIX socket`,
    );
    expect(readFileSync(victim, 'utf8')).toBe('important data\n');
  });

  it('a TPM_DEVICE that is a FIFO is refused without writing to it', async () => {
    const fifo = scenario.workspace.path('tpm.fifo');
    execFileSync('mkfifo', [fifo]);
    expectFailure(
      await signString(['--private-key', keyFile], { TPM_DEVICE: fifo }),
      `unable to open the TPM: TPM_DEVICE ${fifo} is a FIFO, not a TPM device or an emulator's UNIX socket`,
    );
  });

  it('a TPM_DEVICE that is not a TPM is named as the reference names it, not by a TCTI the user never wrote (QA)', async () => {
    expectFailure(
      await signString(['--private-key', keyFile], { TPM_DEVICE: '/dev/null' }),
      /^unable to reach the TPM: TPM_DEVICE \/dev\/null is not a TPM 2\.0: tpm2-tools: .+$/,
    );
    const unix = await Swtpm.start({ unixSocket: true });
    try {
      const control = join(unix.dir, 'swtpm.sock.ctrl');
      expectFailure(
        await signString(['--private-key', keyFile], { TPM_DEVICE: control }),
        `unable to reach the TPM: TPM_DEVICE ${control} is not a TPM 2.0, or is swtpm's control socket (give its server socket): tpm2-tools: Failed to connect to ${control}.ctrl`,
      );
    } finally {
      await unix.stop();
    }
  });

  it('a TPM_DEVICE that is an emulator\'s UNIX socket is reached as swtpm:path=', async () => {
    const unix = await Swtpm.start({ unixSocket: true });
    try {
      const key = unix.createKeyFile(scenario.workspace.path('unix.pem'), { algorithm: 'EC' });
      const result = await signString(['--private-key', key, '--format', 'text'], { TPM_DEVICE: join(unix.dir, 'swtpm.sock') });
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/^30[0-9a-f]+$/);
    } finally {
      await unix.stop();
    }
  });

  it("a temporary folder that cannot hold tpm2-tools' files is named, with what to do (QA: TMPDIR kept through su, an internal error)", async () => {
    const missing = scenario.workspace.path('no-such-tmp');
    const result = await signString(['--private-key', keyFile], { ...swtpm.env, TMPDIR: missing });
    expectFailure(
      result,
      `unable to sign with TPM key ${keyFile}: no folder for tpm2-tools' files can be made in ${missing}, the temporary folder (TMPDIR, else /tmp): ` +
        'no such file or directory; point TMPDIR at a folder this user can write',
    );
  });

  it('tpm2-tools missing from PATH', async () => {
    const emptyPath = mkdtempSync(join(tmpdir(), 'rah-empty-path-'));
    try {
      expectFailure(
        await signString(['--private-key', keyFile], { ...swtpm.env, PATH: emptyPath }),
        'unable to use the TPM: tpm2-tools is not installed (tpm2_createprimary is not in PATH); install tpm2-tools 5 or later',
      );
    } finally {
      rmSync(emptyPath, { recursive: true, force: true });
    }
  });
});

describe('certificates', () => {
  it('credential-process with a TPM key and no --certificate is an error, not a crash', async () => {
    const result = await runCli(['credential-process', '--private-key', keyFile, ...scenario.sessionFlags()], { env: swtpm.env });
    expectFailure(result, `unable to find certificate: ${keyFile} is a key alone; give its certificate with --certificate`);
  });

  it('a certificate for another key', async () => {
    const other = await scenario.leaf('not-the-tpm-key', { keyAlgorithm: 'ec-p256' });
    const result = await runCli(['credential-process', '--certificate', other.certPath, '--private-key', keyFile, ...scenario.sessionFlags()], { env: swtpm.env });
    expectFailure(result, `private key does not match the certificate: TPM key ${keyFile} is not the key of ${other.certPath}`);
  });

  it('the matching certificate works (so the failures above are the key\'s, not the set-up\'s)', async () => {
    const result = await runCli(['credential-process', '--certificate', certPath, '--private-key', keyFile, ...scenario.sessionFlags()], { env: swtpm.env });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });

  it('objects a killed run left loaded (a tool orphaned by a SIGTERM to the helper alone) do not fail the next run (QA: 0x902)', async () => {
    const work = mkdtempSync(join(tmpdir(), 'rah-leftover-'));
    try {
      // Each of the TPM's three object slots held by a primary key no one flushed.
      for (const n of [1, 2, 3]) swtpm.tool('tpm2_createprimary', ['-Q', '-C', 'o', '-G', 'ecc256', '-c', join(work, `${n}.ctx`)]);
      expect(swtpm.handles('handles-transient')).toHaveLength(3);
      const result = await runCli(['credential-process', '--certificate', certPath, '--private-key', keyFile, ...scenario.sessionFlags()], { env: swtpm.env });
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});

describe('a signal while tpm2-tools run', () => {
  /**
   * Runs the command with a tpm2_createprimary that says it runs, then waits for as long as a TPM another
   * program holds does not answer, and with a temporary folder of its own; `stop` is called once the tool
   * runs. Then nothing is to be left: the lock's folder stays (it is the user's, for every run), empty, and
   * the tool is gone. `via`: as startCommand's.
   */
  async function stoppedWhileToolRuns(name: string, args: string[], env: Record<string, string>, stop: (running: RunningCommand) => Promise<void>, via: string[] = []) {
    const tools = scenario.workspace.path(`slow-tools-${name}`);
    const temporary = scenario.workspace.path(`tmp-${name}`);
    mkdirSync(tools);
    mkdirSync(temporary, { mode: 0o700 });
    const started = join(tools, 'started');
    writeFileSync(join(tools, 'tpm2_createprimary'), `#!/bin/sh\necho $$ >${started}.tmp && mv ${started}.tmp ${started}\nexec sleep 600\n`, { mode: 0o755 });
    const running = startCommand(args, { ...swtpm.env, ...env, PATH: `${tools}:${process.env.PATH}`, TMPDIR: temporary }, undefined, via);
    let tool = 0;
    try {
      await expect.poll(() => existsSync(started), { timeout: 20_000, interval: 50 }).toBe(true);
      tool = Number(readFileSync(started, 'utf8'));
      await stop(running);
      const lockFolder = `roles-anywhere-helper-tpm-${process.getuid!()}`;
      expect(readdirSync(temporary)).toEqual([lockFolder]);
      expect(readdirSync(join(temporary, lockFolder))).toEqual([]);
      const alive = () => { try { return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${tool}/stat`, 'utf8')); } catch { return false; } };
      await expect.poll(alive, { timeout: 10_000, interval: 50 }).toBe(false);
    } finally {
      running.child.kill('SIGKILL');
      try {
        if (tool) process.kill(tool, 'SIGKILL');
      } catch {
        // Gone, as it should be.
      }
    }
  }

  it.each(['SIGTERM', 'SIGINT', 'SIGHUP'] as const)(
    'credential-process ended by %s leaves no work folder, no TPM lock and no tool running (QA: one rah-tpm-* folder a killed run, the tool orphaned)',
    async (signal) => {
      const args = ['credential-process', '--certificate', certPath, '--private-key', keyFile, ...scenario.sessionFlags()];
      await stoppedWhileToolRuns(signal, args, {}, async (running) => {
        running.child.kill(signal);
        await running.exited();
        expect(running.child.signalCode).toBe(signal);
        expect(running.stdout()).toBe('');
        expect(running.stderr()).toBe('');
      });
    },
  );

  it('a SIGINT as the tool starts, before the helper has gone back to its own code, is not the death of the helper with nothing undone (QA: a rah-tpm-* folder left once, on a loaded machine)', async () => {
    // spawn returns once the tool runs, and the helper, descheduled before it went on, was signalled by a caller
    // that saw the tool run: it had not yet listened for the signal, and Node's default for SIGINT ended it at
    // once, the folder made, the lock taken and the tool started. Here spawn waits for the tool's `started` file
    // (stoppedWhileToolRuns') and the helper signals itself then, before its own code goes on.
    const started = join(scenario.workspace.path('slow-tools-signal-as-tool-starts'), 'started');
    const preload = scenario.workspace.write('signal-as-tool-starts.cjs', `
      const childProcess = require('node:child_process');
      const { existsSync } = require('node:fs');
      const { spawn } = childProcess;
      childProcess.spawn = function (tool, ...rest) {
        const child = spawn.call(this, tool, ...rest);
        if (tool !== 'tpm2_createprimary') return child;
        const pause = new Int32Array(new SharedArrayBuffer(4));
        for (let n = 0; n < 2000 && !existsSync(${JSON.stringify(started)}); n++) Atomics.wait(pause, 0, 0, 10);
        process.kill(process.pid, 'SIGINT');
        return child;
      };
    `);
    const args = ['credential-process', '--certificate', certPath, '--private-key', keyFile, ...scenario.sessionFlags()];
    await stoppedWhileToolRuns('signal-as-tool-starts', args, {}, async (running) => {
      await running.exited();
      expect(running.child.signalCode).toBe('SIGINT');
      expect(running.stdout()).toBe('');
      expect(running.stderr()).toBe('');
    }, ['sh', '-c', `node="$1"; shift; exec "$node" --require ${shWord(preload)} "$@"`, 'sh']);
  });

  it("a program whose signal-exit 4 listens (execa's, write-file-atomic's) and that has no SIGTERM listener of its own is ended by SIGTERM with the tool ended and the folder removed (review: its listener taken for the program's, the work left to an exit that never came)", async () => {
    const options = { certificate: certPath, privateKey: keyFile, ...ARNS, endpoint: scenario.emulator.url };
    // signal-exit 4 as it listens: its copies counted on the global object, ending the process of the signal
    // where its and signal-exit 3's listeners are all there is.
    const app = scenario.workspace.write('signal-exit-4-app.cjs', `
      const emitter = (globalThis[Symbol.for('signal-exit emitter')] = { count: 1 });
      const listener = () => {
        if (process.listeners('SIGTERM').length !== emitter.count + (process.__signal_exit_emitter__?.count ?? 0)) return;
        process.off('SIGTERM', listener);
        emitter.count = 0;
        process.kill(process.pid, 'SIGTERM');
      };
      process.on('SIGTERM', listener);
      const { fromRolesAnywhere } = require(${JSON.stringify(join(projectRoot, 'dist/index.cjs'))});
      fromRolesAnywhere(${JSON.stringify(options)})().catch(() => {});
      setInterval(() => {}, 1000);
    `);
    await stoppedWhileToolRuns('library-signal-exit-4', [], {}, async (running) => {
      running.child.kill('SIGTERM');
      await running.exited();
    }, ['sh', '-c', `exec "$1" ${shWord(app)}`, 'sh']);
  });

  it('a program using the library that stops on SIGTERM itself, with a listener that removes itself, still stops its own way: the tool ended and the folder removed as it exits (review: killed of the signal mid-stop, exit 143)', async () => {
    const options = { certificate: certPath, privateKey: keyFile, ...ARNS, endpoint: scenario.emulator.url };
    const app = scenario.workspace.write('graceful-app.cjs', `
      const { fromRolesAnywhere } = require(${JSON.stringify(join(projectRoot, 'dist/index.cjs'))});
      process.once('SIGTERM', () => setTimeout(() => { console.log('stopped its own way'); process.exit(0); }, 200));
      fromRolesAnywhere(${JSON.stringify(options)})().catch(() => {});
      setInterval(() => {}, 1000);
    `);
    // startCommand runs node with the CLI's path: sh runs node with the program's instead.
    await stoppedWhileToolRuns('library', [], {}, async (running) => {
      running.child.kill('SIGTERM');
      expect(await running.exited()).toBe(0);
      expect(running.stdout()).toBe('stopped its own way\n');
    }, ['sh', '-c', `exec "$1" ${shWord(app)}`, 'sh']);
  });

  it('update stops on SIGTERM with the tool ended, not waited for (QA: minutes, while another program held the TPM), writing nothing', async () => {
    const credentials = scenario.workspace.path('update-stopped-credentials');
    const args = ['update', '--certificate', certPath, '--private-key', keyFile, ...scenario.sessionFlags()];
    await stoppedWhileToolRuns('update', args, { AWS_SHARED_CREDENTIALS_FILE: credentials }, async (running) => {
      expect(await running.stop('SIGTERM')).toBe(0);
      expect(running.stderr()).toBe('');
      expect(existsSync(credentials)).toBe(false);
    });
  });
});

describe('dictionary-attack lockout', () => {
  it('is reported as such, not as a wrong password, also by the refusal that set it off', async () => {
    await Swtpm.lockingOutAfter(1, async (strict) => {
      const key = strict.createKeyFile(scenario.workspace.path('strict.pem'), { algorithm: 'EC', password: 'right' });
      const sign = () => signString(['--private-key', key, '--tpm-key-password', 'wrong'], strict.env);
      expectFailure(
        await sign(),
        `unable to sign with TPM key ${key}: incorrect TPM key password (given with --tpm-key-password); ` +
          'the TPM now refuses passwords (dictionary-attack lockout); wait for it to recover, or reset it with tpm2_dictionarylockout -c',
      );
      expectFailure(
        await sign(),
        `unable to sign with TPM key ${key}: the TPM refuses passwords for now (dictionary-attack lockout after too many wrong ones); ` +
          'wait for it to recover, or reset it with tpm2_dictionarylockout -c',
      );
    });
  });

  it('a wrong password says how many more the TPM takes before it locks out, when that is few (QA: three typos locked swtpm out unsaid)', async () => {
    await Swtpm.lockingOutAfter(5, async (strict) => {
      const key = strict.createKeyFile(scenario.workspace.path('strict5.pem'), { algorithm: 'EC', password: 'right' });
      const sign = () => signString(['--private-key', key, '--tpm-key-password', 'wrong'], strict.env);
      expectFailure(await sign(), `unable to sign with TPM key ${key}: incorrect TPM key password (given with --tpm-key-password)`);
      expectFailure(await sign(), `unable to sign with TPM key ${key}: incorrect TPM key password (given with --tpm-key-password); the TPM locks out after 3 more wrong passwords`);
      expectFailure(await sign(), `unable to sign with TPM key ${key}: incorrect TPM key password (given with --tpm-key-password); the TPM locks out after 2 more wrong passwords`);
    });
  });
});

describe('the TPM afterwards', () => {
  it('holds no transient object or session, whatever failed', () => {
    expect(swtpm.handles('handles-transient')).toEqual([]);
    expect(swtpm.handles('handles-loaded-session')).toEqual([]);
  });
});

/** A TPM2B_PUBLIC of a keyed-hash (HMAC) object: the type the helper cannot sign with. */
function keyedHashPublic(): Buffer {
  const area = Buffer.from('0008000b00040072000000100020' + '00'.repeat(32), 'hex');
  const sized = Buffer.alloc(2);
  sized.writeUInt16BE(area.length);
  return Buffer.concat([sized, area]);
}
