// Turns stored content into what nodemailer sends: a stable Message-ID, a Date, and a Return-Path (the
// envelope sender) that names the message, so a bounce arriving later can be matched to it.
import type Mail from 'nodemailer/lib/mailer';
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
  opts: { hostname: string; createdAt: Date },
): Mail.Options {
  return {
    messageId: `<${messageId}@${opts.hostname}>`,
    date: opts.createdAt,
    from: mailbox(content.from),
    to: [mailbox(content.to)],
    replyTo: content.replyTo.length > 0 ? content.replyTo.map(mailbox) : undefined,
    subject: content.subject,
    html: content.html,
    text: content.text,
    headers: { ...content.headers, [MESSAGE_ID_HEADER]: messageId },
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
