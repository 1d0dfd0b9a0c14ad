// The direct parts of a multipart report, split here rather than by mailparser: mailparser folds an inline
// message/rfc822 part (what most feedback loops send) into the text of the report, and with it the headers that
// name the original message.

export interface MimePart {
  /** Lower-cased media type without parameters, `text/plain` when the part has none (RFC 2046). */
  contentType: string;
  /** The part's body, transfer encoding undone. */
  body: Buffer;
}

/** The parts between the `--boundary` lines of a multipart body (the preamble and epilogue are left out). */
export function multipartParts(raw: Buffer, boundary: string): MimePart[] {
  const text = raw.toString('latin1');
  const start = text.search(/\r?\n\r?\n/);
  const body = start < 0 ? '' : text.slice(start).replace(/^\r?\n\r?\n/, '\n');
  const delimiter = new RegExp(`\\r?\\n--${escapeRegExp(boundary)}(--)?[ \\t]*(?=\\r?\\n|$)`, 'g');
  const parts: MimePart[] = [];
  let open: number | undefined;
  for (let match = delimiter.exec(body); match; match = delimiter.exec(body)) {
    if (open !== undefined) parts.push(part(body.slice(open, match.index)));
    if (match[1]) break;
    open = match.index + match[0].length;
  }
  return parts;
}

/** The unfolded header fields of a header block, lower-cased names (first occurrence wins). */
export function headerMap(block: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const line of block.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    const name = line.slice(0, colon).trim().toLowerCase();
    if (colon > 0 && !fields.has(name)) fields.set(name, line.slice(colon + 1).trim());
  }
  return fields;
}

function part(text: string): MimePart {
  const content = text.replace(/^\r?\n/, '');
  // A part that starts with a blank line has no header fields.
  const split = /^\r?\n/.exec(content) ?? /\r?\n\r?\n/.exec(content);
  const headerText = split ? content.slice(0, split.index) : content;
  const bodyText = split ? content.slice(split.index + split[0].length) : '';
  const headers = headerMap(headerText);
  const contentType = (headers.get('content-type') ?? 'text/plain').split(';')[0]?.trim().toLowerCase() || 'text/plain';
  return { contentType, body: decode(bodyText, headers.get('content-transfer-encoding')) };
}

function decode(body: string, encoding: string | undefined): Buffer {
  switch (encoding?.trim().toLowerCase()) {
    case 'base64':
      return Buffer.from(body.replace(/[^A-Za-z0-9+/=]/g, ''), 'base64');
    case 'quoted-printable':
      return Buffer.from(
        body
          .replace(/=\r?\n/g, '')
          .replace(/=([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))),
        'latin1',
      );
    default:
      return Buffer.from(body, 'latin1');
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
