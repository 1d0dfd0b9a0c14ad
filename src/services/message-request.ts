// Checks a send request beyond its shape: addresses, headers, template, schedule, attachments. Every problem
// is collected with its field, so the client can fix them all at once. Nothing here touches Temporal.
import { normalizeForSuppression, parseMailbox, type Mailbox } from '../mail/address';
import type { MessageContent, StoredAttachment, StoredMailbox } from '../mail/content';
import type { FieldError } from '../errors';
import type { SendMessageRequest } from '../api/schemas';
import { renderTemplate, type TemplateSource } from '../templates/render';

/** Attachments above this draw a warning: many receiving servers refuse messages over 25 MB. */
export const ATTACHMENT_WARNING_BYTES = 25 * 1024 * 1024;
/** Total decoded payload (bodies and attachments) accepted for one message. */
export const MAX_PAYLOAD_BYTES = 50 * 1024 * 1024;

const ISO_INSTANT_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
const HEADER_NAME = /^[!-9;-~]+$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const IDEMPOTENCY_HEADER = 'x-idempotency-key';
/** Headers Sendarix writes itself; a request may not set them. */
const RESERVED_HEADERS = new Set([
  'from', 'to', 'cc', 'bcc', 'subject', 'date', 'message-id', 'return-path', 'sender', 'reply-to',
  'mime-version', 'content-type', 'content-transfer-encoding', 'x-sendarix-message-id', 'dkim-signature',
]);
const HIGH_PRIORITY_CATEGORIES = new Set(['otp', 'security']);
/** Templates of this category carry one-click unsubscribe headers unless the request says `unsubscribe: false`. */
const UNSUBSCRIBE_CATEGORY = 'lifecycle';

export interface PreparedMessage {
  content: MessageContent;
  recipient: Mailbox;
  recipientKey: string;
  template?: string;
  scheduledAt?: Date;
  priority: 'high' | 'normal' | 'low';
  idempotencyKeyFromHeaders?: string;
  warnings: { code: string; message: string }[];
  /** One-click unsubscribe headers wanted: asked for, or a lifecycle template (links are made once the id is known). */
  listUnsubscribe: boolean;
}

export interface PrepareContext {
  defaultFrom?: string;
  /** The project's suppressionIgnoresSubaddress setting: `a+tag@x` and `a@x` share one recipient key. */
  ignoreSubaddress?: boolean;
  findTemplate(name: string): Promise<(TemplateSource & { category: string }) | undefined>;
  /** Whether the project may send from this A-label domain (a verified domain or an operator-trusted identity). */
  isSenderDomainAllowed(asciiDomain: string): Promise<boolean>;
}

export async function prepareMessage(
  req: SendMessageRequest,
  ctx: PrepareContext,
): Promise<{ ok: true; message: PreparedMessage } | { ok: false; errors: FieldError[] }> {
  const errors: FieldError[] = [];
  const warnings: PreparedMessage['warnings'] = [];

  const recipient = mailboxField('recipient', req.recipient, errors);
  const fromInput = req.from ?? ctx.defaultFrom;
  const from = fromInput === undefined
    ? (errors.push({ field: 'from', code: 'required', message: 'from is required: the project has no default sender' }), undefined)
    : mailboxField('from', fromInput, errors);
  if (from && !(await ctx.isSenderDomainAllowed(from.asciiDomain))) {
    errors.push({
      field: 'from',
      code: 'unverified_sender_domain',
      message: `from: ${from.domain} is not a verified sender domain of this project; add and verify it at /v1/domains`,
    });
  }
  const replyToInputs = req.reply_to === undefined ? [] : Array.isArray(req.reply_to) ? req.reply_to : [req.reply_to];
  const replyTo = replyToInputs.map((r, i) => mailboxField(Array.isArray(req.reply_to) ? `reply_to.${i}` : 'reply_to', r, errors));

  const { headers, idempotencyKey } = checkHeaders(req.headers ?? {}, errors);
  const body = await renderBody(req, ctx, errors);
  if (body && /[\r\n]/.test(body.subject)) {
    errors.push({ field: 'subject', code: 'header_injection', message: 'subject must not contain CR or LF' });
  }
  const scheduledAt = checkSchedule(req.scheduled_time, errors);
  const attachments = checkAttachments(req.attachments ?? [], errors, warnings);
  const payloadBytes = Buffer.byteLength(body?.html ?? '') + Buffer.byteLength(body?.text ?? '') + attachments.bytes;
  if (payloadBytes > MAX_PAYLOAD_BYTES) {
    errors.push({ field: 'attachments', code: 'payload_too_large', message: 'message exceeds 50 MB in total' });
  }

  const listUnsubscribe = req.unsubscribe ?? body?.category === UNSUBSCRIBE_CATEGORY;
  const ownListHeader = Object.keys(headers).find((h) => h.toLowerCase().startsWith('list-unsubscribe'));
  if (listUnsubscribe && ownListHeader) {
    const message = `header ${ownListHeader} conflicts with the one-click unsubscribe headers Sendarix adds`;
    errors.push({ field: `headers.${ownListHeader}`, code: 'conflicting_fields', message });
  }

  if (errors.length > 0 || !recipient || !from || !body) return { ok: false, errors };
  const content: MessageContent = {
    from: stored(from),
    to: stored(recipient),
    replyTo: replyTo.filter((m): m is Mailbox => m !== undefined).map(stored),
    subject: body.subject,
    html: body.html,
    text: body.text,
    headers,
    attachments: attachments.list,
  };
  const priority = req.priority ?? (body.category && HIGH_PRIORITY_CATEGORIES.has(body.category) ? 'high' : 'normal');
  return {
    ok: true,
    message: {
      content,
      recipient,
      recipientKey: normalizeForSuppression(recipient, { ignoreSubaddress: ctx.ignoreSubaddress }),
      template: req.template,
      scheduledAt,
      priority,
      idempotencyKeyFromHeaders: idempotencyKey,
      warnings,
      listUnsubscribe,
    },
  };
}

