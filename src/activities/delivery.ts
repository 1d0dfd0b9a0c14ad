// One SMTP attempt. SMTP answers are results, classified once; only infrastructure trouble (database down)
// throws, so that Temporal retries the activity itself.
import { ApplicationFailure } from '@temporalio/activity';
import { dkimOptionsFor } from '../domains/signing';
import { composeMail } from '../mail/compose';
import type { MessageContent } from '../mail/content';
import type { MessageRouter } from '../routing/router';
import type { SmtpResult } from '../workflows/definitions';
import type { ActivityDeps } from './deps';

export interface AttemptInput {
  messageId: string;
  projectId: string;
  attempt: number;
  route: string;
}

export function deliveryActivities({ prisma, hostname, logger }: ActivityDeps, router: MessageRouter) {
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

      const content = message.content as unknown as MessageContent;
      const dkim = await dkimOptionsFor(prisma, message.projectId, content.from.address);
      const mail = composeMail(messageId, content, {
        hostname,
        createdAt: message.createdAt,
        dkim,
      });
      const { result, smtpMessageId } = await router.send(projectId, route, message.recipientDomain, mail);
      await prisma.message.update({
        where: { id: messageId },
        data: result.kind === 'delivered'
          ? { smtpAcceptedAt: new Date(), smtpMessageId, lastResponse: result as object }
          : { lastResponse: result as object },
      });
      logger.info({ ...ids, outcome: result.kind, smtp_code: result.responseCode, reason: result.reason }, 'smtp attempt');
      return result;
    },
  };
}
