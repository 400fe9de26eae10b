/**
 * A serial number's hex as check and the emulator print it: the INTEGER's content octets, the leading zero
 * of a positive number whose top bit is set left out (`00ff01` is `ff01`).
 */
export function serialNumberHex(octets: Buffer): string {
  return (octets.length > 1 && octets[0] === 0 && octets[1]! > 0x7f ? octets.subarray(1) : octets).toString('hex');
}

/** A hex serial number as a positive INTEGER's content octets: leading zeros dropped, one put back before a set top bit. */
export function serialNumberOctets(hex: string): Buffer {
  const bytes = Buffer.from(hex.length % 2 ? `0${hex}` : hex, 'hex');
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  const magnitude = bytes.length === 0 ? Buffer.from([0]) : bytes.subarray(start);
  return magnitude[0]! > 0x7f ? Buffer.concat([Buffer.from([0]), magnitude]) : magnitude;
}
