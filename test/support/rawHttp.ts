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
