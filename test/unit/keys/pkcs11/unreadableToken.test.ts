import { renameSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CertificateAuthority } from '../../../../src/emulator/pki/certificateAuthority.js';
import type { KeySource } from '../../../../src/keys/keySource.js';
import { listPkcs11Certificates } from '../../../../src/keys/pkcs11/listCertificates.js';
import { loadModule } from '../../../../src/keys/pkcs11/module.js';
import { openPkcs11KeySource } from '../../../../src/keys/pkcs11/pkcs11KeySource.js';
import { silentLogger } from '../../../../src/log/logger.js';
import { testContext } from '../../../support/context.js';
import { SoftHsm, USER_PIN, softHsmModule } from '../../../support/softhsm.js';

/**
 * A file of its own: once its token store has moved, SoftHSM in this process cannot read the token again
 * until the module is initialised anew (hardware QA: serve and the library, which load a module once per
 * process, said "no tokens").
 */
const TOKEN = 'unreadable';
let hsm: SoftHsm;
let source: KeySource;

beforeAll(async () => {
  hsm = new SoftHsm();
  hsm.useInThisProcess();
  hsm.initToken(TOKEN);
  await hsm.addIdentity(TOKEN, await CertificateAuthority.create({ subject: 'CN=Unreadable Token Root' }), 'ec-p256', { id: '01', label: 'ec' });
  source = await openPkcs11KeySource({ certificate: `pkcs11:token=${TOKEN};object=ec?pin-value=${USER_PIN}`, pkcs11Lib: softHsmModule, interactive: false }, testContext());
});
afterAll(async () => {
  await source.close();
  hsm.cleanup();
});

it('says that a token it cannot read is there, and why, when a URI matches no token (hardware QA)', async () => {
  await (await source.current()).sign(Buffer.from('data'), 'SHA256');
  const { slot } = hsm.tokenInfo(TOKEN);
  const other = loadModule({ path: softHsmModule }, silentLogger);
  try {
    other.api.C_CloseAllSessions(other.api.C_GetSlotList(true).find((s) => other.api.C_GetTokenInfo(s).label.trimEnd() === TOKEN)!);
  } finally {
    other.release();
  }
  const tokens = join(hsm.dir, 'tokens');
  renameSync(tokens, `${tokens}.away`);
  try {
    // A listing in this process, whose module the key source keeps loaded: SoftHSM lists the slot, unreadable.
    await expect(listPkcs11Certificates({ uri: `pkcs11:token=${TOKEN};object=ec`, pkcs11Lib: softHsmModule }, testContext())).rejects.toThrow(
      `no matching slots: pkcs11:token=${TOKEN};object=ec matches none of the tokens of ${softHsmModule} ` +
        `(no tokens; unable to read the token in slot ${slot} (pkcs11: 0x5: CKR_GENERAL_ERROR) (SoftHSM, once its token folder went away, reads it again only once initialised anew))`,
    );
    // The key source initialises the module anew, which SoftHSM refuses while its token folder is away...
    await expect(source.current()).rejects.toThrow(`unable to initialize PKCS#11 module ${softHsmModule}: pkcs11: 0x5: CKR_GENERAL_ERROR`);
  } finally {
    renameSync(`${tokens}.away`, tokens);
  }
  // ...and accepts once it is back: the key is found again without a new process (QA: until serve was restarted).
  await (await source.current()).sign(Buffer.from('data'), 'SHA256');
});
