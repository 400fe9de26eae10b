/**
 * Elements of STS's XML answers, found by name in one pass over the text rather than with an XML parser:
 * STS's documents are flat and small (src/sts/stsResponse.ts reads them).
 */

/**
 * What is inside the first `<name>…</name>` (namespace prefixes and attributes allowed), as it is written.
 * Found in one pass: a regular expression went over the rest of the text again from each opening tag
 * without a closing one (fuzzing QA: 47 s for a 1 MB answer of `<Error>`s, the attempt's timeout unable
 * to fire). Should the first opening tag have no closing tag after it, no later one has.
 */
export function element(xml: string, name: string): string | undefined {
  const start = openingTagEnd(xml, name);
  const end = start === undefined ? -1 : closingTagStart(xml, name, start);
  return end === -1 ? undefined : xml.slice(start, end);
}

/** Where the content of the first `<name>`, `<prefix:name>` or `<name attributes…>` begins. */
function openingTagEnd(xml: string, name: string): number | undefined {
  for (let lt = xml.indexOf('<'); lt !== -1; lt = xml.indexOf('<', lt + 1)) {
    let at = lt + 1;
    const word = wordEnd(xml, at);
    if (word > at && xml[word] === ':') at = word + 1;
    if (!xml.startsWith(name, at)) continue;
    at += name.length;
    if (xml[at] === '>') return at + 1;
    if (!/\s/.test(xml[at] ?? '')) continue;
    // Attributes, up to the first '>'.
    const gt = xml.indexOf('>', at);
    return gt === -1 ? undefined : gt + 1;
  }
  return undefined;
}

/** Where the first `</name>` or `</prefix:name>` at or after `from` begins; -1 if none. */
function closingTagStart(xml: string, name: string, from: number): number {
  const tail = `${name}>`;
  for (let at = xml.indexOf(tail, from); at !== -1; at = xml.indexOf(tail, at + 1)) {
    let tag = at;
    if (xml[at - 1] === ':') {
      tag = at - 1;
      while (tag > from && isWordCharacter(xml.charCodeAt(tag - 1))) tag--;
      if (tag === at - 1) continue;
    }
    if (tag - 2 >= from && xml.startsWith('</', tag - 2)) return tag - 2;
  }
  return -1;
}

/** The end of the run of word characters (\w) from `at`. */
function wordEnd(text: string, at: number): number {
  while (at < text.length && isWordCharacter(text.charCodeAt(at))) at++;
  return at;
}

function isWordCharacter(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95;
}

/** The text of the first `<name>…</name>`: entities decoded, or a CDATA section's text as it is. */
export function textOf(xml: string, name: string): string | undefined {
  const text = element(xml, name)?.trim();
  if (text === undefined) return undefined;
  return text.startsWith('<![CDATA[') && text.endsWith(']]>') ? text.slice(9, -3) : decodeEntities(text);
}

const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Decodes the predefined entities and character references; a reference past Unicode's last code point stays as written. */
function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|\w+);/g, (entity, code: string) => {
    if (!code.startsWith('#')) return ENTITIES[code] ?? entity;
    const point = code.startsWith('#x') ? parseInt(code.slice(2), 16) : Number(code.slice(1));
    return point <= 0x10ffff ? String.fromCodePoint(point) : entity;
  });
}
