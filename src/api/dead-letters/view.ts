// How a dead letter reads over the API: the message it stands for, its recipient, the last SMTP answer and why
// the message ended there.
import type { DeadLetter, Message } from '../../../generated/prisma/client';

export type DeadLetterWithMessage = DeadLetter & {
  message: Pick<Message, 'recipient' | 'subject' | 'attempts' | 'route' | 'status'>;
};

export function deadLetterView(d: DeadLetterWithMessage) {
  return {
    message_id: d.messageId,
    recipient: d.message.recipient,
    subject: d.message.subject,
    reason: d.reason,
    last_response: d.lastResponse,
    attempts: d.message.attempts,
    route: d.message.route,
    created_at: d.createdAt.toISOString(),
  };
}
