// Picks the sending path for a message and records it on the message.
import { ApplicationFailure } from '@temporalio/activity';
import type { ActivityDeps } from './deps';

export function routingActivities({ prisma, transports, defaultRoute }: ActivityDeps) {
  return {
    async routeMessage({ messageId }: { messageId: string; projectId: string }): Promise<{ name: string }> {
      if (!transports.has(defaultRoute)) {
        throw ApplicationFailure.nonRetryable(`route ${defaultRoute} is not configured`, 'UnknownRoute');
      }
      const updated = await prisma.message.updateMany({ where: { id: messageId }, data: { route: defaultRoute } });
      if (updated.count === 0) throw ApplicationFailure.nonRetryable(`message ${messageId} does not exist`, 'MessageNotFound');
      return { name: defaultRoute };
    },
  };
}
