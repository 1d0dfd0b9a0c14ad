// SMTP replies of the relay and the inbound listener. smtp-server sends an Error's `responseCode` and message;
// the enhanced status code (RFC 3463) is written into the text here, because the one smtp-server would add is
// chosen by reply code alone and says the wrong thing for most of ours (550 would read "mailbox unavailable").
import { ApiError, DependencyUnavailable, type FieldError } from '../errors';

/** Reply text is kept under the 512-octet line limit of RFC 5321 with room for the code. */
const MAX_REPLY_TEXT_CHARS = 400;

export type SmtpReplyError = Error & { responseCode: number };

export function smtpReply(code: number, enhanced: string, text: string): SmtpReplyError {
  const line = `${enhanced} ${text}`.replace(/[\r\n]+/g, ' ');
  const clipped = line.length > MAX_REPLY_TEXT_CHARS ? `${line.slice(0, MAX_REPLY_TEXT_CHARS - 3)}...` : line;
  return Object.assign(new Error(clipped), { responseCode: code });
}

/** The 250 text of an accepted DATA: the ids of the messages it made, one per recipient. */
export function acceptedText(messageIds: string[]): string {
  return `2.0.0 Accepted: ${messageIds.join(' ')}`;
}

export function temporarilyUnavailable(dependency: string): SmtpReplyError {
  return smtpReply(451, '4.3.0', `${dependency} is unavailable; nothing was accepted, try again later`);
}

/**
 * The reply for an error of the accepting pipeline, or undefined for one nobody foresaw (the caller logs it and
 * answers 451, since a retry may well succeed). Refused requests are permanent: 550, with the field errors.
 */
export function replyForAcceptError(err: unknown): SmtpReplyError | undefined {
  if (err instanceof DependencyUnavailable) return temporarilyUnavailable(err.dependency);
  if (!(err instanceof ApiError)) return undefined;
  if (err.status >= 500) return temporarilyUnavailable('the server');
  if (err.errors && err.errors.length > 0) {
    const enhanced = err.errors.some((e) => e.code === 'unverified_sender_domain') ? '5.7.1' : '5.6.0';
    return smtpReply(550, enhanced, `Message refused: ${summarise(err.errors)}`);
  }
  return smtpReply(550, '5.6.0', `Message refused: ${err.message}`);
}

function summarise(errors: FieldError[]): string {
  return errors
    .map((e) => (e.message.startsWith(e.field) ? e.message : `${e.field}: ${e.message}`))
    .join('; ');
}
