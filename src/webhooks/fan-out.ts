// After an event is written: one delivery row and one webhook workflow for each enabled endpoint of the project
// that wants the event's type. Nothing here talks to an endpoint, so a slow or dead one cannot hold up the
// message; everything is idempotent, so a retried caller fans out again harmlessly.
import type { Client } from '@temporalio/client';
import type { Config } from '../config';
import type { Db } from '../db/client';
import { sha256Hex } from '../ids';
import type { Logger } from '../logger';
import { webhookWorkflowId } from '../workflows/definitions';
import { wantsEvent } from './event-types';
import { buildWebhookPayload, type WebhookSourceEvent } from './payload';
import { startWebhookWorkflow } from './start';

export interface FanOutDeps {
  prisma: Db;
  temporal: Client;
  logger: Logger;
  config: Pick<Config, 'SENDARIX_WEBHOOK_TASK_QUEUE' | 'SENDARIX_WEBHOOK_RETRY_SCHEDULE'>;
}

/** The delivery id of an (endpoint, event) pair; it is also the `webhook-id` header, stable across retries. */
export function webhookDeliveryId(endpointId: string, eventId: string): string {
  return `whd_${sha256Hex(`${endpointId}\n${eventId}`).slice(0, 32)}`;
}

/** Fans one event out to the project's endpoints; answers how many endpoints take it. */
export async function fanOutEvent(deps: FanOutDeps, event: WebhookSourceEvent): Promise<number> {
  const { prisma, temporal, logger, config } = deps;
  const type = `message.${event.type}`;
  const endpoints = (
    await prisma.webhookEndpoint.findMany({
      where: { projectId: event.projectId, enabled: true },
      select: { id: true, eventTypes: true },
    })
  ).filter((endpoint) => wantsEvent(endpoint.eventTypes, type));
  if (endpoints.length === 0) return 0;

  const message = await prisma.message.findUnique({
    where: { id: event.messageId },
    select: { recipient: true, status: true, metadata: true, tags: true },
  });
  if (!message) return 0;
  const payload = buildWebhookPayload(event, message);
  await prisma.webhookDelivery.createMany({
    data: endpoints.map((endpoint) => ({
      id: webhookDeliveryId(endpoint.id, event.id),
      endpointId: endpoint.id,
      projectId: event.projectId,
      eventId: event.id,
      messageId: event.messageId,
      type,
      sequence: event.seq,
      payload: payload as object,
    })),
    skipDuplicates: true,
  });

  await Promise.all(
    endpoints.map((endpoint) =>
      startWebhookWorkflow(temporal, config.SENDARIX_WEBHOOK_TASK_QUEUE, webhookWorkflowId(endpoint.id, event.id), {
        deliveryId: webhookDeliveryId(endpoint.id, event.id),
        endpointId: endpoint.id,
        retryScheduleMs: config.SENDARIX_WEBHOOK_RETRY_SCHEDULE,
      }),
    ),
  );
  logger.debug(
    { message_id: event.messageId, project_id: event.projectId, event: type, endpoints: endpoints.length },
    'webhooks fanned out',
  );
  return endpoints.length;
}
