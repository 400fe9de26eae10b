import { printableLine } from '../../log/printable.js';

/**
 * The SSH wire encoding (RFC 4251 §5) that the agent protocol, its key blobs and its signatures use:
 * big-endian uint32, length-prefixed strings, and mpints (two's complement, minimal, in a string).
 */

/** Bytes that are not the SSH encoding they should be (the caller says of what). */
export class WireFormatError extends Error {}

export class WireReader {
  #offset = 0;

  constructor(private readonly bytes: Buffer) {}

  get remaining(): number {
    return this.bytes.length - this.#offset;
  }

  uint32(): number {
    return this.#take(4).readUInt32BE(0);
  }

  string(): Buffer {
    return this.#take(this.uint32());
  }

  /** A string that should be text (key type names, comments). */
  text(): string {
    return this.string().toString('utf8');
  }

  /** A non-negative mpint, as its magnitude without leading zero bytes. */
  unsignedMpint(): Buffer {
    const bytes = this.string();
    if (bytes.length > 0 && bytes[0]! & 0x80) throw new WireFormatError('negative mpint');
    let start = 0;
    while (start < bytes.length && bytes[start] === 0) start++;
    return bytes.subarray(start);
  }

  #take(length: number): Buffer {
    if (length > this.remaining) throw new WireFormatError(`truncated: ${length} bytes wanted, ${this.remaining} left`);
    const bytes = this.bytes.subarray(this.#offset, this.#offset + length);
    this.#offset += length;
    return bytes;
  }
}

export function wireUint32(value: number): Buffer {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32BE(value);
  return bytes;
}

export function wireString(value: Buffer | string): Buffer {
  const bytes = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
  return Buffer.concat([wireUint32(bytes.length), bytes]);
}

/**
 * Text read off the wire (a key's comment, a format name) as one log line shows it: printableLine (control
 * characters written out, other Unicode kept, as `ssh-add -l` shows a comment), at most 80 characters.
 */
export function wireText(text: string): string {
  return Array.from(printableLine(text)).slice(0, 80).join('');
}
