// A relayed message goes out as the client wrote it, byte for byte, except for the header fields Sendarix owns:
// Bcc would show the hidden recipients to everyone, Return-Path is the receiving server's to write,
// X-Idempotency-Key is an instruction to Sendarix, and X-Sendarix-Message-Id names the message so that a bounce
// can be matched to it. Message-ID and Date are added only when the client left them out.

const REMOVED_FIELDS = new Set(['bcc', 'return-path', 'x-idempotency-key', 'x-sendarix-message-id']);
const HEADER_END = Buffer.from('\r\n\r\n');
const BARE_LF_HEADER_END = Buffer.from('\n\n');

export interface DeliveryHeaders {
  /** Sendarix's message id, written as X-Sendarix-Message-Id (and in a Message-ID the client did not set). */
  messageId: string;
  messageIdHeader: string;
  hostname: string;
  createdAt: Date;
  /** Further fields Sendarix adds, e.g. List-Unsubscribe. */
  extra?: Record<string, string>;
}

/** The raw message with Sendarix's header fields in place; the body is not touched. */
export function rawForDelivery(raw: Buffer, opts: DeliveryHeaders): Buffer {
  const { header, body } = splitHeader(raw);
  const fields = headerFields(header).filter((f) => !REMOVED_FIELDS.has(f.name));
  const present = new Set(fields.map((f) => f.name));
  const added = [`${opts.messageIdHeader}: ${opts.messageId}`];
  if (!present.has('message-id')) added.push(`Message-ID: <${opts.messageId}@${opts.hostname}>`);
  if (!present.has('date')) added.push(`Date: ${rfc5322Date(opts.createdAt)}`);
  for (const [name, value] of Object.entries(opts.extra ?? {})) added.push(`${name}: ${value}`);
  const prefix = Buffer.from(`${added.join('\r\n')}\r\n`, 'latin1');
  return Buffer.concat([prefix, Buffer.from(fields.map((f) => f.text).join(''), 'latin1'), body]);
}

interface HeaderField {
  /** Lower-cased field name ('' for a line that is no field). */
  name: string;
  /** The field as it came: name, value and folded lines, with their line endings. */
  text: string;
}

/** The header block (each field with its line ending) and the rest: the blank line and the body. */
function splitHeader(raw: Buffer): { header: string; body: Buffer } {
  let end = raw.indexOf(HEADER_END);
  let ending = 2;
  if (end < 0) {
    end = raw.indexOf(BARE_LF_HEADER_END);
    ending = 1;
  }
  if (end < 0) return { header: raw.toString('latin1'), body: Buffer.alloc(0) };
  return { header: raw.subarray(0, end + ending).toString('latin1'), body: raw.subarray(end + ending) };
}

function headerFields(header: string): HeaderField[] {
  const fields: HeaderField[] = [];
  for (const line of header.match(/[^\n]*\n|[^\n]+$/g) ?? []) {
    const last = fields[fields.length - 1];
    if (last && /^[ \t]/.test(line)) {
      last.text += line;
      continue;
    }
    const colon = line.indexOf(':');
    fields.push({ name: colon > 0 ? line.slice(0, colon).trim().toLowerCase() : '', text: line });
  }
  return fields;
}

/** `Tue, 01 Jan 2030 10:00:00 +0000`. */
function rfc5322Date(date: Date): string {
  return date.toUTCString().replace(/GMT$/, '+0000');
}
