import { existsSync, statSync, type Stats } from 'node:fs';
import type { Env } from '../../context.js';
import { HelperError } from '../../errors.js';
import { describeFsError } from '../../files/describeFsError.js';
import { fileKind } from '../../files/fileKind.js';

/** How tpm2-tools reach the TPM: a TCTI configuration string, as `TPM2TOOLS_TCTI` or `--tcti` take it. */
export interface Tcti {
  readonly config: string;
  /**
   * Whether a resource manager (the kernel's /dev/tpmrm*, or tpm2-abrmd) sits in front of the TPM and
   * flushes what each tool left loaded when it disconnects. Without one, the helper flushes itself.
   */
  readonly resourceManaged: boolean;
  /** The TPM_DEVICE path it was made from, which messages name rather than the TCTI the user never wrote. */
  readonly device?: string;
}

const KERNEL_RESOURCE_MANAGER = '/dev/tpmrm0';
const RAW_DEVICE = '/dev/tpm0';

/**
 * Picks the TPM: `TPM_DEVICE` first (the reference's variable, meant for this helper alone: a character
 * device, or the UNIX socket of an emulator such as swtpm; anything else is refused, as the reference's
 * go-tpm does with "unsupported TPM file mode"), then `TPM2TOOLS_TCTI` (the tools' own), then the
 * kernel's resource manager, then the raw device.
 */
export function resolveTcti(env: Env): Tcti {
  const device = env.TPM_DEVICE;
  if (device) {
    let stats: Stats;
    try {
      stats = statSync(device);
    } catch (error) {
      throw new HelperError(`unable to open the TPM: TPM_DEVICE ${device}: ${describeFsError(error)}`);
    }
    if (stats.isSocket()) return { ...fromConfig(`swtpm:path=${device}`), device };
    if (stats.isCharacterDevice()) return { ...fromConfig(`device:${device}`), device };
    // The device TCTI would write TPM commands into whatever it opens: a regular file would be overwritten.
    throw new HelperError(`unable to open the TPM: TPM_DEVICE ${device} is ${fileKind(stats)}, not a TPM device or an emulator's UNIX socket`);
  }
  if (env.TPM2TOOLS_TCTI) return fromConfig(env.TPM2TOOLS_TCTI);
  for (const path of [KERNEL_RESOURCE_MANAGER, RAW_DEVICE]) {
    if (existsSync(path)) return fromConfig(`device:${path}`);
  }
  throw new HelperError(
    `unable to open the TPM: no TPM found (neither ${KERNEL_RESOURCE_MANAGER} nor ${RAW_DEVICE} exists); ` +
      'set TPM2TOOLS_TCTI or TPM_DEVICE to reach another one',
  );
}

function fromConfig(config: string): Tcti {
  return { config, resourceManaged: /^tabrmd(:|$)/.test(config) || /^device:\/dev\/tpmrm\d+$/.test(config) };
}
