// Turns whatever a nodemailer send produced into one outcome, so retry and bounce decisions are made in one place.
import type { SMTPSentMessageInfo } from 'nodemailer';

export interface SmtpOutcome {
  kind: 'delivered' | 'temporary' | 'permanent';
  responseCode?: number;
  /** RFC 3463 enhanced status code, e.g. '5.1.1'. */
  enhancedStatus?: string;
  response?: string;
  /** nodemailer's err.command: 'CONN', 'EHLO', 'AUTH PLAIN', 'MAIL FROM', 'RCPT TO', 'DATA', 'API'. */
  stage?: string;
  /** Short machine code such as 'mailbox_unavailable', 'greylisted', 'connection_failed'. */
  reason: string;
}

interface NodemailerErrorFields {
  code?: unknown;
  originalCode?: unknown;
  timeoutType?: unknown;
  library?: unknown;
  message?: unknown;
  response?: unknown;
  responseCode?: unknown;
  command?: unknown;
  recipient?: unknown;
  rejectedErrors?: unknown;
}

// Only at the start of a reply line, so an IP address in the free text is never read as a status code.
const ENHANCED_STATUS = /(?:^|\n)\d{3}[ -]([245])\.(\d{1,3})\.(\d{1,3})\b/;
const REPLY_CODE = /^([2-5])\d\d/;
const GREYLIST_TEXT = /gr[ae]y-?\s?list/i;
const TLS_ERROR_CODE = /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)/;
const NODEMAILER_IDN_MESSAGE = 'Internationalized mailbox name not allowed';
const NON_ASCII = /[^\p{ASCII}]/u;
// The message was never offered at these stages, so their replies say nothing about the recipient or the message.
const SESSION_STAGE = /^(CONN|EHLO|HELO|LHLO|STARTTLS|AUTH\b|API$)/;
const SYNTAX_REPLY_CODES = new Set([500, 501, 553, 555]);

const ENHANCED_REASONS: Record<string, string> = {
  '1.1': 'mailbox_unavailable',
  '1.2': 'domain_unavailable',
  '1.3': 'invalid_address',
  '1.6': 'mailbox_unavailable',
  '1.10': 'domain_unavailable',
  '2.1': 'mailbox_unavailable',
  '2.2': 'mailbox_full',
  '2.3': 'message_too_large',
  '3.4': 'message_too_large',
  '6.7': 'smtputf8_unsupported',
};
const ENHANCED_SUBJECT_REASONS: Record<string, string> = {
  '2': 'mailbox_unavailable',
  '3': 'system_unavailable',
  '4': 'routing_failed',
  '5': 'protocol_error',
  '6': 'content_rejected',
};
const REPLY_REASONS: Record<number, string> = {
  421: 'service_unavailable',
  450: 'mailbox_unavailable',
  451: 'server_error',
  452: 'insufficient_storage',
  550: 'mailbox_unavailable',
  552: 'insufficient_storage',
  553: 'invalid_address',
  554: 'transaction_failed',
};

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** The outcome for a send that nodemailer resolved, i.e. the server answered 250 to the end of DATA. */
export function deliveredOutcome(info: Pick<SMTPSentMessageInfo, 'response'>): SmtpOutcome {
  const response = str(info.response);
  return { kind: 'delivered', ...replyFields(response), stage: 'DATA', reason: 'accepted' };
}

/** Classifies a rejected nodemailer send (or anything else that was thrown) as temporary or permanent. */
export function classifySmtpError(err: unknown): SmtpOutcome {
  const e: NodemailerErrorFields = typeof err === 'object' && err !== null ? err : {};
  const code = str(e.code);
  const stage = str(e.command);
  const response = str(e.response);
  const fields = { ...replyFields(response, e.responseCode), ...(stage ? { stage } : {}) };
  if (code === 'EENVELOPE' && stage === 'API') return { kind: 'permanent', ...fields, reason: 'invalid_envelope' };
  const sessionLevel = stage !== undefined && SESSION_STAGE.test(stage);
  if (sessionLevel || fields.responseCode === undefined) {
    return { kind: 'temporary', ...fields, reason: sessionReason(e, code, fields.responseCode) };
  }
  const kind = classOf(fields.enhancedStatus ?? String(fields.responseCode)) === '5' ? 'permanent' : 'temporary';
  return { kind, ...fields, reason: replyReason(e, kind, fields.responseCode, fields.enhancedStatus, response) };
}

