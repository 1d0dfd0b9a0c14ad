// Reads what came back: a delivery status notification (RFC 3464, multipart/report; report-type=delivery-status)
// or a feedback report (ARF, RFC 5965, report-type=feedback-report), with the references to the original
// message that its attached copy (message/rfc822 or text/rfc822-headers) holds. mailparser reads the report's
// own header; its parts and their fields are read here.
import { simpleParser } from 'mailparser';
import { parseFieldGroups, typedValue } from './fields';
import { headerMap, multipartParts, type MimePart } from './mime-parts';

export interface DsnRecipient {
  action: string;
  /** Enhanced status code, e.g. `5.1.1`. */
  status?: string;
  finalRecipient?: string;
  originalRecipient?: string;
  diagnosticCode?: string;
  remoteMta?: string;
}

/** Headers of the original message, when the report carries a copy of them. */
export interface OriginalRefs {
  sendarixMessageId?: string;
  messageId?: string;
}

export type InboundReport =
  | { kind: 'dsn'; reportingMta?: string; recipients: DsnRecipient[]; original: OriginalRefs }
  | {
      kind: 'feedback';
      feedbackType: string;
      userAgent?: string;
      originalMailFrom?: string;
      originalRcptTo?: string;
      arrivalDate?: string;
      original: OriginalRefs;
    }
  | { kind: 'unparseable'; reason: string };

type ContentType = { value?: string; params?: Record<string, string> };

const DSN_PARTS = ['message/delivery-status', 'message/global-delivery-status'];
const FEEDBACK_PARTS = ['message/feedback-report'];
const ORIGINAL_PARTS = ['message/rfc822', 'text/rfc822-headers', 'message/global', 'message/global-headers'];
const ENHANCED_STATUS = /\b([245]\.\d{1,3}\.\d{1,3})\b/;

export async function parseReport(raw: Buffer): Promise<InboundReport> {
  const header = await simpleParser(headerOnly(raw)).catch(() => undefined);
  if (!header) return { kind: 'unparseable', reason: 'not a MIME message' };
  const contentType = header.headers.get('content-type') as ContentType | undefined;
  if (contentType?.value?.toLowerCase() !== 'multipart/report') {
    return { kind: 'unparseable', reason: 'not a multipart/report' };
  }
  const boundary = contentType.params?.boundary;
  if (!boundary) return { kind: 'unparseable', reason: 'multipart/report without a boundary' };
  const reportType = contentType.params?.['report-type']?.toLowerCase();
  const parts = multipartParts(raw, boundary);
  const part = (types: string[]) => parts.find((p) => types.includes(p.contentType));
  const originalPart = part(ORIGINAL_PARTS);
  const original = originalPart ? originalRefs(originalPart) : {};

  if (reportType === 'delivery-status') {
    const status = part(DSN_PARTS);
    if (!status) return { kind: 'unparseable', reason: 'delivery-status report without a delivery-status part' };
    const [perMessage, ...perRecipient] = parseFieldGroups(status.body.toString('utf8'));
    const recipients = perRecipient.flatMap((g): DsnRecipient[] => {
      const action = g.get('action')?.toLowerCase();
      if (!action) return [];
      const status = ENHANCED_STATUS.exec(g.get('status') ?? '')?.[1];
      return [{
        action,
        ...(status ? { status } : {}),
        ...optional('finalRecipient', typedValue(g.get('final-recipient'))),
        ...optional('originalRecipient', typedValue(g.get('original-recipient'))),
        ...optional('diagnosticCode', g.get('diagnostic-code')),
        ...optional('remoteMta', typedValue(g.get('remote-mta'))),
      }];
    });
    if (recipients.length === 0) {
      return { kind: 'unparseable', reason: 'delivery-status part names no recipient action' };
    }
    const reportingMta = optional('reportingMta', typedValue(perMessage?.get('reporting-mta')));
    return { kind: 'dsn', ...reportingMta, recipients, original };
  }

  if (reportType === 'feedback-report') {
    const feedback = part(FEEDBACK_PARTS);
    const fields = feedback ? parseFieldGroups(feedback.body.toString('utf8'))[0] : undefined;
    const feedbackType = fields?.get('feedback-type')?.toLowerCase();
    if (!fields || !feedbackType) return { kind: 'unparseable', reason: 'feedback report without a Feedback-Type' };
    return {
      kind: 'feedback',
      feedbackType,
      ...optional('userAgent', fields.get('user-agent')),
      ...optional('originalMailFrom', angleless(fields.get('original-mail-from'))),
      ...optional('originalRcptTo', angleless(fields.get('original-rcpt-to'))),
      ...optional('arrivalDate', fields.get('arrival-date') ?? fields.get('received-date')),
      original,
    };
  }
  return { kind: 'unparseable', reason: `report-type ${reportType ?? '(none)'} is not handled` };
}

function originalRefs(part: MimePart): OriginalRefs {
  const text = part.body.toString('latin1');
  const end = text.search(/\r?\n\r?\n/);
  const headers = headerMap(end < 0 ? text : text.slice(0, end));
  return {
    ...optional('sendarixMessageId', headers.get('x-sendarix-message-id')),
    ...optional('messageId', headers.get('message-id')),
  };
}

/** The header block only: the report's own fields are all mailparser needs to read. */
function headerOnly(raw: Buffer): Buffer {
  const end = raw.indexOf('\r\n\r\n');
  return end < 0 ? raw : raw.subarray(0, end + 4);
}

function angleless(value: string | undefined): string | undefined {
  return value?.trim().replace(/^<(.*)>$/, '$1');
}

function optional<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return (value === undefined || value === '' ? {} : { [key]: value }) as { [P in K]?: string };
}
