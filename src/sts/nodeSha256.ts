import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';

/**
 * SHA-256 and HMAC-SHA256 from node:crypto in the shape @smithy/signature-v4 takes (`sha256`): the STS
 * client signs with it (the emulator checks signatures with its own, src/emulator/sts/sha256.ts).
 */
export class NodeSha256 {
  #hash: Hash | Hmac;

  constructor(private readonly secret?: string | ArrayBuffer | ArrayBufferView) {
    this.#hash = this.#create();
  }

  update(data: Uint8Array): void {
    this.#hash.update(data);
  }

  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.#hash.digest());
  }

  reset(): void {
    this.#hash = this.#create();
  }

  #create(): Hash | Hmac {
    if (this.secret === undefined) return createHash('sha256');
    const key = typeof this.secret === 'string' ? this.secret : ArrayBuffer.isView(this.secret)
      ? Buffer.from(this.secret.buffer, this.secret.byteOffset, this.secret.byteLength)
      : Buffer.from(this.secret);
    return createHmac('sha256', key);
  }
}