function mailboxField(field: string, input: string, errors: FieldError[]): Mailbox | undefined {
  const parsed = parseMailbox(input);
  if (parsed.ok) return parsed.mailbox;
  errors.push({ field, code: parsed.code, message: `${field}: ${parsed.message}` });
  return undefined;
}

function stored(m: Mailbox): StoredMailbox {
  return { name: m.name, address: m.address, display: m.display, utf8Local: m.utf8Local };
}

function checkHeaders(input: Record<string, string>, errors: FieldError[]) {
  const headers: Record<string, string> = {};
  let idempotencyKey: string | undefined;
  for (const [name, value] of Object.entries(input)) {
    const field = `headers.${name}`;
    if (!HEADER_NAME.test(name)) {
      errors.push({ field, code: 'invalid_header_name', message: `"${name}" is not a valid header name` });
    } else if (/[\r\n\0]/.test(value)) {
      errors.push({ field, code: 'header_injection', message: `header ${name} must not contain CR, LF or NUL` });
    } else if (name.toLowerCase() === IDEMPOTENCY_HEADER) {
      idempotencyKey = value;
    } else if (RESERVED_HEADERS.has(name.toLowerCase())) {
      errors.push({ field, code: 'reserved_header', message: `header ${name} is set by Sendarix; use the matching field` });
    } else {
      headers[name] = value;
    }
  }
  return { headers, idempotencyKey };
}

async function renderBody(req: SendMessageRequest, ctx: PrepareContext, errors: FieldError[]) {
  if (req.template !== undefined) {
    if (req.html !== undefined || req.text !== undefined) {
      errors.push({ field: 'template', code: 'conflicting_fields', message: 'give either template or html/text, not both' });
      return undefined;
    }
    const template = await ctx.findTemplate(req.template);
    if (!template) {
      errors.push({ field: 'template', code: 'unknown_template', message: `no template named "${req.template}"` });
      return undefined;
    }
    const rendered = renderTemplate(template, req.template_data ?? {});
    if (!rendered.ok) {
      errors.push(...rendered.errors);
      return undefined;
    }
    const subject = req.subject ?? rendered.subject;
    return { subject, html: rendered.html || undefined, text: rendered.text || undefined, category: template.category };
  }
  if (req.template_data !== undefined) {
    errors.push({ field: 'template_data', code: 'unexpected_field', message: 'template_data needs a template' });
  }
  if (req.html === undefined && req.text === undefined) {
    errors.push({ field: 'html', code: 'required', message: 'give html or text (or a template)' });
  }
  if (req.subject === undefined || req.subject.trim() === '') {
    errors.push({ field: 'subject', code: 'required', message: 'subject is required unless the template supplies one' });
    return undefined;
  }
  return { subject: req.subject, html: req.html, text: req.text, category: undefined };
}

function checkSchedule(input: string | undefined, errors: FieldError[]): Date | undefined {
  if (input === undefined) return undefined;
  const time = Date.parse(input);
  if (!ISO_INSTANT_WITH_OFFSET.test(input) || Number.isNaN(time)) {
    errors.push({
      field: 'scheduled_time',
      code: 'invalid_datetime',
      message: 'scheduled_time must be an ISO 8601 instant with an offset, e.g. 2026-04-19T14:30:00Z',
    });
    return undefined;
  }
  // A time already past means "send now"; it is not an error.
  return time > Date.now() ? new Date(time) : undefined;
}

function checkAttachments(
  input: NonNullable<SendMessageRequest['attachments']>,
  errors: FieldError[],
  warnings: PreparedMessage['warnings'],
): { list: StoredAttachment[]; bytes: number } {
  let bytes = 0;
  const list: StoredAttachment[] = [];
  input.forEach((a, i) => {
    const content = a.content.replace(/\s+/g, '');
    if (content.length % 4 !== 0 || !BASE64.test(content)) {
      errors.push({ field: `attachments.${i}.content`, code: 'invalid_base64', message: 'content must be base64' });
      return;
    }
    if (/[\r\n"\\]/.test(a.filename)) {
      errors.push({ field: `attachments.${i}.filename`, code: 'header_injection', message: 'filename has CR, LF, quote or backslash' });
      return;
    }
    if (a.content_type !== undefined && /[\r\n\0]/.test(a.content_type)) {
      const message = 'content_type has CR, LF or NUL';
      errors.push({ field: `attachments.${i}.content_type`, code: 'header_injection', message });
      return;
    }
    bytes += Math.floor((content.length * 3) / 4);
    list.push({ filename: a.filename, contentType: a.content_type, content });
  });
  if (bytes > ATTACHMENT_WARNING_BYTES) {
    warnings.push({
      code: 'large_attachments',
      message: 'attachments exceed 25 MB: some receiving servers refuse such messages; consider a download link',
    });
  }
  return { list, bytes };
}

