import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { templatesToTry, type PrimaryTemplate } from './primaryTemplates.js';
import type { Tpm2Tools } from './tpm2Tools.js';
import { hexHandle } from './tpmHandle.js';
import { Tpm2ToolError, TpmError } from './tpmError.js';
import { isIntegrityFailure, isMissingHandle, isWrongPassword } from './tpmResponseCode.js';
import { isPersistent, type Tss2KeyFile } from './tss2KeyFile.js';

const NOT_OURS = 'it was made by another TPM or under another parent';

/**
 * Loads a key file's key into the TPM under its parent, for one signature: directly under a persistent
 * parent, or under a storage primary key created in the parent hierarchy from the standard template,
 * trying the ECC P-256 template first and, when the key does not unwrap under it, the RSA-2048 one.
 * The template that worked is remembered for the next signature.
 */
export class KeyFileLoader {
  #lastWorked: PrimaryTemplate | undefined;

  constructor(private readonly tools: Tpm2Tools) {}

  /** Loads the key and returns its saved context file (in `dir`), for tpm2_sign -c. */
  async load(key: Tss2KeyFile, dir: string): Promise<string> {
    const blobs = ['-u', join(dir, 'key.pub'), '-r', join(dir, 'key.priv')];
    writeFileSync(blobs[1]!, key.publicBlob);
    writeFileSync(blobs[3]!, key.privateBlob);
    const keyContext = join(dir, 'key.ctx');
    const loadUnder = (parent: string) =>
      this.tools.run('tpm2_load', ['-Q', '-C', parent, ...blobs, '-c', keyContext], { loadsObjects: true });

    if (isPersistent(key.parent)) {
      const parent = hexHandle(key.parent);
      try {
        await loadUnder(parent);
      } catch (error) {
        if (!(error instanceof Tpm2ToolError)) throw error;
        if (isMissingHandle(error.responseCode)) throw new TpmError(`its parent ${parent} is not in the TPM`);
        if (isIntegrityFailure(error.responseCode)) throw new TpmError(`the key does not unwrap under its parent ${parent}: ${NOT_OURS}`);
        if (isWrongPassword(error.responseCode)) {
          throw new TpmError(`its parent ${parent} needs a password, which the helper has no way to give (nor has the reference): make the key under a parent without one`);
        }
        throw error;
      }
      return keyContext;
    }

    const templates = templatesToTry(key.rsaParent, this.#lastWorked);
    const parentContext = join(dir, 'parent.ctx');
    for (const template of templates) {
      await this.#createPrimary(key.parent, template, parentContext);
      try {
        await loadUnder(parentContext);
        this.#lastWorked = template;
        return keyContext;
      } catch (error) {
        if (!(error instanceof Tpm2ToolError && isIntegrityFailure(error.responseCode))) throw error;
        this.tools.logger.debug(`TPM: the key does not unwrap under the ${template.name}`);
      }
    }
    const tried = templates.map((template) => `the ${template.name}`).join(' or ');
    throw new TpmError(`the key does not unwrap under ${tried} of hierarchy ${hexHandle(key.parent)}: ${NOT_OURS}`);
  }

  async #createPrimary(hierarchy: number, template: PrimaryTemplate, contextPath: string): Promise<void> {
    try {
      await this.tools.run('tpm2_createprimary', ['-Q', '-C', hexHandle(hierarchy), ...template.args, '-c', contextPath], {
        loadsObjects: true,
      });
    } catch (error) {
      if (!(error instanceof Tpm2ToolError)) throw error;
      throw new TpmError(`unable to create the ${template.name} in hierarchy ${hexHandle(hierarchy)}: ${error.message}`);
    }
  }
}
