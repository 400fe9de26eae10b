import pkcs11js from 'pkcs11js';
import { HelperError } from '../../errors.js';
import { type Logger } from '../../log/logger.js';
import { describePkcs11Error } from './pkcs11Errors.js';
import type { Pkcs11Api } from './module.js';
import { uriName, type Pkcs11Uri } from './uri.js';

/** A slot with an initialised token in it, with the slot and token strings a URI is matched against. */
export interface Token {
  readonly slot: Buffer;
  readonly slotId: bigint;
  readonly slotDescription: string;
  readonly slotManufacturer: string;
  readonly label: string;
  readonly manufacturer: string;
  readonly model: string;
  readonly serial: string;
  readonly loginRequired: boolean;
}

/** The tokens found, with the slots whose token could not be read (for a message when none matches). */
export type PresentTokens = readonly Token[] & { readonly unreadable?: readonly string[] };

/**
 * The module's slots that hold an initialised token. Slots whose slot or token information cannot be
 * read are skipped, as the reference skips them, and noted for messages: a URI that matches no token may
 * name one of theirs.
 */
export function presentTokens(api: Pkcs11Api, modulePath: string, logger: Logger): PresentTokens {
  let slots: Buffer[];
  try {
    slots = api.C_GetSlotList(true);
  } catch (error) {
    const reason = describePkcs11Error(error);
    throw new HelperError(`unable to list the slots of PKCS#11 module ${modulePath}: ${reason}`, { cause: error });
  }
  const tokens: Token[] = [];
  const unreadable: string[] = [];
  for (const slot of slots) {
    const slotId = slotNumber(slot);
    let token: Token;
    try {
      const slotInfo = api.C_GetSlotInfo(slot);
      const tokenInfo = api.C_GetTokenInfo(slot);
      if (!(tokenInfo.flags & pkcs11js.CKF_TOKEN_INITIALIZED)) continue;
      token = {
        slot,
        slotId,
        slotDescription: slotInfo.slotDescription.trimEnd(),
        slotManufacturer: slotInfo.manufacturerID.trimEnd(),
        label: tokenInfo.label.trimEnd(),
        manufacturer: tokenInfo.manufacturerID.trimEnd(),
        model: tokenInfo.model.trimEnd(),
        serial: tokenInfo.serialNumber.trimEnd(),
        loginRequired: (tokenInfo.flags & pkcs11js.CKF_LOGIN_REQUIRED) !== 0,
      };
    } catch (error) {
      logger.debug(`unable to get slot or token info for slot ${slotId} (${describePkcs11Error(error)})`);
      unreadable.push(`slot ${slotId} (${describePkcs11Error(error)})`);
      continue;
    }
    tokens.push(token);
  }
  return Object.assign(tokens, { unreadable });
}

/** Fails unless the module matches the URI's `library-manufacturer`, `library-description` and `library-version`. */
export function checkLibrary(api: Pkcs11Api, uri: Pkcs11Uri, modulePath: string): void {
  if (uri.libraryManufacturer === undefined && uri.libraryDescription === undefined && uri.libraryVersion === undefined) {
    return;
  }
  const info = api.C_GetInfo();
  const manufacturer = info.manufacturerID.trimEnd();
  const description = info.libraryDescription.trimEnd();
  const { major, minor } = info.libraryVersion;
  const version = uri.libraryVersion;
  if (
    matches(uri.libraryManufacturer, manufacturer) &&
    matches(uri.libraryDescription, description) &&
    (version === undefined || (version.major === major && version.minor === minor))
  ) {
    return;
  }
  throw new HelperError(
    `no matching slots: ${uriName(uri)} names another library than ${modulePath} ` +
      `(library-manufacturer=${manufacturer}, library-description=${description}, library-version=${major}.${minor})`,
  );
}

/** The tokens whose slot and token strings equal the URI's (trailing padding ignored); `slot-id=0` is slot 0. */
export function tokensMatching(tokens: readonly Token[], uri: Pkcs11Uri): Token[] {
  return tokens.filter(
    (token) =>
      (uri.slotId === undefined || uri.slotId === token.slotId) &&
      matches(uri.slotDescription, token.slotDescription) &&
      matches(uri.slotManufacturer, token.slotManufacturer) &&
      matches(uri.token, token.label) &&
      matches(uri.manufacturer, token.manufacturer) &&
      matches(uri.model, token.model) &&
      matches(uri.serial, token.serial),
  );
}

/** The attributes that pick out this token and no other. */
export function tokenIdentity(token: Token): Pick<Pkcs11Uri, 'model' | 'manufacturer' | 'serial' | 'token'> {
  return { model: token.model, manufacturer: token.manufacturer, serial: token.serial, token: token.label };
}

export function describeToken(token: Token): string {
  return `token "${token.label}" (serial ${token.serial || 'none'}, slot ${token.slotId})`;
}

/**
 * The tokens' labels in alphabetical order (slot order changes as tokens come and go), for messages, and
 * the slots whose token could not be read, with the one cause seen here: a token whose store went away and
 * came back stays unreadable to SoftHSM until the module is initialised again (a new process; serve and
 * update do it when finding the token again fails).
 */
export function describeTokens(tokens: PresentTokens): string {
  // A label two tokens share is told apart by the serial number.
  const serial = (token: Token) => (tokens.filter((other) => other.label === token.label).length > 1 ? ` (serial ${token.serial})` : '');
  const labels = tokens.length === 0 ? 'no tokens' : tokens.map((token) => `"${token.label}"${serial(token)}`).sort().join(', ');
  const unreadable = tokens.unreadable ?? [];
  if (unreadable.length === 0) return labels;
  return `${labels}; unable to read the token in ${unreadable.join(', ')} (SoftHSM, once its token folder went away, reads it again only once initialised anew)`;
}

/** Whether two of the tokens share a label: only their serial numbers tell them apart. */
export function labelsRepeat(tokens: readonly Token[]): boolean {
  return new Set(tokens.map((token) => token.label)).size < tokens.length;
}

/**
 * What a URI matching several tokens can add to choose one: `token=`, or `serial=` where labels repeat (as they
 * always do where the URI gives token=: the tokens matched it).
 */
export function tokenChoice(tokens: readonly Token[]): string {
  return labelsRepeat(tokens) ? 'serial=' : 'token=';
}

function slotNumber(slot: Buffer): bigint {
  return slot.length >= 8 ? slot.readBigUInt64LE(0) : BigInt(slot.readUInt32LE(0));
}

function matches(wanted: string | undefined, actual: string): boolean {
  return wanted === undefined || wanted === actual;
}
