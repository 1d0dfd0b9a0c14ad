// Suppression at dispatch time, and the automatic suppression that a hard bounce causes.
import { ApplicationFailure } from '@temporalio/activity';
import { addSuppression, findSuppressions, ignoresSubaddress, type SuppressionReason } from '../api/suppressions/store';
import { parseMailbox } from '../mail/address';
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
    // The key given at accept time counts, and so does the recipient under the project's setting now, so that an
    // entry added (or a setting changed) while the message waited is honoured.
    async checkSuppression({ messageId, projectId }: MessageRef): Promise<{ suppressed: boolean; reason?: string }> {
      const select = { recipient: true, recipientKey: true };
      const message = await prisma.message.findUnique({ where: { id: messageId }, select });
      if (!message) throw ApplicationFailure.nonRetryable(`message ${messageId} does not exist`, 'MessageNotFound');
      const parsed = parseMailbox(message.recipient);
      const ignoreSubaddress = await ignoresSubaddress(prisma, projectId);
      const [entry] = parsed.ok
        ? await findSuppressions(prisma, projectId, parsed.mailbox, ignoreSubaddress, [message.recipientKey])
        : await prisma.suppression.findMany({ where: { projectId, address: message.recipientKey } });
      return entry ? { suppressed: true, reason: entry.reason } : { suppressed: false };
    },

    async suppressRecipient({ messageId, projectId, reason }: MessageRef & { reason: string }): Promise<void> {
      const address = await recipientKeyOf(messageId);
      const source = reason === 'complaint' ? 'complaint' : 'bounce';
      await addSuppression(prisma, { projectId, address, reason: reason as SuppressionReason, source, messageId });
      logger.info({ message_id: messageId, project_id: projectId, reason }, 'recipient suppressed');
    },
  };
}
