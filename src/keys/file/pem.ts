/**
 * PEM blocks as Go's encoding/pem reads them: text outside blocks is ignored (comments and preambles are
 * allowed), `Name: value` header lines after BEGIN are kept apart, the body is strict base64, and the END
 * line must name the same type. Malformed blocks are skipped, as Go's decoder skips them.
 */
export interface PemBlock {
  readonly type: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly der: Buffer;
}

const BLOCK = /-----BEGIN ([^\r\n-]+(?:-[^\r\n-]+)*)-----\r?\n([\s\S]*?)-----END \1-----/g;

export function isPem(data: Buffer): boolean {
  return data.includes('-----BEGIN ');
}

export function decodePem(text: string): PemBlock[] {
  const blocks: PemBlock[] = [];
  for (const match of text.matchAll(BLOCK)) {
    const block = decodeBody(match[1]!, match[2]!);
    if (block) blocks.push(block);
  }
  return blocks;
}

// The body is taken apart with string operations rather than regular expressions: each of those costs
// ~0.1 ms to compile and tier up on every credential-process run, which reads two PEM files.
function decodeBody(type: string, body: string): PemBlock | undefined {
  const lines = body.split('\n').map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
  const headers: Record<string, string> = {};
  if (lines[0]?.includes(':')) {
    while (lines.length && lines[0]!.includes(':')) {
      const line = lines.shift()!;
      const colon = line.indexOf(':');
      headers[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
    }
    if (lines[0]?.trim() !== '') return undefined;
  }
  const base64 = lines.join('').split(' ').join('').split('\t').join('');
  if (base64.length % 4 !== 0 || !isBase64(base64)) return undefined;
  return { type, headers, der: Buffer.from(base64, 'base64') };
}

/** Standard base64 alphabet, then at most two `=`. */
function isBase64(text: string): boolean {
  let end = text.length;
  if (text.endsWith('==')) end -= 2;
  else if (text.endsWith('=')) end -= 1;
  for (let i = 0; i < end; i++) {
    const c = text[i]!;
    const valid = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c === '+' || c === '/';
    if (!valid) return false;
  }
  return true;
}

export function encodePem(type: string, der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${type}-----\n${lines.join('\n')}\n-----END ${type}-----\n`;
}
