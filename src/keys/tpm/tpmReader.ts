import { KeyParseError } from '../keyParseError.js';

/** Reads TPM-marshalled (big-endian) structures, with a clear error for data that ends too early or too late. */
export class TpmReader {
  #offset = 0;

  constructor(
    private readonly bytes: Buffer,
    private readonly what: string,
  ) {}

  u16(): number {
    return this.#take(2).readUInt16BE();
  }

  u32(): number {
    return this.#take(4).readUInt32BE();
  }

  /** A TPM2B: a 2-byte size and that many bytes. */
  sized(): Buffer {
    return this.#take(this.u16());
  }

  end(): void {
    if (this.#offset !== this.bytes.length) throw new KeyParseError(`malformed ${this.what}: trailing bytes`);
  }

  #take(length: number): Buffer {
    if (this.#offset + length > this.bytes.length) throw new KeyParseError(`malformed ${this.what}: truncated`);
    const slice = this.bytes.subarray(this.#offset, this.#offset + length);
    this.#offset += length;
    return slice;
  }
}
