import {
  DerError,
  Tag,
  children,
  contextTag,
  decodeBoolean,
  decodeInteger,
  decodeOctetString,
  decodeOid,
  expectTag,
  readRoot,
  sequence,
  type DerNode,
} from '../../asn1/der.js';
import { KeyParseError } from '../keyParseError.js';
import { decodePem } from '../../asn1/pem.js';
import { decodeTpmPublic, type TpmPublicArea } from './tpmPublicArea.js';

const TSS2_PEM_TYPE = 'TSS2 PRIVATE KEY';

/** id-loadablekey: a key to TPM2_Load under its parent (the only kind the helper uses). */
const LOADABLE_KEY_OID = '2.23.133.10.1.3';

/** Hierarchies a key file may name as parent: the key then lives under a primary key made from a template. */
const HIERARCHY_PARENTS: ReadonlySet<number> = new Set([0x4000_0001, 0x4000_0007, 0x4000_000b, 0x4000_000c]);

/** A TSS2 key file (draft-bottomley-tpm2-keys), checked the way the reference checks it. */
export interface Tss2KeyFile {
  /** The key has no password: true only when the file says so. */
  readonly emptyAuth: boolean;
  /** A persistent handle (0x81……) or one of HIERARCHY_PARENTS. */
  readonly parent: number;
  /** The file says its hierarchy parent is the RSA-2048 storage key, not the ECC P-256 one. */
  readonly rsaParent: boolean;
  /** TPM2B_PUBLIC and TPM2B_PRIVATE, as tpm2_load's -u and -r take them. */
  readonly publicBlob: Buffer;
  readonly privateBlob: Buffer;
  readonly publicArea: TpmPublicArea;
}

/**
 * TPMKey ::= SEQUENCE { type OID, emptyAuth [0] BOOLEAN OPTIONAL, policy [1] OPTIONAL, secret [2] OPTIONAL,
 * authPolicy [3] OPTIONAL, description [4] UTF8String OPTIONAL, rsaParent [5] BOOLEAN OPTIONAL,
 * parent INTEGER, pubkey OCTET STRING, privkey OCTET STRING, ... } — tagged fields EXPLICIT.
 */
export function parseTss2KeyFile(data: Buffer): Tss2KeyFile {
  const text = data.toString('latin1');
  const block = decodePem(text).find((b) => b.type === TSS2_PEM_TYPE);
  if (!block) {
    // A block that begins but does not decode is cut short or damaged, not missing.
    const begun = text.includes(`-----BEGIN ${TSS2_PEM_TYPE}-----`);
    throw new KeyParseError(begun ? `damaged ${TSS2_PEM_TYPE} block (no END line, or not base64)` : `no ${TSS2_PEM_TYPE} block found`);
  }
  let fields: ReturnType<typeof readFields>;
  try {
    fields = readFields(block.der);
  } catch (error) {
    if (error instanceof DerError) throw new KeyParseError(`malformed ${TSS2_PEM_TYPE}: ${error.message}`);
    throw error;
  }
  if (fields.type !== LOADABLE_KEY_OID) throw new KeyParseError(`invalid OID for TPMv2 key:${fields.type}`);
  if (fields.tagged.has(1) || fields.tagged.has(3)) throw new KeyParseError('TPMv2 policy not implemented yet');
  if (fields.tagged.has(2)) throw new KeyParseError("TPMv2 key has 'secret' field which should not be set");
  if (!isPersistent(fields.parent) && !HIERARCHY_PARENTS.has(fields.parent)) {
    throw new KeyParseError('invalid parent for TPMv2 key');
  }
  if (!isTpm2b(fields.publicBlob)) throw new KeyParseError('invalid length for TPMv2 PUBLIC blob');
  if (!isTpm2b(fields.privateBlob)) throw new KeyParseError('invalid length for TPMv2 PRIVATE blob');
  return {
    emptyAuth: fields.emptyAuth,
    parent: fields.parent,
    rsaParent: fields.rsaParent,
    publicBlob: fields.publicBlob,
    privateBlob: fields.privateBlob,
    publicArea: decodeTpmPublic(fields.publicBlob),
  };
}

export function isPersistent(handle: number): boolean {
  return handle >>> 24 === 0x81;
}

function readFields(der: Buffer) {
  const nodes = sequence(readRoot(der), 'TPMKey');
  const type = decodeOid(expectTag(nodes.shift(), Tag.OID, 'the key type OID'));
  const tagged = new Map<number, DerNode>();
  while (nodes[0] && (nodes[0].tag & 0xe0) === contextTag(0, true)) {
    const node = nodes.shift()!;
    const [inner] = children(node);
    if (!inner) throw new DerError('empty tagged field');
    tagged.set(node.tag & 0x1f, inner);
  }
  const emptyAuth = tagged.has(0) ? decodeBoolean(tagged.get(0)!) : false;
  const rsaParent = tagged.has(5) ? decodeBoolean(tagged.get(5)!) : false;
  const parent = decodeInteger(expectTag(nodes.shift(), Tag.INTEGER, 'the parent INTEGER'));
  const publicBlob = decodeOctetString(expectTag(nodes.shift(), Tag.OCTET_STRING, 'the pubkey OCTET STRING'));
  const privateBlob = decodeOctetString(expectTag(nodes.shift(), Tag.OCTET_STRING, 'the privkey OCTET STRING'));
  return { type, tagged, emptyAuth, rsaParent, parent: asHandle(parent), publicBlob, privateBlob };
}

/** Some writers store handles with the top bit set as negative INTEGERs; both mean the same 32-bit handle. */
function asHandle(value: bigint): number {
  if (value < -(1n << 31n) || value >= 1n << 32n) return -1;
  return Number(BigInt.asUintN(32, value));
}

function isTpm2b(blob: Buffer): boolean {
  return blob.length >= 2 && blob.readUInt16BE(0) === blob.length - 2;
}
