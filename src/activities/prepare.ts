// The step between a message's time coming and its first SMTP attempt: the suppression check and the choice of
// route, with the resulting event, read and written in one go. A local activity: it runs inside the workflow task
// that needs it, so it costs the Temporal server no task of its own.
import { ApplicationFailure } from '@temporalio/activity';
import type { ChosenRoute, MessageRouter } from '../routing/router';
import type { ActivityDeps } from './deps';
import { storeEvent } from './record';
import { suppressionOf } from './suppression';

export interface PrepareInput {
  messageId: string;
  projectId: string;
  /** Sequence number of the event this step records (`accepted` or `suppressed`). */
  seq: number;
}

export type Prepared = { suppressed: true; reason: string } | { suppressed: false; route: ChosenRoute };

export function prepareActivities(deps: ActivityDeps, router: MessageRouter) {
  const { prisma, transports, defaultRoute, logger } = deps;
  return {
    async prepareDelivery({ messageId, projectId, seq }: PrepareInput): Promise<Prepared> {
      const select = { recipient: true, recipientKey: true, recipientDomain: true };
      const message = await prisma.message.findUnique({ where: { id: messageId }, select });
      if (!message) throw ApplicationFailure.nonRetryable(`message ${messageId} does not exist`, 'MessageNotFound');
      const event = { messageId, projectId, seq };

      const reason = await suppressionOf(prisma, { projectId, ...message });
      if (reason !== undefined) {
        const suppressed = { type: 'suppressed', status: 'suppressed' as const, data: { reason }, final: true };
        await storeEvent(deps, { ...event, ...suppressed });
        logger.info({ message_id: messageId, project_id: projectId, reason }, 'recipient suppressed; not sending');
        return { suppressed: true, reason };
      }

      const route = await router.choose(projectId, message.recipientDomain);
      if (route.name === defaultRoute && !transports.has(defaultRoute)) {
        throw ApplicationFailure.nonRetryable(`route ${defaultRoute} is not configured`, 'UnknownRoute');
      }
      const data = { route: route.name };
      await storeEvent(deps, { ...event, type: 'accepted', status: 'sending', data, final: false }, data);
      return { suppressed: false, route };
    },
  };
}
