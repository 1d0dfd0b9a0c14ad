// What a message relayed over SMTP asks for, in the words of the HTTP API: one send request per envelope
// recipient, so that it goes through the very same validation, suppression, events and webhooks. The raw MIME is
// what is sent; these fields describe it and are what the checks look at.
import type { AddressObject, ParsedMail } from 'mailparser';
import type { SendMessageRequest } from '../api/schemas';
import { sha256Hex } from '../ids';

/** Header fields that the request's own fields (or the transport) carry; the other fields go into `headers`. */
const NOT_EXTRA_HEADERS = new Set([
  'from', 'sender', 'to', 'cc', 'bcc', 'reply-to', 'subject', 'date', 'message-id', 'in-reply-to', 'references',
  'mime-version', 'content-type', 'content-transfer-encoding', 'content-disposition', 'content-id',
  'content-description', 'return-path', 'received', 'delivered-to', 'dkim-signature', 'x-sendarix-message-id',
  'x-idempotency-key', 'authentication-results', 'arc-seal', 'arc-message-signature', 'arc-authentication-results',
]);
const MAX_HEADER_NAME_CHARS = 128;
const MAX_HEADER_VALUE_CHARS = 998;
const MAX_KEY_CHARS = 255;
const PRINTABLE_ASCII = /^[\x21-\x7e]+$/;
const FILENAME_UNSAFE = /[\r\n"\\]/g;

/** The send request for one envelope recipient; `mailFrom` stands in for a missing From header. */
export function relayRequest(parsed: ParsedMail, recipient: string, mailFrom: string | undefined): SendMessageRequest {
  const from = firstMailbox(parsed.from) ?? mailFrom;
  const replyTo = mailboxes(parsed.replyTo);
  const attachments = parsed.attachments.map((a, i) => ({
    filename: (a.filename ?? `attachment-${i + 1}`).replace(FILENAME_UNSAFE, '_'),
    content: a.content.toString('base64'),
    content_type: a.contentType,
  }));
  const headers = extraHeaders(parsed);
  return {
    recipient,
    ...(from !== undefined ? { from } : {}),
    ...(parsed.subject !== undefined ? { subject: parsed.subject } : {}),
    ...(typeof parsed.html === 'string' ? { html: parsed.html } : {}),
    ...(parsed.text !== undefined ? { text: parsed.text } : {}),
    ...(replyTo.length === 1 ? { reply_to: replyTo[0] } : replyTo.length > 1 ? { reply_to: replyTo } : {}),
    ...(Object.keys(headers).length > 0 ? { headers } : {}),
    ...(attachments.length > 0 ? { attachments } : {}),
  };
}

/**
 * The idempotency key of one recipient of a relayed message: `smtp:<Message-ID>:<recipient>` (an
 * X-Idempotency-Key header, when the client sets one, stands in for the Message-ID), so that a client retrying the
 * same message creates nothing new. A key that would not be 1-255 printable ASCII characters is hashed.
 */
export function relayIdempotencyKey(parsed: ParsedMail, recipient: string): string | undefined {
  const explicit = parsed.headers.get('x-idempotency-key');
  const source = typeof explicit === 'string' && explicit.trim() !== '' ? explicit.trim() : parsed.messageId;
  if (!source) return undefined;
  const key = `smtp:${source}:${recipient}`;
  if (key.length <= MAX_KEY_CHARS && PRINTABLE_ASCII.test(key)) return key;
  return `smtp:sha256:${sha256Hex(`${source}\n${recipient}`)}`;
}

function mailboxes(header: AddressObject | AddressObject[] | undefined): string[] {
  const groups = header === undefined ? [] : Array.isArray(header) ? header : [header];
  return groups.flatMap((g) => g.value).flatMap((a) => (a.address ? [display(a.name, a.address)] : []));
}

function firstMailbox(header: AddressObject | AddressObject[] | undefined): string | undefined {
  return mailboxes(header)[0];
}

/** `"Name" <addr>`, quoted so that the address parser reads the name as the client meant it. */
function display(name: string, address: string): string {
  return name ? `"${name.replace(/["\\]/g, '\\$&')}" <${address}>` : address;
}

/** Further header fields, unfolded, first occurrence of a name; values too long for a request are left to the raw. */
function extraHeaders(parsed: ParsedMail): Record<string, string> {
  const headers: Record<string, string> = {};
  const seen = new Set<string>();
  for (const { key, line } of parsed.headerLines) {
    if (NOT_EXTRA_HEADERS.has(key) || seen.has(key)) continue;
    const colon = line.indexOf(':');
    const name = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).replace(/\r?\n[ \t]*/g, ' ').trim();
    const fits = colon > 0 && name.length <= MAX_HEADER_NAME_CHARS && value.length <= MAX_HEADER_VALUE_CHARS;
    if (!fits || /\0/.test(value)) continue;
    seen.add(key);
    headers[name] = value;
  }
  return headers;
}
