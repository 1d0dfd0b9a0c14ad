// One SMTP attempt. SMTP answers are results, classified once; only infrastructure trouble (database down)
// throws, so that Temporal retries the activity itself.
import { ApplicationFailure } from '@temporalio/activity';
import { composeMail } from '../mail/compose';
import type { MessageContent } from '../mail/content';
import { classifySmtpError, deliveredOutcome } from '../mail/smtp-outcome';
import type { SmtpResult } from '../workflows/definitions';
import type { ActivityDeps } from './deps';

export interface AttemptInput {
  messageId: string;
  projectId: string;
  attempt: number;
  route: string;
}

export function deliveryActivities({ prisma, transports, hostname, logger }: ActivityDeps) {
  return {
    async attemptDelivery({ messageId, projectId, attempt, route }: AttemptInput): Promise<SmtpResult> {
      const message = await prisma.message.findUnique({ where: { id: messageId } });
      if (!message) throw ApplicationFailure.nonRetryable(`message ${messageId} does not exist`, 'MessageNotFound');
      const ids = { message_id: messageId, project_id: projectId, attempt, route };

      // A server that said 250 before this worker died must not receive the message again.
      if (message.smtpAcceptedAt) {
        logger.warn(ids, 'already accepted by SMTP; not sending again');
        return { ...(message.lastResponse as unknown as SmtpResult), kind: 'delivered' };
      }
      await prisma.message.update({ where: { id: messageId }, data: { status: 'sending', attempts: attempt } });

      const mail = composeMail(messageId, message.content as unknown as MessageContent, {
        hostname,
        createdAt: message.createdAt,
      });
      const sent = await transports
        .get(route)
        .sendMail(mail)
        .then((info) => ({ ok: true as const, info }), (error: unknown) => ({ ok: false as const, error }));
      let result: SmtpResult;
      if (sent.ok) {
        result = deliveredOutcome({ response: String(sent.info.response ?? '') });
        await prisma.message.update({
          where: { id: messageId },
          data: { smtpAcceptedAt: new Date(), smtpMessageId: sent.info.messageId, lastResponse: result as object },
        });
      } else {
        result = classifySmtpError(sent.error);
        await prisma.message.update({ where: { id: messageId }, data: { lastResponse: result as object } });
      }
      logger.info({ ...ids, outcome: result.kind, smtp_code: result.responseCode, reason: result.reason }, 'smtp attempt');
      return result;
    },
  };
}
