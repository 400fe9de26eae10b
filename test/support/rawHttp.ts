import { connect } from 'node:net';

/**
 * Writes `request` as it is (a request no HTTP client would send) on a new connection to 127.0.0.1:`port`,
 * and resolves with everything the server wrote until the connection closed (a reset too: a server that
 * answers before reading the whole request resets the connection as it closes it).
 */
export function rawHttp(port: number, request: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(request));
    let answer = '';
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString('latin1')));
    socket.on('error', () => undefined);
    socket.on('close', () => resolve(answer));
  });
}

/** The status, headers (names in lower case) and body of an answer rawHttp got. */
export function parseAnswer(answer: string): { status: number; headers: Record<string, string>; body: string } {
  const end = answer.indexOf('\r\n\r\n');
  const [statusLine, ...lines] = answer.slice(0, end).split('\r\n');
  const headers = Object.fromEntries(lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
  return { status: Number(statusLine!.split(' ')[1]), headers, body: answer.slice(end + 4) };
}

/** A raw connection to 127.0.0.1:`port`: what it received, whether the server closed it. */
export async function openConnection(port: number) {
  const socket = connect(port, '127.0.0.1');
  let text = '';
  let closed = false;
  socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
  socket.on('close', () => (closed = true));
  socket.on('error', () => (closed = true));
  await new Promise<void>((resolve) => socket.once('connect', resolve).once('close', resolve));
  return {
    send: (data: string) => socket.write(data),
    /** Sends a request and waits for an answer with a body (a Content-Length). */
    ask: async (request: string) => {
      text = '';
      socket.write(request);
      for (let waited = 0; waited < 5000; waited += 10) {
        const end = text.indexOf('\r\n\r\n');
        const length = Number(/\r\ncontent-length: *(\d+)/i.exec(text)?.[1] ?? -1);
        if (end >= 0 && length >= 0 && text.length >= end + 4 + length) return text;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      throw new Error(`no answer: ${JSON.stringify(text)}`);
    },
    received: () => text,
    closed: () => closed,
    destroy: () => socket.destroy(),
  };
}