function replyFields(response: string | undefined, responseCode?: unknown): Partial<SmtpOutcome> {
  const parsedCode = response ? REPLY_CODE.exec(response)?.[0] : undefined;
  const code = typeof responseCode === 'number' ? responseCode : parsedCode ? Number(parsedCode) : undefined;
  const enhanced = response ? ENHANCED_STATUS.exec(response) : null;
  return {
    ...(code !== undefined ? { responseCode: code } : {}),
    ...(enhanced ? { enhancedStatus: `${enhanced[1]}.${enhanced[2]}.${enhanced[3]}` } : {}),
    ...(response ? { response } : {}),
  };
}

const classOf = (status: string): string => status.charAt(0);

function sessionReason(e: NodemailerErrorFields, code: string | undefined, responseCode: number | undefined): string {
  const original = str(e.originalCode) ?? '';
  if (responseCode === 421) return 'service_unavailable';
  if (code === 'ETIMEDOUT') return e.timeoutType === 'GREETING_TIMEOUT' ? 'greeting_timeout' : 'timeout';
  if (code === 'ETLS' || e.library !== undefined || TLS_ERROR_CODE.test(original)) return 'tls_failed';
  if (code === 'EAUTH' || code === 'ENOAUTH' || code === 'EOAUTH2') return 'auth_failed';
  if (code === 'EDNS' || original === 'ENOTFOUND' || original === 'EAI_AGAIN') return 'dns_failed';
  if (code === 'ECONNECTION') return 'connection_lost';
  if (code === 'EPROTOCOL' && responseCode !== undefined) return 'connection_rejected';
  if (code === 'ESOCKET' || code === 'EPROTOCOL' || code === 'EPROXY') return 'connection_failed';
  return 'unknown_error';
}

function replyReason(
  e: NodemailerErrorFields,
  kind: 'temporary' | 'permanent',
  responseCode: number | undefined,
  enhanced: string | undefined,
  response: string | undefined,
): string {
  if (isSmtpUtf8Refusal(e, responseCode, enhanced)) return 'smtputf8_unsupported';
  if (kind === 'temporary' && response && GREYLIST_TEXT.test(response)) return 'greylisted';
  const [, subject = '0', detail = '0'] = (enhanced ?? '').split('.');
  if (subject === '7') return kind === 'permanent' ? 'policy_rejected' : 'policy_deferred';
  const byEnhanced = ENHANCED_REASONS[`${subject}.${detail}`] ?? ENHANCED_SUBJECT_REASONS[subject];
  const byReply = responseCode !== undefined ? REPLY_REASONS[responseCode] : undefined;
  return byEnhanced ?? byReply ?? (kind === 'permanent' ? 'rejected' : 'deferred');
}

// A server without SMTPUTF8 sees a non-ASCII mailbox as bad syntax; one with it says so in its own words.
function isSmtpUtf8Refusal(e: NodemailerErrorFields, responseCode: number | undefined, enhanced?: string): boolean {
  const perRecipient = Array.isArray(e.rejectedErrors) ? (e.rejectedErrors as NodemailerErrorFields[]) : [];
  const errors = [e, ...perRecipient];
  if (errors.some((x) => str(x.message)?.includes(NODEMAILER_IDN_MESSAGE))) return true;
  const syntaxReply = (code: unknown, status: string | undefined): boolean =>
    (typeof code === 'number' && SYNTAX_REPLY_CODES.has(code)) || /^5\.(1\.3|5\.\d+|6\.7)$/.test(status ?? '');
  return errors.some((x) => {
    const recipient = str(x.recipient);
    if (!recipient || !NON_ASCII.test(recipient)) return false;
    const status = x === e ? enhanced : replyFields(str(x.response)).enhancedStatus;
    return syntaxReply(x === e ? responseCode : x.responseCode, status);
  });
}
