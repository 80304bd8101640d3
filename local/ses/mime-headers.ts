/**
 * Just enough of RFC 5322 / RFC 2047 to read a raw email's headers: SES event publishing reports
 * the From, To and Subject of raw (MIME) emails, and honours the `X-SES-CONFIGURATION-SET` and
 * `X-SES-MESSAGE-TAGS` headers in them. Bodies are never read.
 */

export interface MimeHeader {
  readonly name: string;
  readonly value: string;
}

/** The header block of a raw message, unfolded, in order (names as written). */
export function parseHeaders(raw: string): MimeHeader[] {
  const end = raw.search(/\r?\n\r?\n/);
  const block = end === -1 ? raw : raw.slice(0, end);
  // A line starting with whitespace continues the previous header (folding).
  const unfolded = block.replace(/\r?\n(?=[ \t])/g, '');
  return unfolded.split(/\r?\n/).flatMap((line) => {
    const colon = line.indexOf(':');
    if (colon <= 0) return [];
    return [{ name: line.slice(0, colon).trim(), value: line.slice(colon + 1).trim() }];
  });
}

/** The first header with this name (names are case-insensitive). */
export function headerValue(headers: readonly MimeHeader[], name: string): string | undefined {
  return headers.find((header) => header.name.toLowerCase() === name.toLowerCase())?.value;
}

function decodeWord(charset: string, encoding: string, text: string): string {
  const bytes =
    encoding.toUpperCase() === 'B'
      ? Buffer.from(text, 'base64')
      : Buffer.from(
          text.replace(/_/g, ' ').replace(/=([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))),
          'latin1',
        );
  try {
    return new TextDecoder(charset).decode(bytes);
  } catch {
    // An unknown charset: better a readable approximation than no subject.
    return bytes.toString('utf8');
  }
}

/** Decodes RFC 2047 encoded words (`=?UTF-8?B?…?=`, `=?ISO-8859-1?Q?…?=`) in a header value. */
export function decodeEncodedWords(value: string): string {
  return (
    value
      // Whitespace between two encoded words is not part of the text.
      .replace(/(\?=)\s+(=\?)/g, '$1$2')
      .replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_, charset: string, encoding: string, text: string) => decodeWord(charset, encoding, text))
  );
}

/** Splits on commas that are outside quotes, comments and angle brackets. */
function splitAddressList(value: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  let depth = 0;
  for (const char of value) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && (char === '<' || char === '(')) depth++;
    else if (!quoted && (char === '>' || char === ')')) depth = Math.max(0, depth - 1);
    if (char === ',' && !quoted && depth === 0) {
      parts.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  parts.push(current);
  return parts;
}

/** The bare address of `Name <a@example.com>` or `a@example.com`. */
export function bareAddress(mailbox: string): string {
  const angle = /<([^>]*)>/.exec(mailbox);
  return (angle?.[1] ?? mailbox.replace(/\([^)]*\)/g, '')).trim();
}

/** The addresses of an address-list header (`To`, `Cc`, `Bcc`); groups' members included. */
export function parseAddressList(value: string | undefined): string[] {
  if (!value) return [];
  // Group syntax, `Friends: a@x, b@y;` — keep the members, drop the label.
  const withoutGroups = value.replace(/[^,:<>"]*:([^;]*);/g, '$1');
  return splitAddressList(withoutGroups)
    .map((mailbox) => bareAddress(mailbox))
    .filter((address) => address.includes('@'));
}
