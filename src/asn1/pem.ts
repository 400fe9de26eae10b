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

const BEGIN = '-----BEGIN ';
const END = '-----END ';
const DASHES = '-----';

export function isPem(data: Buffer): boolean {
  return data.includes(BEGIN);
}

/**
 * Why a file that should hold PEM or DER plainly holds neither, for its message: it is empty, or text
 * without a `-----BEGIN` line (DER starts with a SEQUENCE); undefined when it may be either.
 */
export function notPemOrDer(data: Buffer): string | undefined {
  if (data.length === 0) return 'it is empty';
  if (!isPem(data) && data[0] !== 0x30) return utf16Text(data) ?? 'it is neither PEM (no "-----BEGIN" line) nor DER';
  return undefined;
}

/**
 * Said of text saved as UTF-16 (a byte-order mark, or the dashes of a BEGIN line with a NUL byte between
 * them), which Windows PowerShell 5 writes with `>` and Out-File: no PEM reader takes it (QA).
 */
export function utf16Text(data: Buffer): string | undefined {
  const marked = (data[0] === 0xff && data[1] === 0xfe) || (data[0] === 0xfe && data[1] === 0xff);
  if (!marked && !data.includes('-\0-\0-\0-\0-\0', 0, 'latin1')) return undefined;
  return 'it is UTF-16 text, as Windows PowerShell 5 writes with > or Out-File: save it as UTF-8 or ASCII';
}

export function decodePem(text: string): PemBlock[] {
  const blocks: PemBlock[] = [];
  for (const { type, body } of scanPem(text)) {
    const block = decodeBody(type, body);
    if (block) blocks.push(block);
  }
  return blocks;
}

/**
 * How many `-----BEGIN ` markers a text holds: more than decodePem's blocks when one is damaged (no END line,
 * a body that is not base64), which Go skips but a reader of a bundle must not take for fewer certificates.
 */
export function beginCount(text: string, type?: string): number {
  return text.split(type === undefined ? BEGIN : `${BEGIN}${type}${DASHES}`).length - 1;
}

/**
 * Why a text that begins a block of one of these types holds none that decodes: a PEM whose line breaks
 * were lost (written as the two characters \n, as a .env file or a JSON secret may hold it, or run into
 * one line), whose lines end in a lone CR (old Mac line ends, which openssl and Go's encoding/pem take for
 * no line break either), or whose END line or base64 is damaged. undefined when it begins none.
 */
export function damagedBlock(text: string, types: readonly string[]): string | undefined {
  const type = types.find((candidate) => text.includes(`${BEGIN}${candidate}${DASHES}`));
  if (type === undefined) return undefined;
  const block = text.slice(text.indexOf(`${BEGIN}${type}${DASHES}`));
  const why = text.includes('\\n')
    ? ': it holds \\n as two characters where line breaks belong'
    : /\r(?!\n)/.test(block)
      ? ': its lines end in a lone CR (old Mac line ends), which no PEM reader (openssl, Go) takes for a line break: save it with LF or CRLF line ends'
      : ' (no line break after its BEGIN line, no END line, or not base64)';
  return `its ${type} block is damaged${why}`;
}

/**
 * The blocks of a text, undecoded: `-----BEGIN <type>-----`, spaces or tabs, a line break, the body, and the first
 * `-----END <type>-----` after it; a BEGIN without its END is skipped, and the search goes on after each
 * block. In time linear in the text, whatever it holds (a regular expression that searched for each BEGIN's
 * END took 15 s over 40,000 BEGIN lines without one): every END is found in one pass first, and each BEGIN
 * then looks its END up by type.
 */
export function scanPem(text: string): { type: string; body: string }[] {
  const endsByType = new Map<string, { positions: number[]; next: number }>();
  for (let at = text.indexOf(END); at !== -1; at = text.indexOf(END, at + 1)) {
    const type = markerType(text, at + END.length);
    if (type === undefined) continue;
    const ends = endsByType.get(type);
    if (ends) ends.positions.push(at);
    else endsByType.set(type, { positions: [at], next: 0 });
  }
  const spans: { type: string; body: string }[] = [];
  for (let at = text.indexOf(BEGIN); at !== -1; ) {
    const type = markerType(text, at + BEGIN.length);
    let bodyStart = type === undefined ? -1 : at + BEGIN.length + type.length + DASHES.length;
    // Go trims spaces and tabs off the end of the BEGIN line: copies pasted from YAML or web forms have them.
    while (text[bodyStart] === ' ' || text[bodyStart] === '\t') bodyStart++;
    if (text[bodyStart] === '\r') bodyStart++;
    const ends = text[bodyStart] === '\n' ? endsByType.get(type!) : undefined;
    if (ends) {
      bodyStart++;
      // BEGINs are visited in order, so each type's ENDs before this body are never needed again.
      while (ends.next < ends.positions.length && ends.positions[ends.next]! < bodyStart) ends.next++;
      const end = ends.positions[ends.next];
      if (end !== undefined) {
        spans.push({ type: type!, body: text.slice(bodyStart, end) });
        at = text.indexOf(BEGIN, end + END.length + type!.length + DASHES.length);
        continue;
      }
    }
    at = text.indexOf(BEGIN, at + 1);
  }
  return spans;
}

/**
 * The type a BEGIN or END marker names from `start`: up to the first `-----` (so it never ends in a `-`), on
 * the same line, without a doubled `-`; undefined if there is none.
 */
function markerType(text: string, start: number): string | undefined {
  const dashes = text.indexOf(DASHES, start);
  if (dashes <= start) return undefined;
  const type = text.slice(start, dashes);
  if (type.includes('--') || type.includes('\n') || type.includes('\r')) return undefined;
  return type;
}

// The body is taken apart with string operations rather than regular expressions: each of those costs
// ~0.1 ms to compile and tier up on every credential-process run, which reads two PEM files.
function decodeBody(type: string, body: string): PemBlock | undefined {
  const lines = body.split('\n').map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
  const headers: Record<string, string> = {};
  // Header lines run to the first line without a colon, as Go reads them: a blank line after them is usual,
  // not required (QA clientfuzz: Go's helper reads a certificate with headers and no blank line).
  let first = 0;
  for (; first < lines.length && lines[first]!.includes(':'); first++) {
    const line = lines[first]!;
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
  }
  const base64 = lines.slice(first).join('').split(' ').join('').split('\t').join('');
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
