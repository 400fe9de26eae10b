import { connect, type Socket } from 'node:net';

/** What keptConnection saw: the answers' heads and bodies, and whether the server closed the connection while it was idle. */
export interface KeptConnection {
  readonly first: string;
  /** Undefined when the server closed the connection during the idle time (or reset it). */
  readonly second: string | undefined;
  readonly closedWhileIdle: boolean;
}

/**
 * Sends `request` (a whole HTTP/1.1 request, without a body) on a new connection to 127.0.0.1:`port`, reads
 * the answer (it must have a Content-Length), leaves the connection idle for `idleMs`, then, unless the server
 * closed it meanwhile, sends `request` again on it and reads the second answer. A client that reuses a kept-alive
 * connection (the JavaScript SDK's agent, urllib3) does the same, and gets ECONNRESET when the server's close
 * crosses its request.
 */
export async function keptConnection(port: number, request: string, idleMs: number): Promise<KeptConnection> {
  const socket = connect(port, '127.0.0.1');
  let buffer = Buffer.alloc(0);
  let ended = false;
  let waiting: (() => void) | undefined;
  socket.on('data', (chunk: Buffer) => {
    buffer = Buffer.concat([buffer, chunk]);
    waiting?.();
  });
  const over = () => {
    ended = true;
    waiting?.();
  };
  socket.on('end', over);
  socket.on('close', over);
  socket.on('error', over);
  try {
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    const first = await exchange(socket, request);
    if (first === undefined) throw new Error('the server closed the connection without answering the first request');
    await new Promise((resolve) => setTimeout(resolve, idleMs));
    if (ended) return { first, second: undefined, closedWhileIdle: true };
    return { first, second: await exchange(socket, request), closedWhileIdle: false };
  } finally {
    socket.destroy();
  }

  function exchange(sock: Socket, text: string): Promise<string | undefined> {
    buffer = Buffer.alloc(0);
    sock.write(text);
    return new Promise((resolve) => {
      waiting = () => {
        const text = buffer.toString('latin1');
        const end = text.indexOf('\r\n\r\n');
        const length = Number(/\r\ncontent-length: *(\d+)/i.exec(text.slice(0, end))?.[1] ?? 0);
        if (end >= 0 && buffer.length >= end + 4 + length) resolve(text.slice(0, end + 4 + length));
        else if (ended) resolve(undefined);
      };
      waiting();
    });
  }
}
