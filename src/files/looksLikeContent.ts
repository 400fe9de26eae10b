import { redactPin } from '../log/redactUrl.js';

/**
 * Whether what was given as a path is a key or certificate itself, not to be quoted: PEM, DER (a NUL byte:
 * the library's `der.toString()`), or a long run of base64 (a DER key in base64 is 100 characters and more).
 * One line break at the end is no sign of content: a script with CRLF line endings ends its last argument in
 * a carriage return (`--private-key key.pem\r`), a path to show (QA).
 */
export function looksLikeContent(text: string): boolean {
  const line = text.replace(/(\r\n|\r|\n)$/, '');
  // After a scheme-like prefix too (`file:`, `HANDLE:`, a mistyped `ssh-agent:`): the path's message quoted the key (QA).
  return looksLikePemOrBase64(line) || looksLikePemOrBase64(line.replace(/^[a-z][\w+.-]*:/i, '')) || /[\r\n\0]/.test(line);
}

/**
 * Whether a word of the command line is PEM or base64 (a key given as a word of its own, `"$(cat key.pem)"`),
 * blanks around it aside: a word may hold line breaks for other reasons (botocore keeps the one after a `\`
 * ending a line of a credential_process), and is quoted then, unless they break base64 into lines (a PEM's
 * body without its BEGIN and END lines, or what `base64` writes: QA).
 */
export function looksLikePemOrBase64(word: string): boolean {
  const text = word.trim();
  return text.includes('-----BEGIN') || /^[A-Za-z0-9+/=]{64,}$/.test(text.replace(/\s*\n\s*/g, ''));
}

/**
 * A key input of the form `prefix:rest` (`ssh-agent:…`, `handle:…`) as a message may show it: a key pasted
 * after the prefix (PEM, base64) not shown, a pkcs11: URI's PIN hidden (QA: quoted whole). A mistyped
 * fingerprint or handle, shorter than any key, is shown.
 */
export function shownPrefixed(value: string): string {
  const colon = value.indexOf(':');
  const rest = value.slice(colon + 1);
  return rest.includes('-----BEGIN') || looksLikePemOrBase64(rest) ? `${value.slice(0, colon + 1)}(PEM or base64 content, not shown)` : redactPin(value);
}
