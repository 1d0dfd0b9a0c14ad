// Picks the sending path for a message (the project's routing rules, else the configured default) and
// records it on the message.
import { ApplicationFailure } from '@temporalio/activity';
import type { ChosenRoute, MessageRouter } from '../routing/router';
import type { ActivityDeps } from './deps';

export function routingActivities({ prisma, transports, defaultRoute }: ActivityDeps, router: MessageRouter) {
  return {
    async routeMessage({ messageId, projectId }: { messageId: string; projectId: string }): Promise<ChosenRoute> {
      const message = await prisma.message.findUnique({ where: { id: messageId }, select: { recipientDomain: true } });
      if (!message) throw ApplicationFailure.nonRetryable(`message ${messageId} does not exist`, 'MessageNotFound');
      const route = await router.choose(projectId, message.recipientDomain);
      if (route.name === defaultRoute && !transports.has(defaultRoute)) {
        throw ApplicationFailure.nonRetryable(`route ${defaultRoute} is not configured`, 'UnknownRoute');
      }
      await prisma.message.update({ where: { id: messageId }, data: { route: route.name } });
      return route;
    },
  };
}
