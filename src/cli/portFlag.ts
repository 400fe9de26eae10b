import { HelperError } from '../errors.js';

/** A --port value (serve, emulator): a TCP port, 0 asking for any free one. */
export function checkedPort(port: number): number {
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new HelperError(`invalid --port ${port}: it must be between 0 and 65535`);
  return port;
}
