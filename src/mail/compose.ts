// Turns stored content into what nodemailer sends: a stable Message-ID, a Date, and a Return-Path (the
// envelope sender) that names the message, so a bounce arriving later can be matched to it.
import type Mail from 'nodemailer/lib/mailer';
import { listUnsubscribeHeaders } from '../unsubscribe/links';
import { rawForDelivery } from '../smtp/raw-mime';
import type { MessageContent, StoredMailbox } from './content';

export const MESSAGE_ID_HEADER = 'X-Sendarix-Message-Id';

function mailbox(m: StoredMailbox): Mail.Address {
  return { name: m.name ?? '', address: m.address };
}

/** The envelope sender for a message: `bounces+<message id>@<bounce domain>`. */
export function returnPath(messageId: string, bounceDomain: string): string {
  return `bounces+${messageId}@${bounceDomain}`;
}

export function composeMail(
  messageId: string,
  content: MessageContent,
  /** `dkim`: signing options of the From domain when it is a verified sender domain (src/domains/signing.ts). */
  opts: { hostname: string; createdAt: Date; dkim?: Mail.Options['dkim'] },
): Mail.Options {
  if (content.raw !== undefined) return composeRaw(messageId, content.raw, content, opts);
  return {
    ...(opts.dkim ? { dkim: opts.dkim } : {}),
    messageId: `<${messageId}@${opts.hostname}>`,
    date: opts.createdAt,
    from: mailbox(content.from),
    to: [mailbox(content.to)],
    replyTo: content.replyTo.length > 0 ? content.replyTo.map(mailbox) : undefined,
    subject: content.subject,
    html: content.html,
    text: content.text,
    headers: { ...content.headers, ...listUnsubscribeHeaders(content.listUnsubscribe), [MESSAGE_ID_HEADER]: messageId },
    attachments: content.attachments.map((a) => ({
      filename: a.filename,
      contentType: a.contentType,
      content: a.content,
      encoding: 'base64',
    })),
    envelope: { from: returnPath(messageId, opts.hostname), to: [content.to.address] },
    disableFileAccess: true,
    disableUrlAccess: true,
  };
}

/** A message relayed over SMTP: the client's MIME as it came (src/smtp/raw-mime.ts says which headers change). */
function composeRaw(
  messageId: string,
  raw: string,
  content: MessageContent,
  opts: { hostname: string; createdAt: Date; dkim?: Mail.Options['dkim'] },
): Mail.Options {
  const extra = listUnsubscribeHeaders(content.listUnsubscribe);
  const headers = { messageId, messageIdHeader: MESSAGE_ID_HEADER, hostname: opts.hostname, createdAt: opts.createdAt, extra };
  return {
    ...(opts.dkim ? { dkim: opts.dkim } : {}),
    raw: rawForDelivery(Buffer.from(raw, 'base64'), headers),
    envelope: { from: returnPath(messageId, opts.hostname), to: [content.to.address] },
    disableFileAccess: true,
    disableUrlAccess: true,
  };
}
