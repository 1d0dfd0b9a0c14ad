// Suppression at dispatch time, and the automatic suppression that a hard bounce causes.
import { ApplicationFailure } from '@temporalio/activity';
import type { ActivityDeps } from './deps';

interface MessageRef {
  messageId: string;
  projectId: string;
}

export function suppressionActivities({ prisma, logger }: ActivityDeps) {
  const recipientKeyOf = async (messageId: string): Promise<string> => {
    const message = await prisma.message.findUnique({ where: { id: messageId }, select: { recipientKey: true } });
    if (!message) throw ApplicationFailure.nonRetryable(`message ${messageId} does not exist`, 'MessageNotFound');
    return message.recipientKey;
  };

  return {
    async checkSuppression({ messageId, projectId }: MessageRef): Promise<{ suppressed: boolean; reason?: string }> {
      const address = await recipientKeyOf(messageId);
      const entry = await prisma.suppression.findUnique({ where: { projectId_address: { projectId, address } } });
      return entry ? { suppressed: true, reason: entry.reason } : { suppressed: false };
    },

    async suppressRecipient({ messageId, projectId, reason }: MessageRef & { reason: string }): Promise<void> {
      const address = await recipientKeyOf(messageId);
      await prisma.suppression.upsert({
        where: { projectId_address: { projectId, address } },
        create: { projectId, address, reason, source: 'bounce', messageId },
        update: {},
      });
      logger.info({ message_id: messageId, project_id: projectId, reason }, 'recipient suppressed');
    },
  };
}
